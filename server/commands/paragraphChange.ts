/**
 * The machinery every paragraph action shares: take the article's lock, find the paragraph, refuse a
 * stale `baseRevision` or a forbidden status, record revisions and what undo needs.
 */
import { randomUUID } from 'node:crypto';
import { runChecks } from '../checks/index.js';
import { runChecksOffThread } from '../checks/offThreadChecks.js';
import type { Lane } from '../checks/offThread.js';
import { glossaryForArticle, uploadedGlossary } from './articleGlossary.js';
import type { GlossaryEntry } from '../core/glossary.js';
import type { InlineCode } from '../core/inlineCodes.js';
import { diffSummary } from '../core/diff.js';
import { canApply, describeRefusal, type ParagraphAction } from '../core/paragraphState.js';
import type { Actor, Article, Finding, Paragraph, ParagraphKind, ParagraphStatus, Revision, RevisionAction, Suggestion, UndoEntry } from '../core/types.js';
import type { Services } from './services.js';
import { BadRequestError, InvalidStateError, LockedError, NotFoundError, StaleRevisionError } from './errors.js';
import { isLocked } from '../core/reviewState.js';
import { ownParagraph } from '../core/draft.js';
import { indexOfParagraph, paragraphById } from '../core/paragraphLookup.js';

/** How many actions per article can be undone. */
const UNDO_DEPTH = 100;

export interface ParagraphTarget {
  articleId: string;
  paragraphId: string;
  /** The revision the editor saw; the action is refused if the paragraph has moved on. */
  baseRevision: number | undefined;
  actor: Actor;
  /** Seconds the editor spent on the paragraph before acting, measured by the page. */
  seconds?: number;
}

/** Collects the revisions of one action and the undo entry that reverses it. */
export class ActionRecorder {
  readonly op = randomUUID();
  readonly revisions: Revision[] = [];
  readonly suggestions: Suggestion[] = [];
  readonly #before = new Map<string, { text: string; status: ParagraphStatus; revision: number; kind: ParagraphKind; codes?: InlineCode[]; suggestion?: Suggestion | null }>();
  readonly #created: string[] = [];

  constructor(
    readonly article: Article,
    readonly actor: Actor,
    readonly at: string,
    readonly seconds?: number,
  ) {}

  /** Appends a revision to `p` for its current text and status (call after changing them). */
  record(p: Paragraph, action: RevisionAction, previousText: string, extra: Partial<Revision> = {}): Revision {
    p.revision += 1;
    const rev: Revision = {
      n: p.revision,
      paragraphId: p.id,
      action,
      author: this.actor.username,
      at: this.at,
      text: p.text,
      status: p.status,
      diff: extra.diff ?? diffSummary(previousText, p.text),
      op: this.op,
      ...(this.seconds !== undefined ? { seconds: this.seconds } : {}),
      ...extra,
    };
    this.revisions.push(rev);
    p.lastChange = { action, by: this.actor.username, at: this.at };
    return rev;
  }

  /**
   * Remembers a paragraph's state before the action changes it; `withSuggestion` also keeps the
   * suggestion it carries, for actions that replace or drop it (undo puts it back).
   */
  touch(p: Paragraph, withSuggestion = false): void {
    if (!this.#before.has(p.id)) {
      const { text, status, revision, kind, codes } = p;
      this.#before.set(p.id, { text, status, revision, kind, ...(codes ? { codes } : {}), ...(withSuggestion ? { suggestion: p.suggestion ?? null } : {}) });
    }
  }

  /** Notes a paragraph the action created (call before recording it): undo deletes it, unless someone changed it since. */
  created(p: Paragraph): void {
    this.#created.push(p.id);
    this.touch(p);
  }

  /** Pushes the undo entry for this action onto the article. */
  pushUndo(action: RevisionAction): void {
    const entry: UndoEntry = {
      op: this.op,
      action,
      author: this.actor.username,
      at: this.at,
      before: [...this.#before].map(([paragraphId, b]) => {
        const p = findParagraph(this.article, paragraphId);
        return {
          paragraphId,
          text: b.text,
          status: b.status,
          revisionAfter: p.revision,
          revisionBefore: b.revision,
          ...(b.suggestion !== undefined ? { suggestion: b.suggestion } : {}),
          // Kind and codes only when the action changed them (a merge): most entries stay small.
          ...(p.kind !== b.kind ? { kind: b.kind } : {}),
          ...(p.codes !== b.codes ? { codes: b.codes ?? null } : {}),
        };
      }),
      created: this.#created.map((id) => id),
    };
    this.article.undo.push(entry);
    if (this.article.undo.length > UNDO_DEPTH) this.article.undo.splice(0, this.article.undo.length - UNDO_DEPTH);
    this.article.updatedAt = this.at;
  }
}

