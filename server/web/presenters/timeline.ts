/** An article's timeline: every recorded action and every remark, oldest first, with what changed. */
import { diffWords, type DiffPart } from '../../core/diff.js';
import type { Article, Revision, Suggestion } from '../../core/types.js';
import { markDiff, type DiffSegment } from '../diffView.js';

export interface TimelineEntry {
  /** `revision` for a recorded action; `comment` for a remark in a paragraph's thread (no revision). */
  type: 'revision' | 'comment';
  /** Anchor on the timeline page: `e-PID-N` for revisions, `c-ID` for comments. */
  anchor: string;
  /** Position in the article's history, 1-based: the point `rev:SEQ` is the article right after it. */
  seq?: number;
  paragraphId: string;
  /** The paragraph's position in the current article. */
  index: number;
  /** The paragraph's revision number (revisions only). */
  n?: number;
  action: string;
  author: string;
  at: string;
  text?: string;
  status?: string;
  review?: string;
  comment?: string;
  revertedTo?: number;
  /** Whether the action changed the paragraph's text. */
  textChanged: boolean;
  /** Against the paragraph's previous revision. */
  diff: DiffPart[];
  added: number;
  removed: number;
  seconds?: number;
  /** For a suggest action: what the engine proposed, as a diff of the paragraph's text. */
  suggestion?: { id: string; engine: string; model: string; runId?: string; diff: DiffPart[] };
}

export function buildTimeline(article: Article, history: Revision[], suggestions: Suggestion[]): TimelineEntry[] {
  const index = new Map(article.paragraphs.map((p) => [p.id, p.index]));
  const byId = new Map(suggestions.map((s) => [s.id, s]));
  const previous = new Map<string, string>();
  const entries: TimelineEntry[] = history.map((r, i) => {
    const before = previous.get(r.paragraphId) ?? '';
    previous.set(r.paragraphId, r.text);
    const textChanged = before !== r.text;
    const s = r.action === 'suggest' && r.suggestionId ? byId.get(r.suggestionId) : undefined;
    return {
      type: 'revision',
      anchor: `e-${r.paragraphId}-${r.n}`,
      seq: i + 1,
      paragraphId: r.paragraphId,
      index: index.get(r.paragraphId) ?? -1,
      n: r.n,
      action: r.action,
      author: r.author,
      at: r.at,
      text: r.text,
      status: r.status,
      ...(r.review ? { review: r.review } : {}),
      ...(r.comment ? { comment: r.comment } : {}),
      ...(r.revertedTo ? { revertedTo: r.revertedTo } : {}),
      textChanged,
      diff: textChanged ? diffWords(before, r.text) : [],
      added: r.diff.added,
      removed: r.diff.removed,
      ...(r.seconds !== undefined ? { seconds: r.seconds } : {}),
      ...(s ? { suggestion: { id: s.id, engine: s.engine, model: s.model, ...(s.runId ? { runId: s.runId } : {}), diff: diffWords(r.text, s.text) } } : {}),
    };
  });
  // Plain remarks change no revision but are actions too; review actions carry theirs already.
  const comments: TimelineEntry[] = article.paragraphs
    .flatMap((p) => (p.comments ?? []).filter((c) => !c.action).map((c) => ({ p, c })))
    .map(({ p, c }) => ({
      type: 'comment',
      anchor: `c-${c.id}`,
      paragraphId: p.id,
      index: p.index,
      action: 'comment',
      author: c.author,
      at: c.at,
      comment: c.text,
      textChanged: false,
      diff: [],
      added: 0,
      removed: 0,
    }));
  if (!comments.length) return entries;
  comments.sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  // Merge by time; on a tie the recorded action comes first.
  const merged: TimelineEntry[] = [];
  let j = 0;
  for (const e of entries) {
    while (j < comments.length && Date.parse(comments[j]!.at) < Date.parse(e.at)) merged.push(comments[j++]!);
    merged.push(e);
  }
  while (j < comments.length) merged.push(comments[j++]!);
  return merged;
}

/** A timeline entry as the page shows it: its diffs marked, how it is shown decided. */
export function timelineRow(e: TimelineEntry) {
  const shows = e.type === 'comment' ? 'comment' : e.action === 'import' ? 'import' : e.textChanged ? 'diff' : 'unchanged';
  return {
    ...e,
    shows,
    segments: shows === 'diff' ? markDiff(e.diff) : ([] as DiffSegment[]),
    ...(e.suggestion ? { suggestionSegments: markDiff(e.suggestion.diff) } : {}),
  };
}
