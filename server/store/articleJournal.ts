/**
 * The action journal of an article: one JSON line per action, holding what the action changed, so an
 * action costs an append instead of a rewrite of the whole article file.
 *
 *   {"seq":N, "p":[…], "order":[…], "set":{…}, "unset":[…], "undo":{"drop":[…],"put":[…]} | "undoAll":[…]}
 *
 * - seq      consecutive per article; the article file (snapshot) names the last seq it includes
 *            (`journalSeq`), and replay skips lines at or below it
 * - p        every paragraph the action changed or added, in full
 * - order    the ids of all paragraphs in order, only when the order or the set of paragraphs changed
 * - set      article-level fields that changed (updatedAt, nextParagraph, usage, …); unset: removed ones
 * - undo     the undo stack as a delta: entries dropped (by op), entries added or changed (replaced in
 *            place, or pushed at the end when new); undoAll: the whole stack, when a delta cannot say it
 *
 * Changes are found by comparing the draft a command changed with the original: a draft shares the
 * paragraphs it did not touch (same object); a paragraph it copied is compared field by field, and
 * commands replace (never mutate) the objects and arrays a paragraph holds, so a shallow comparison
 * finds every change. A draft that kept its shape says which places it wrote (core/draft.ts): only
 * those are compared, so the line costs what the action changed, not the article's size.
 */
import { readFile } from 'node:fs/promises';
import type { Article, Paragraph, UndoEntry } from '../core/types.js';
import { writtenPlaces } from '../core/draft.js';
import { readLines } from './appendLog.js';

export interface JournalLine {
  seq: number;
  p?: Paragraph[];
  order?: string[];
  set?: Record<string, unknown>;
  unset?: string[];
  undo?: { drop: string[]; put: UndoEntry[] };
  undoAll?: UndoEntry[];
}

/** The article file: the article plus the seq of the last journal line it includes. */
export type Snapshot = Article & { journalSeq?: number };

type Fields = Record<string, unknown>;

/** Same keys, same values (===); objects and arrays compared the same way down to `depth` levels. */
function sameFields(a: Fields, b: Fields, depth: number): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!sameValue(a[k], b[k], depth)) return false;
  }
  return true;
}

function sameValue(x: unknown, y: unknown, depth: number): boolean {
  if (x === y) return true;
  if (depth <= 0 || !x || !y || typeof x !== 'object' || typeof y !== 'object') return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  return sameFields(x as Fields, y as Fields, depth - 1);
}

/** What changed from `before` to `after`, as a journal line. */
export function diffArticle(before: Article, after: Article, seq: number): JournalLine {
  const line: JournalLine = { seq };

  const changed = changedInPlace(before.paragraphs, after.paragraphs, writtenPlaces(before, after));
  if (changed) {
    if (changed.length) line.p = changed;
  } else {
    const { changed: all, reordered } = changedAnywhere(before.paragraphs, after.paragraphs);
    if (all.length) line.p = all;
    if (reordered) line.order = after.paragraphs.map((p) => p.id);
  }

  const b = before as unknown as Fields;
  const a = after as unknown as Fields;
  const set: Fields = {};
  const unset: string[] = [];
  for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (k === 'paragraphs' || k === 'undo') continue;
    if (a[k] === undefined) {
      if (b[k] !== undefined) unset.push(k);
    } else if (!sameValue(b[k], a[k], 2)) set[k] = a[k];
  }
  if (Object.keys(set).length) line.set = set;
  if (unset.length) line.unset = unset;

  const undo = diffUndo(before.undo, after.undo);
  if (undo === 'all') line.undoAll = after.undo;
  else if (undo) line.undo = undo;
  return line;
}

/**
 * The paragraphs changed at the places a draft wrote (core/draft.ts), the rest being shared with
 * `before`: what an action costs, whatever the article's size. Undefined when that cannot say it (no
 * places known, or a paragraph moved).
 */
function changedInPlace(before: Paragraph[], after: Paragraph[], places: number[] | undefined): Paragraph[] | undefined {
  if (!places) return undefined;
  const changed: Paragraph[] = [];
  for (const i of places) {
    const p = after[i]!;
    const at = before[i]!;
    if (at === p) continue;
    if (at.id !== p.id) return undefined;
    if (!sameFields(at as unknown as Fields, p as unknown as Fields, 0)) changed.push(p);
  }
  return changed;
}

/** Every paragraph compared with the one of the same id; drafts share the unchanged ones, so most compare by identity. */
function changedAnywhere(before: Paragraph[], after: Paragraph[]): { changed: Paragraph[]; reordered: boolean } {
  let original: Map<string, Paragraph> | undefined;
  const changed: Paragraph[] = [];
  let reordered = after.length !== before.length;
  for (let i = 0; i < after.length; i++) {
    const p = after[i]!;
    const at = before[i];
    if (at === p) continue;
    if (!reordered && at?.id !== p.id) reordered = true;
    const o = at?.id === p.id ? at : (original ??= new Map(before.map((x) => [x.id, x]))).get(p.id);
    if (!o || !sameFields(o as unknown as Fields, p as unknown as Fields, 0)) changed.push(p);
  }
  return { changed, reordered };
}