/**
 * After an action that is not undoable and keeps the text (a new suggestion, a submit for review),
 * earlier actions stay undoable: undo entries that expected a moved paragraph's old revision now
 * expect its new one.
 */
export function carryUndoEntries(article: Article, moved: ReadonlyMap<string, { from: number; to: number }>): void {
  if (!moved.size) return;
  const stale = (b: UndoEntry['before'][number]) => moved.get(b.paragraphId)?.from === b.revisionAfter;
  // Entries are shared with the stored article: replaced, never changed in place.
  article.undo = article.undo.map((entry) =>
    entry.before.some(stale) ? { ...entry, before: entry.before.map((b) => (stale(b) ? { ...b, revisionAfter: moved.get(b.paragraphId)!.to } : b)) } : entry,
  );
}

/** Where the paragraph is in the article; a 404 when it is not there. */
export function paragraphIndex(article: Article, paragraphId: string): number {
  const i = indexOfParagraph(article, paragraphId);
  if (i < 0) throw new NotFoundError(`no paragraph "${paragraphId}" in article "${article.id}"`);
  return i;
}

/** The paragraph, the draft's own copy (core/draft.ts): the caller may change it. */
export function findParagraph(article: Article, paragraphId: string): Paragraph {
  return ownParagraph(article, paragraphIndex(article, paragraphId));
}

export function checkBase(p: Paragraph, baseRevision: number | undefined): void {
  if (baseRevision === undefined) throw new BadRequestError('baseRevision is required: send the revision you are looking at');
  if (baseRevision !== p.revision) {
    throw new StaleRevisionError(
      `paragraph ${p.id} changed since you loaded it (your revision ${baseRevision}, now ${p.revision}): compare and choose`,
      structuredClone(p),
    );
  }
}

/** Refuses an action on a locked paragraph, then one its status does not allow. */
export function checkState(p: Paragraph, action: ParagraphAction): void {
  checkUnlocked(p, action);
  if (!canApply(action, p.status)) throw new InvalidStateError(describeRefusal(action, p.status), structuredClone(p));
}

/** Approved paragraphs are locked: no suggestion, no text or status change until a reviewer reopens them. */
export function checkUnlocked(p: Paragraph, action?: ParagraphAction | 'undo'): void {
  if (isLocked(p.review)) throw new LockedError(lockedMessage(p, action), structuredClone(p));
}

export function lockedMessage(p: Paragraph, action?: string): string {
  const by = p.approval ? ` by ${p.approval.by} on ${p.approval.at.slice(0, 10)}` : '';
  const verb = action ? `cannot ${action}: ` : '';
  return `${verb}paragraph ${p.id} is approved${by} and locked; a reviewer must reopen it first`;
}

/** The fact guard runs on every text an action produced, against the paragraph's MT. */
export function refreshFindings(article: Article, rec: ActionRecorder, glossary: GlossaryEntry[]): void {
  const changed = new Set(rec.revisions.map((r) => r.paragraphId));
  for (const id of changed) {
    const p = findParagraph(article, id);
    if (!p.mt || p.text === p.mt || p.status === 'deleted') {
      delete p.findings;
      continue;
    }
    p.findings = memoChecks(p.mt, p.text, p.source, glossary, p.codes);
  }
}

/** Findings depend only on (MT, text, source, glossary); editors toggle between the same texts a lot. */
const checkMemo = new WeakMap<object, Map<string, Finding[]>>();
const CHECK_MEMO_SIZE = 5000;

function memoFor(glossary: GlossaryEntry[]): Map<string, Finding[]> {
  let memo = checkMemo.get(glossary);
  if (!memo) checkMemo.set(glossary, (memo = new Map()));
  return memo;
}

