/**
 * Post-editing effort, paragraph by paragraph and aggregated per article, editor, engine and run.
 * Pure: it reads an article, its revisions and its suggestions, and computes; nothing is stored.
 *
 * For each live paragraph:
 * - MT → final: word edit distance and HTER (edits ÷ final words, see HTER_VARIANT);
 * - the decision in effect: the last accept / accept-partial / edit / reject whose result the
 *   paragraph still shows (an undo or a revert back to pending/suggested leaves it undecided), who
 *   made it, and the suggestion it concerned (accept, partial accept and reject name it; an edit
 *   counts against the suggestion that was open when the editor wrote their own text instead);
 * - suggestion → final: edits and HTER, when the decision concerned a suggestion;
 * - time-to-edit: Σ `seconds` over the paragraph's decision revisions (null when none was timed).
 *
 * Seconds per word divide Σ seconds by Σ final words over timed paragraphs only, so paragraphs
 * decided through the API without a measured time do not make editors look faster.
 */
import { hterHistogram, hterOf, hterStat, HTER_VARIANT, rate, secondsPerWord, wordEditDistance, words, type HterBin, type HterStat } from './metrics.js';
import { DECIDED, DECISIONS } from './paragraphState.js';
import type { Article, ParagraphKind, ParagraphStatus, Revision, RevisionAction, Suggestion } from './types.js';

export type Decision = 'accept' | 'accept-partial' | 'edit' | 'reject' | 'keep';
export const DECISION_KINDS: readonly Decision[] = ['accept', 'accept-partial', 'edit', 'reject', 'keep'];

export const DECISION_LABELS: Record<Decision, string> = {
  accept: 'Accepted',
  'accept-partial': 'Partly accepted',
  edit: 'Edited',
  reject: 'Rejected',
  keep: 'Kept as is',
};

/** What the effort of one article is computed from. */
export interface ArticleInput {
  article: Article;
  /** All the article's revisions (any order). */
  history: Revision[];
  /** All the article's suggestions. */
  suggestions: Suggestion[];
}

export interface ParagraphEffort {
  articleId: string;
  paragraphId: string;
  index: number;
  kind: ParagraphKind;
  status: ParagraphStatus;
  mtWords: number;
  /** Words of the final (current) text. */
  words: number;
  /** Word edit distance MT → final; null for a paragraph without MT (made by a split). */
  edits: number | null;
  /** HTER(MT, final); null without MT. */
  hter: number | null;
  /** The final text differs from the MT. */
  changed: boolean;
  decision?: { action: Decision; author: string; at: string; revision: number };
  /** The suggestion the decision concerned. */
  suggestion?: { id: string; engine: string; model: string; runId?: string; edits: number; hter: number };
  /** Σ seconds over the paragraph's decision revisions; null when none carried a time. */
  seconds: number | null;
}

export type DecisionCounts = Record<Decision, number> & { total: number };

export interface EffortSummary {
  key: string;
  label: string;
  /** Extra line for the label (a run's engine and model). */
  detail?: string;
  /** Paragraphs counted. */
  paragraphs: number;
  /** Of which with a decision in effect. */
  decided: number;
  /** Of which whose final text differs from the MT. */
  changed: number;
  /** Final words of the paragraphs counted. */
  words: number;
  decisions: DecisionCounts;
  /** Shares of the decisions; null before any. */
  rates: Record<Decision, number> | null;
  /** HTER MT → final, over the paragraphs with MT. */
  hter: HterStat | null;
  /** HTER suggestion → final, over the paragraphs whose decision concerned a suggestion. */
  suggestionHter: HterStat | null;
  time: {
    /** Σ seconds over timed paragraphs. */
    seconds: number;
    /** Σ final words of timed paragraphs. */
    words: number;
    /** Timed paragraphs. */
    paragraphs: number;
    secondsPerWord: number | null;
  };
}

