/**
 * The whole article's text at a point of its life, rebuilt from its append-only history, and the
 * comparison of two such points paragraph by paragraph. Pure: no store, no clock.
 *
 * A point is written as
 * - `mt`: every paragraph's machine translation (paragraphs created by a split have none: absent);
 * - `current`: the text now;
 * - `rev:N`: the article after the first N entries of its history (all paragraphs, in append order, 1-based);
 * - `at:ISO-TIME`: after every entry made at or before that time (a time without a zone is UTC; a bare
 *   date means 00:00 UTC that day);
 * - `run:RUN`: each paragraph's suggestion from that batch run (the run's latest for the paragraph);
 *   paragraphs the run did not reach keep their MT.
 */
import { diffWords, summarizeDiff, type DiffPart } from './diff.js';
import type { Article, ParagraphKind, ParagraphStatus, Revision, Suggestion } from './types.js';

export type Point =
  | { kind: 'mt' }
  | { kind: 'current' }
  | { kind: 'rev'; n: number }
  | { kind: 'at'; at: string; time: number }
  | { kind: 'run'; runId: string };

/** A point that cannot be read, or that does not exist in this article. Routes answer 400. */
export class PointError extends Error {}

const POINT_SYNTAX = 'use mt, current, rev:N, at:ISO-TIME (e.g. at:2025-03-01T14:30Z) or run:RUN';
const MAX_POINT_LENGTH = 200;

/** Reads `mt`, `current`, `rev:N`, `at:ISO-TIME` or `run:RUN`; throws a PointError saying what is wrong. */
export function parsePoint(input: string): Point {
  const s = input.trim();
  if (!s) throw new PointError(`empty point: ${POINT_SYNTAX}`);
  if (s.length > MAX_POINT_LENGTH) throw new PointError(`a point has at most ${MAX_POINT_LENGTH} characters`);
  const lower = s.toLowerCase();
  if (lower === 'mt') return { kind: 'mt' };
  if (lower === 'current') return { kind: 'current' };
  const colon = s.indexOf(':');
  const prefix = colon < 0 ? '' : lower.slice(0, colon);
  const rest = colon < 0 ? '' : s.slice(colon + 1).trim();
  switch (prefix) {
    case 'rev': {
      if (!/^\d+$/.test(rest)) throw new PointError(`"${s}": the N of rev:N must be a whole number of actions, 1 or more`);
      const n = Number(rest);
      if (n < 1 || !Number.isSafeInteger(n)) throw new PointError(`"${s}": the N of rev:N must be 1 or more (rev:1 is the article after its first recorded action)`);
      return { kind: 'rev', n };
    }
    case 'at': {
      const time = parseTime(rest);
      if (time === undefined) throw new PointError(`"${s}": not a time; write an ISO time such as at:2025-03-01T14:30:00Z (UTC when no zone is given)`);
      return { kind: 'at', at: new Date(time).toISOString(), time };
    }
    case 'run': {
      if (!/^[\w.:-]+$/.test(rest)) throw new PointError(`"${s}": a run id is letters, digits, ".", "_", ":" and "-"`);
      return { kind: 'run', runId: rest };
    }
    default:
      throw new PointError(`"${s}" is not a point: ${POINT_SYNTAX}`);
  }
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Milliseconds since the epoch of an ISO date or date-time, or undefined when it is not a real one. */
function parseTime(text: string): number | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => (x === undefined ? undefined : Number(x)));
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (year === undefined || month === undefined || day === undefined) return undefined;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 February over into March: refuse days the month does not have.
  if (new Date(utc).getUTCDate() !== day) return undefined;
  let offset = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const hours = Number(z[2]);
    const minutes = Number(z[3]);
    if (hours > 23 || minutes > 59) return undefined;
    offset = (z[1] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  return utc - offset;
}

/** The canonical text of a point, as accepted by parsePoint. */
export function formatPoint(p: Point): string {
  switch (p.kind) {
    case 'mt': return 'mt';
    case 'current': return 'current';
    case 'rev': return `rev:${p.n}`;
    case 'at': return `at:${p.at}`;
    case 'run': return `run:${p.runId}`;
  }
}

/** A short human name of a point. */
export function describePoint(p: Point): string {
  switch (p.kind) {
    case 'mt': return 'Machine translation';
    case 'current': return 'Current text';
    case 'rev': return `After action ${p.n}`;
    case 'at': return `As of ${p.at.replace('T', ' ').replace(/\.000Z$|Z$/, '')} UTC`;
    case 'run': return `Run ${p.runId}`;
  }
}

/** One paragraph of the article at a point. `text` is empty and meaningless when it is not present. */
export interface ParagraphState {
  paragraphId: string;
  /** Position in the current article (0-based, counting deleted paragraphs). */
  index: number;
  kind: ParagraphKind;
  text: string;
  /** `absent` when the paragraph did not exist yet at that point (or has no MT). */
  status: ParagraphStatus | 'absent';
  /** Existed at that point and was not deleted. */
  present: boolean;
  /** The paragraph's own revision number at that point, for history states. */
  revision?: number;
  /** The suggestion shown, for run states. */
  suggestionId?: string;
}

export interface ArticleState {
  point: Point;
  /** Every paragraph of the current article, in its order; check `present`. */
  paragraphs: ParagraphState[];
}

/**
 * The article at `point`. `history` is the article's full history in append order; `suggestions`
 * (needed for run points) every suggestion stored for it. Throws a PointError for a revision past the
 * end of the history or a run that made no suggestion here.
 */