function remember(memo: Map<string, Finding[]>, key: string, found: Finding[]): void {
  if (memo.size >= CHECK_MEMO_SIZE) memo.delete(memo.keys().next().value!);
  memo.set(key, found);
}

const codesKey = (codes: InlineCode[] | undefined) => (codes?.length ? codes.map((c) => `${c.n}:${c.kind}:${c.label}`).join('\u0002') : '');
const memoKey = (mt: string, text: string, source: string | undefined, codes?: InlineCode[]) => `${mt}\u0001${text}\u0001${source ?? ''}\u0001${codesKey(codes)}`;
const checkContext = (source: string | undefined, glossary: GlossaryEntry[], codes: InlineCode[] | undefined) => ({ ...(source ? { source } : {}), glossary, ...(codes?.length ? { codes } : {}) });

function memoChecks(mt: string, text: string, source: string | undefined, glossary: GlossaryEntry[], codes?: InlineCode[]): Finding[] {
  const memo = memoFor(glossary);
  const key = memoKey(mt, text, source, codes);
  const known = memo.get(key);
  if (known) return known;
  const found = runChecks(mt, text, checkContext(source, glossary, codes));
  remember(memo, key, found);
  return found;
}

/**
 * Computes, on the checks' worker thread, the findings an action is about to need, so the article
 * lock is not held while the main thread runs the fact guard. `lane` `later` when nobody waits for
 * the action yet (a suggestion priming its accept): an editor's edit goes first.
 */
export async function primeChecks(mt: string, text: string, source: string | undefined, glossary: GlossaryEntry[], codes?: InlineCode[], lane: Lane = 'now'): Promise<void> {
  const memo = memoFor(glossary);
  const key = memoKey(mt, text, source, codes);
  if (memo.has(key)) return;
  remember(memo, key, await runChecksOffThread(mt, text, checkContext(source, glossary, codes), lane));
}

export function reindex(article: Article): void {
  article.paragraphs.forEach((p, i) => {
    if (p.index !== i) ownParagraph(article, i).index = i;
  });
}

/**
 * Runs one paragraph action under the article lock and persists it. `apply` changes the paragraph
 * (and maybe its neighbours) through the recorder and returns the paragraph to answer with.
 */
export async function changeParagraph(
  services: Services,
  target: ParagraphTarget,
  action: ParagraphAction,
  apply: (p: Paragraph, rec: ActionRecorder) => Paragraph | void,
  options: {
    undoable?: boolean;
    requireBase?: boolean;
    expectedText?: (p: Paragraph) => string | undefined;
    /** Review actions decide on their own state machine (core/reviewState.ts): no lock or status check here. */
    review?: boolean;
  } = {},
): Promise<Paragraph> {
  const { undoable = true, requireBase = true } = options;
  const entries = await uploadedGlossary(services, target.articleId);
  if (options.expectedText) {
    // Only to prime the checks: a copy that may be stale (PostgreSQL's cached one, no round trip) will do;
    // if it is, the checks run again under the lock on the current text.
    const stored = services.store.peekArticle?.(target.articleId) ?? (await services.store.readArticle(target.articleId));
    const before = stored && paragraphById(stored, target.paragraphId);
    const text = before && options.expectedText(before);
    if (before?.mt && text && text !== before.mt) await primeChecks(before.mt, text, before.source, glossaryForArticle(entries, stored), before.codes);
  }
  return services.store.updateArticle(target.articleId, (article) => {
    const p = findParagraph(article, target.paragraphId);
    // A locked paragraph says so before anything else: a stale revision would only send the editor to reload it.
    if (!options.review) checkUnlocked(p, action);
    if (requireBase || target.baseRevision !== undefined) checkBase(p, target.baseRevision);
    if (!options.review) checkState(p, action);
    const rec = new ActionRecorder(article, target.actor, services.now().toISOString(), target.seconds);
    const revisionBefore = p.revision;
    const answer = apply(p, rec) ?? p;
    refreshFindings(article, rec, glossaryForArticle(entries, article));
    if (undoable && rec.revisions.length) rec.pushUndo(rec.revisions[0]!.action);
    else {
      carryUndoEntries(article, new Map([[p.id, { from: revisionBefore, to: p.revision }]]));
      article.updatedAt = rec.at;
    }
    return { result: structuredClone(answer), revisions: rec.revisions, suggestions: rec.suggestions };
  });
}