export interface EffortReport {
  variant: string;
  /** Every live paragraph of the articles. */
  totals: EffortSummary;
  /** One per article, over its live paragraphs. */
  articles: EffortSummary[];
  /** One per editor, over the paragraphs whose decision in effect is theirs. */
  editors: EffortSummary[];
  /** One per engine and model (key `engine · model`, label the engine, detail the model), over decided paragraphs whose decision concerned one of its suggestions. */
  engines: EffortSummary[];
  /** One per batch run, likewise. */
  runs: EffortSummary[];
  /** HTER MT → final of decided paragraphs, in bins of 0.1. */
  histogram: HterBin[];
  paragraphs: ParagraphEffort[];
}

const isDecision = (a: RevisionAction): a is Decision => (DECISIONS as RevisionAction[]).includes(a);
const DECIDED_STATUSES: readonly ParagraphStatus[] = DECIDED;

interface Trace {
  /** The decision revision in effect, and the suggestion it concerned. */
  decision?: { rev: Revision; suggestionId?: string };
  seconds: number | null;
}

/** Walks one paragraph's revisions (oldest first) to find the decision in effect and the time spent. */
export function traceParagraph(revisions: Revision[]): Trace {
  const revs = [...revisions].sort((a, b) => a.n - b.n);
  const effect = new Map<number, Trace['decision']>();
  let current: Trace['decision'];
  let open: string | undefined;
  let seconds: number | null = null;
  revs.forEach((r, i) => {
    if (isDecision(r.action)) {
      const suggestionId = r.suggestionId ?? (r.action === 'edit' ? open : undefined);
      current = { rev: r, ...(suggestionId ? { suggestionId } : {}) };
      open = undefined;
      if (typeof r.seconds === 'number' && Number.isFinite(r.seconds)) seconds = (seconds ?? 0) + r.seconds;
    } else if (r.action === 'suggest') {
      if (r.suggestionId) open = r.suggestionId;
    } else if (r.action === 'import' || r.action === 'split-off') {
      current = undefined;
    } else if (r.action === 'revert' && r.revertedTo !== undefined) {
      current = effect.get(r.revertedTo);
    } else if (r.action === 'undo') {
      // An undo restores the state before the undone action: the latest earlier revision showing the
      // same text and status carries the decision that was in effect then.
      let found = false;
      for (let j = i - 2; j >= 0; j--) {
        const e = revs[j]!;
        if (e.text === r.text && e.status === r.status) {
          current = effect.get(e.n);
          found = true;
          break;
        }
      }
      if (!found && !DECIDED_STATUSES.includes(r.status)) current = undefined;
    }
    effect.set(r.n, current);
  });
  return { ...(current ? { decision: current } : {}), seconds };
}

/** The effort figures of every live paragraph of an article. */
export function paragraphEfforts(input: ArticleInput): ParagraphEffort[] {
  const { article } = input;
  const byParagraph = new Map<string, Revision[]>();
  for (const r of input.history) {
    const list = byParagraph.get(r.paragraphId);
    if (list) list.push(r);
    else byParagraph.set(r.paragraphId, [r]);
  }
  const suggestions = new Map<string, Suggestion>();
  for (const s of input.suggestions) suggestions.set(s.id, s);
  for (const p of article.paragraphs) if (p.suggestion && !suggestions.has(p.suggestion.id)) suggestions.set(p.suggestion.id, p.suggestion);

  const rows: ParagraphEffort[] = [];
  for (const p of article.paragraphs) {
    if (p.status === 'deleted') continue;
    const final = words(p.text);
    const mt = words(p.mt);
    const edits = mt.length ? wordEditDistance(mt, final) : null;
    const trace = traceParagraph(byParagraph.get(p.id) ?? []);
    const d = DECIDED_STATUSES.includes(p.status) ? trace.decision : undefined;
    const s = d?.suggestionId ? suggestions.get(d.suggestionId) : undefined;
    const sEdits = s ? wordEditDistance(s.text, final) : 0;
    rows.push({
      articleId: article.id,
      paragraphId: p.id,
      index: p.index,
      kind: p.kind,
      status: p.status,
      mtWords: mt.length,
      words: final.length,
      edits,
      hter: edits === null ? null : hterOf(edits, final.length),
      changed: p.text !== p.mt,
      ...(d ? { decision: { action: d.rev.action as Decision, author: d.rev.author, at: d.rev.at, revision: d.rev.n } } : {}),
      ...(s
        ? { suggestion: { id: s.id, engine: s.engine, model: s.model, ...(s.runId ? { runId: s.runId } : {}), edits: sEdits, hter: hterOf(sEdits, final.length) } }
        : {}),
      seconds: trace.seconds,
    });
  }
  return rows;
}