type UndoDelta = { drop: string[]; put: UndoEntry[] } | 'all' | undefined;

function diffUndo(before: UndoEntry[], after: UndoEntry[]): UndoDelta {
  const quick = pushedOnto(before, after);
  if (quick !== 'unknown') return quick;
  const old = new Map(before.map((e) => [e.op, e]));
  const now = new Set(after.map((e) => e.op));
  if (old.size !== before.length || now.size !== after.length) return 'all';
  const drop = before.filter((e) => !now.has(e.op)).map((e) => e.op);
  const put: UndoEntry[] = [];
  const added: string[] = [];
  for (const e of after) {
    const o = old.get(e.op);
    if (!o) {
      put.push(e);
      added.push(e.op);
    } else if (!sameFields(o as unknown as Fields, e as unknown as Fields, 2)) put.push(e);
  }
  // Replay keeps the remaining entries in place and pushes new ones at the end: check that gives `after`.
  const dropped = new Set(drop);
  const expected = [...before.filter((e) => !dropped.has(e.op)).map((e) => e.op), ...added];
  if (expected.length !== after.length || expected.some((op, i) => op !== after[i]!.op)) return 'all';
  return drop.length || put.length ? { drop, put } : undefined;
}

/**
 * The common cases without building maps: the stack is unchanged, or an action pushed entries and
 * the depth limit dropped the oldest, the rest being the very same (shared) objects.
 */
function pushedOnto(before: UndoEntry[], after: UndoEntry[]): UndoDelta | 'unknown' {
  for (let dropped = 0; dropped <= Math.min(2, before.length); dropped++) {
    const kept = before.length - dropped;
    if (after.length < kept) continue;
    let same = true;
    for (let i = 0; i < kept && same; i++) same = after[i] === before[dropped + i];
    if (!same) continue;
    const put = after.slice(kept);
    // New entries carry new ops; a reused op (or none of this shape) goes through the general diff.
    if (put.some((e) => before.some((b) => b.op === e.op)) || new Set(put.map((e) => e.op)).size !== put.length) return 'unknown';
    return dropped || put.length ? { drop: before.slice(0, dropped).map((e) => e.op), put } : undefined;
  }
  return 'unknown';
}

/** Applies a journal line to an article (changes it in place). */
export function applyLine(article: Article, line: JournalLine): void {
  if (line.p || line.order) {
    const byId = new Map(article.paragraphs.map((p) => [p.id, p]));
    for (const p of line.p ?? []) byId.set(p.id, p);
    const order = line.order ?? article.paragraphs.map((p) => p.id);
    article.paragraphs = order.map((id) => {
      const p = byId.get(id);
      if (!p) throw new Error(`journal line ${line.seq} names an unknown paragraph "${id}"`);
      return p;
    });
  }
  const a = article as unknown as Fields;
  for (const [k, v] of Object.entries(line.set ?? {})) a[k] = v;
  for (const k of line.unset ?? []) delete a[k];
  if (line.undoAll) article.undo = line.undoAll;
  else if (line.undo) {
    const dropped = new Set(line.undo.drop);
    const undo = article.undo.filter((e) => !dropped.has(e.op));
    for (const e of line.undo.put) {
      const i = undo.findIndex((x) => x.op === e.op);
      if (i >= 0) undo[i] = e;
      else undo.push(e);
    }
    article.undo = undo;
  }
}

/** Splits a snapshot into the article and the seq it includes. */
export function fromSnapshot(data: Snapshot): { article: Article; seq: number } {
  const { journalSeq, ...article } = data;
  return { article, seq: journalSeq ?? 0 };
}

/**
 * Where a compaction puts the journal it folds into the snapshot while new lines go to a fresh
 * journal (store/heldArticle.ts): replayed before the journal.
 */
export function compactingFileOf(journalFile: string): string {
  return journalFile.replace(/\.journal\.jsonl$/, '.compacting.jsonl');
}

/**
 * Replays journals, in order, onto an article loaded from its snapshot: lines the snapshot already
 * includes are skipped, and so is a torn last line (an append cut short by a crash).
 */
export async function replayJournal(files: string | string[], article: Article, seq: number): Promise<{ seq: number; lines: number; torn: boolean }> {
  let applied = seq;
  let lines = 0;
  let torn = false;
  for (const file of typeof files === 'string' ? [files] : files) {
    const read = await readLines<JournalLine>(file);
    for (const line of read.items) {
      if (line.seq <= applied) continue;
      if (line.seq !== applied + 1) throw new Error(`${file}: journal line ${line.seq} follows ${applied}: a line is missing`);
      applyLine(article, line);
      applied = line.seq;
    }
    lines += read.items.length;
    torn ||= read.torn;
  }
  return { seq: applied, lines, torn };
}

/** The article as a freshly opened store would see it (snapshot plus journals), without changing files. */
export async function readArticleFiles(snapshotFile: string, journalFile: string): Promise<Article> {
  const { article, seq } = fromSnapshot(JSON.parse(await readFile(snapshotFile, 'utf8')) as Snapshot);
  await replayJournal([compactingFileOf(journalFile), journalFile], article, seq);
  return article;
}
