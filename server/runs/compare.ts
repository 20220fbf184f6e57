/**
 * What a run's suggestions were worth: the fact guard's warnings, how much they changed, what
 * editors then did with them, and how close they came to reference translations. Two runs side by
 * side, paragraph by paragraph, make the compare page.
 */
import { DECISIONS } from '../core/paragraphState.js';
import { diffWords, type DiffPart } from '../core/diff.js';
import { corpusHter, hter, wordEditDistance } from '../core/metrics.js';
import type { Article, Finding, Revision, RevisionAction, Suggestion } from '../core/types.js';
import type { Store } from '../store/types.js';
import type { Run } from '../store/runStore.js';

export interface HterFigure {
  n: number;
  mean: number;
  corpus: number;
}

export interface RunFigures {
  runId: string;
  /** Paragraphs with a suggestion from the run. */
  suggestions: number;
  warnings: number;
  paragraphsWithWarnings: number;
  /** Mean word edit distance from the text the engine was given (the MT unless edited) to the suggestion. */
  meanEditDistance: number | null;
  /** Paragraphs the suggestion left unchanged. */
  unchanged: number;
  decisions: { total: number; accept: number; partial: number; edit: number; reject: number };
  /** Shares of decisions; null before any. */
  rates: { accept: number; edit: number; reject: number } | null;
  /** HTER(suggestion → the paragraph's final text), over decided paragraphs. */
  hterFinal: HterFigure | null;
  /** Over paragraphs with a reference: HTER(MT, ref) and HTER(suggestion, ref). */
  reference: { mt: HterFigure; suggestion: HterFigure } | null;
}

export interface SideView {
  text: string;
  warnings: number;
  checks: Finding[];
  /** Changes from the text the engine was given. */
  diff: DiffPart[];
  decision?: Decision;
}

export interface CompareRow {
  articleId: string;
  articleTitle: string;
  paragraphId: string;
  index: number;
  mt: string;
  text: string;
  status: string;
  ref?: string;
  a?: SideView;
  b?: SideView;
  /** Run A's suggestion → run B's, when both have one. */
  diff?: DiffPart[];
  same: boolean;
  /** HTER against the reference, where the paragraph has one. */
  refHter?: { mt: number; a?: number; b?: number };
}

export type Decision = 'accept' | 'accept-partial' | 'edit' | 'reject' | 'keep';

/** Everything the figures are computed from, loaded once per article. */
export interface ArticleData {
  article: Article;
  suggestions: Suggestion[];
  history: Revision[];
}

export async function loadArticles(store: Store, ids: Iterable<string>): Promise<ArticleData[]> {
  const out: ArticleData[] = [];
  for (const id of new Set(ids)) {
    const article = await store.readArticle(id);
    if (!article) continue;
    out.push({ article, suggestions: await store.suggestions(id), history: await store.history(id) });
  }
  return out;
}

/** The run's latest suggestion for each paragraph. */
export function runSuggestions(data: ArticleData, runId: string): Map<string, Suggestion> {
  const mine = new Map<string, Suggestion>();
  for (const s of data.suggestions) if (s.runId === runId) mine.set(s.paragraphId, s);
  return mine;
}

/**
 * The editor's decision on each suggestion. Accept, partial accept and reject name the suggestion;
 * an edit does not, so it counts against the suggestion that was open on the paragraph when the
 * editor wrote their own text instead.
 */
export function decisionsOf(history: Revision[]): Map<string, Decision> {
  const decided = new Map<string, Decision>();
  const open = new Map<string, string>();
  for (const r of history) {
    if (r.action === 'suggest' && r.suggestionId) {
      open.set(r.paragraphId, r.suggestionId);
      continue;
    }
    if (!(DECISIONS as RevisionAction[]).includes(r.action)) continue;
    const id = r.suggestionId ?? (r.action === 'edit' ? open.get(r.paragraphId) : undefined);
    if (id && !decided.has(id)) decided.set(id, r.action as Decision);
    open.delete(r.paragraphId);
  }
  return decided;
}

function hterFigure(pairs: Array<{ hypothesis: string; reference: string }>): HterFigure | null {
  if (!pairs.length) return null;
  return {
    n: pairs.length,
    mean: pairs.reduce((s, p) => s + hter(p.hypothesis, p.reference), 0) / pairs.length,
    corpus: corpusHter(pairs),
  };
}