function emptyCounts(): DecisionCounts {
  return { accept: 0, 'accept-partial': 0, edit: 0, reject: 0, keep: 0, total: 0 };
}

/** Aggregates paragraph figures: decision counts and rates, mean and corpus HTER, seconds per word. */
export function summarize(key: string, label: string, rows: ParagraphEffort[], detail?: string): EffortSummary {
  const decisions = emptyCounts();
  let time = 0;
  let timedWords = 0;
  let timed = 0;
  for (const r of rows) {
    if (r.decision) {
      decisions[r.decision.action]++;
      decisions.total++;
    }
    if (r.seconds !== null) {
      time += r.seconds;
      timedWords += r.words;
      timed++;
    }
  }
  const rates = decisions.total
    ? (Object.fromEntries(DECISION_KINDS.map((k) => [k, rate(decisions[k], decisions.total)!])) as Record<Decision, number>)
    : null;
  return {
    key,
    label,
    ...(detail ? { detail } : {}),
    paragraphs: rows.length,
    decided: decisions.total,
    changed: rows.filter((r) => r.changed).length,
    words: rows.reduce((n, r) => n + r.words, 0),
    decisions,
    rates,
    hter: hterStat(rows.flatMap((r) => (r.edits === null ? [] : [{ edits: r.edits, words: r.words }]))),
    suggestionHter: hterStat(rows.flatMap((r) => (r.suggestion ? [{ edits: r.suggestion.edits, words: r.words }] : []))),
    time: { seconds: time, words: timedWords, paragraphs: timed, secondsPerWord: secondsPerWord(time, timedWords) },
  };
}

function groupBy(rows: ParagraphEffort[], keyOf: (r: ParagraphEffort) => string | undefined): Map<string, ParagraphEffort[]> {
  const groups = new Map<string, ParagraphEffort[]>();
  for (const r of rows) {
    const k = keyOf(r);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

export function engineKey(s: { engine: string; model: string }): string {
  return `${s.engine} · ${s.model}`;
}

/** Effort over several articles, with the per-article, per-editor, per-engine and per-run views. */
export function effortReport(inputs: ArticleInput[]): EffortReport {
  const perArticle = inputs.map((input) => ({ article: input.article, rows: paragraphEfforts(input) }));
  const rows = perArticle.flatMap((a) => a.rows);
  const decided = rows.filter((r) => r.decision);
  const byName = (a: EffortSummary, b: EffortSummary) => a.key.localeCompare(b.key);

  const editors = [...groupBy(decided, (r) => r.decision!.author)].map(([k, list]) => summarize(k, k, list)).sort(byName);
  const engines = [...groupBy(decided, (r) => (r.suggestion ? engineKey(r.suggestion) : undefined))]
    .map(([k, list]) => summarize(k, list[0]!.suggestion!.engine, list, list[0]!.suggestion!.model))
    .sort(byName);
  const runs = [...groupBy(decided, (r) => r.suggestion?.runId)]
    .map(([k, list]) => {
      const models = [...new Set(list.map((r) => engineKey(r.suggestion!)))];
      return summarize(k, k, list, models.join(', '));
    })
    .sort(byName);
  return {
    variant: HTER_VARIANT,
    totals: summarize('all', 'All articles', rows),
    articles: perArticle.map((a) => summarize(a.article.id, a.article.title, a.rows)),
    editors,
    engines,
    runs,
    histogram: hterHistogram(decided.flatMap((r) => (r.hter === null ? [] : [r.hter]))),
    paragraphs: rows,
  };
}