export function articleState(article: Article, history: readonly Revision[], point: Point, suggestions: readonly Suggestion[] = []): ArticleState {
  const base = (p: Article['paragraphs'][number]) => ({ paragraphId: p.id, index: p.index, kind: p.kind });
  switch (point.kind) {
    case 'mt':
      return {
        point,
        paragraphs: article.paragraphs.map((p) =>
          p.mt ? { ...base(p), text: p.mt, status: 'pending', present: true } : { ...base(p), text: '', status: 'absent', present: false },
        ),
      };
    case 'current':
      return {
        point,
        paragraphs: article.paragraphs.map((p) => ({
          ...base(p),
          text: p.status === 'deleted' ? '' : p.text,
          status: p.status,
          present: p.status !== 'deleted',
          revision: p.revision,
        })),
      };
    case 'run': {
      const mine = new Map<string, Suggestion>();
      for (const s of suggestions) if (s.runId === point.runId) mine.set(s.paragraphId, s);
      if (mine.size === 0) throw new PointError(`run "${point.runId}" made no suggestion for this article`);
      return {
        point,
        paragraphs: article.paragraphs.map((p): ParagraphState => {
          const s = mine.get(p.id);
          if (s) return { ...base(p), text: s.text, status: 'suggested', present: true, suggestionId: s.id };
          return p.mt ? { ...base(p), text: p.mt, status: 'pending', present: true } : { ...base(p), text: '', status: 'absent', present: false };
        }),
      };
    }
    case 'rev':
    case 'at': {
      let upto: readonly Revision[];
      if (point.kind === 'rev') {
        if (point.n > history.length) {
          throw new PointError(`rev:${point.n} does not exist: this article has ${history.length} recorded action${history.length === 1 ? '' : 's'}`);
        }
        upto = history.slice(0, point.n);
      } else {
        upto = history.filter((r) => Date.parse(r.at) <= point.time);
      }
      const last = new Map<string, Revision>();
      for (const r of upto) last.set(r.paragraphId, r);
      return {
        point,
        paragraphs: article.paragraphs.map((p): ParagraphState => {
          const r = last.get(p.id);
          if (!r) return { ...base(p), text: '', status: 'absent', present: false };
          const present = r.status !== 'deleted';
          return { ...base(p), text: present ? r.text : '', status: r.status, present, revision: r.n };
        }),
      };
    }
  }
}

export interface ParagraphComparison {
  paragraphId: string;
  index: number;
  kind: ParagraphKind;
  /** Text at the first point, when the paragraph is present there. */
  a?: string;
  /** Text at the second point, when the paragraph is present there. */
  b?: string;
  aStatus: ParagraphStatus | 'absent';
  bStatus: ParagraphStatus | 'absent';
  /** The text differs, or the paragraph is present at only one of the points. */
  changed: boolean;
  /** Word diff from a to b (a missing side counts as empty). */
  diff: DiffPart[];
  added: number;
  removed: number;
}

export interface ComparisonSummary {
  /** Paragraphs whose text differs, including ones present at only one point. */
  paragraphsChanged: number;
  /** Present at both points with the same text. */
  paragraphsUnchanged: number;
  /** Present only at the second point (created by a split, or undeleted). */
  paragraphsAdded: number;
  /** Present only at the first point (deleted, merged away). */
  paragraphsRemoved: number;
  wordsAdded: number;
  wordsRemoved: number;
}

export interface ArticleComparison {
  paragraphs: ParagraphComparison[];
  summary: ComparisonSummary;
}

/** Compares two states of the same article paragraph by paragraph, in the order of `a`. */
export function compareStates(a: ArticleState, b: ArticleState): ArticleComparison {
  const right = new Map(b.paragraphs.map((p) => [p.paragraphId, p]));
  const leftIds = new Set(a.paragraphs.map((p) => p.paragraphId));
  const order: Array<{ x: ParagraphState | undefined; first: ParagraphState }> = [
    ...a.paragraphs.map((p) => ({ x: p, first: p })),
    ...b.paragraphs.filter((p) => !leftIds.has(p.paragraphId)).map((p) => ({ x: undefined, first: p })),
  ];
  const summary: ComparisonSummary = { paragraphsChanged: 0, paragraphsUnchanged: 0, paragraphsAdded: 0, paragraphsRemoved: 0, wordsAdded: 0, wordsRemoved: 0 };
  const paragraphs = order.map(({ x, first }): ParagraphComparison => {
    const y = right.get(first.paragraphId);
    const at = x?.present ? x.text : undefined;
    const bt = y?.present ? y.text : undefined;
    const changed = at !== bt;
    const diff = at === undefined && bt === undefined ? [] : diffWords(at ?? '', bt ?? '');
    const { added, removed } = summarizeDiff(diff);
    if (changed) {
      summary.paragraphsChanged++;
      if (at === undefined) summary.paragraphsAdded++;
      if (bt === undefined) summary.paragraphsRemoved++;
    } else if (at !== undefined) summary.paragraphsUnchanged++;
    summary.wordsAdded += added;
    summary.wordsRemoved += removed;
    return {
      paragraphId: first.paragraphId,
      index: (y ?? first).index,
      kind: (y ?? first).kind,
      ...(at !== undefined ? { a: at } : {}),
      ...(bt !== undefined ? { b: bt } : {}),
      aStatus: x?.status ?? 'absent',
      bStatus: y?.status ?? 'absent',
      changed,
      diff,
      added,
      removed,
    };
  });
  return { paragraphs, summary };
}