const warningsOf = (s: Suggestion) => s.checks.filter((c) => c.severity === 'warning').length;

export function runFigures(data: ArticleData[], runId: string): RunFigures {
  const f: RunFigures = {
    runId,
    suggestions: 0,
    warnings: 0,
    paragraphsWithWarnings: 0,
    meanEditDistance: null,
    unchanged: 0,
    decisions: { total: 0, accept: 0, partial: 0, edit: 0, reject: 0 },
    rates: null,
    hterFinal: null,
    reference: null,
  };
  let distance = 0;
  const final: Array<{ hypothesis: string; reference: string }> = [];
  const refMt: Array<{ hypothesis: string; reference: string }> = [];
  const refSug: Array<{ hypothesis: string; reference: string }> = [];
  for (const d of data) {
    const mine = runSuggestions(d, runId);
    const decided = decisionsOf(d.history);
    for (const p of d.article.paragraphs) {
      const s = mine.get(p.id);
      if (!s) continue;
      f.suggestions++;
      const w = warningsOf(s);
      f.warnings += w;
      if (w) f.paragraphsWithWarnings++;
      const dist = wordEditDistance(s.basedOn, s.text);
      distance += dist;
      if (dist === 0) f.unchanged++;
      const decision = decided.get(s.id);
      if (decision) {
        f.decisions.total++;
        // Keeping the MT as is turned the run's suggestion down, as a reject does.
        f.decisions[decision === 'accept-partial' ? 'partial' : decision === 'keep' ? 'reject' : decision]++;
        if (p.status !== 'deleted') final.push({ hypothesis: s.text, reference: p.text });
      }
      if (p.ref?.trim()) {
        refMt.push({ hypothesis: p.mt, reference: p.ref });
        refSug.push({ hypothesis: s.text, reference: p.ref });
      }
    }
  }
  if (f.suggestions) f.meanEditDistance = distance / f.suggestions;
  const t = f.decisions.total;
  if (t) f.rates = { accept: (f.decisions.accept + f.decisions.partial) / t, edit: f.decisions.edit / t, reject: f.decisions.reject / t };
  f.hterFinal = hterFigure(final);
  const mt = hterFigure(refMt);
  const sug = hterFigure(refSug);
  if (mt && sug) f.reference = { mt, suggestion: sug };
  return f;
}

function side(s: Suggestion | undefined, decided: Map<string, Decision>): SideView | undefined {
  if (!s) return undefined;
  const decision = decided.get(s.id);
  return { text: s.text, warnings: warningsOf(s), checks: s.checks, diff: diffWords(s.basedOn, s.text), ...(decision ? { decision } : {}) };
}

/** Paragraph by paragraph, in article order, every paragraph either run made a suggestion for. */
export function compareRows(data: ArticleData[], a: Run, b: Run): CompareRow[] {
  const rows: CompareRow[] = [];
  for (const d of data) {
    const sa = runSuggestions(d, a.id);
    const sb = runSuggestions(d, b.id);
    const decided = decisionsOf(d.history);
    for (const p of d.article.paragraphs) {
      const x = sa.get(p.id);
      const y = sb.get(p.id);
      if (!x && !y) continue;
      rows.push({
        articleId: d.article.id,
        articleTitle: d.article.title,
        paragraphId: p.id,
        index: p.index,
        mt: p.mt,
        text: p.text,
        status: p.status,
        ...(p.ref ? { ref: p.ref } : {}),
        ...(x ? { a: side(x, decided)! } : {}),
        ...(y ? { b: side(y, decided)! } : {}),
        ...(x && y ? { diff: diffWords(x.text, y.text) } : {}),
        same: !!x && !!y && x.text === y.text,
        ...(p.ref?.trim() ? { refHter: { mt: hter(p.mt, p.ref), ...(x ? { a: hter(x.text, p.ref) } : {}), ...(y ? { b: hter(y.text, p.ref) } : {}) } } : {}),
      });
    }
  }
  return rows;
}

export async function compareRuns(store: Store, a: Run, b: Run) {
  const data = await loadArticles(store, [...a.articles, ...b.articles]);
  return { rows: compareRows(data, a, b), figures: { a: runFigures(data, a.id), b: runFigures(data, b.id) } };
}
