/** What the JSON API and the pages show of the domain model: a whitelist of fields, nothing more. */
import { articleLanguages } from '../core/articleFacts.js';
import { countSpans, diffWords, type DiffPart } from '../core/diff.js';
import type { Article, ArticleSummary, Finding, Paragraph, Revision, Suggestion } from '../core/types.js';
import { markDiff, markText, withCodeChips, type CodeChip, type DiffPiece, type DiffSegment } from './diffView.js';
import { glossaryTermsIn, type GlossaryHit } from '../checks/glossary.js';
import type { GlossaryEntry } from '../core/glossary.js';
import type { ParagraphMtFlags } from '../checks/mt/flagCache.js';
import { riskBand, type RiskBand } from '../core/risk.js';
import { mtPieces, sourcePieces, type FlagPiece } from './mtFlagView.js';
import { canApply, isDecided } from '../core/paragraphState.js';
import { isLocked } from '../core/reviewState.js';

export function presentSuggestion(s: Suggestion) {
  return {
    id: s.id,
    text: s.text,
    engine: s.engine,
    model: s.model,
    checks: s.checks,
    createdAt: s.createdAt,
    ...(s.level ? { level: s.level } : {}),
    ...(s.usage ? { usage: s.usage } : {}),
    ...(s.examples ? { examples: s.examples } : {}),
  };
}

/**
 * `mt`: the paragraph's MT flags and risk when they are known (they are computed in the background:
 * absent means "not checked yet", an empty list means "nothing found").
 */
export function presentParagraph(p: Paragraph, mt?: ParagraphMtFlags) {
  return {
    id: p.id,
    index: p.index,
    kind: p.kind,
    ...(p.source !== undefined ? { source: p.source } : {}),
    mt: p.mt,
    text: p.text,
    status: p.status,
    revision: p.revision,
    ...(p.suggestion ? { suggestion: presentSuggestion(p.suggestion) } : {}),
    ...(p.findings?.length ? { findings: p.findings } : {}),
    review: p.review ?? 'none',
    ...(p.approval ? { approval: p.approval } : {}),
    ...(p.lastChange ? { lastChange: p.lastChange } : {}),
    comments: p.comments ?? [],
    // Inline codes the text holds as ⟦n⟧ / ⟦/n⟧: what each stands for (the original XML stays on the server).
    ...(p.codes?.length ? { codes: p.codes.map(({ n, kind, label }) => ({ n, kind, label })) } : {}),
    ...(mt ? { mtFlags: mt.flags, risk: mt.risk } : {}),
  };
}

export function presentArticle(a: Article, mt?: ReadonlyMap<string, ParagraphMtFlags>) {
  return {
    id: a.id,
    title: a.title,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    hasSource: a.hasSource,
    hasReference: a.hasReference,
    ...articleLanguages(a),
    ...(a.usage ? { usage: a.usage } : {}),
    paragraphs: a.paragraphs.map((p) => presentParagraph(p, mt?.get(p.id))),
  };
}

export function presentSummary(s: ArticleSummary) {
  return { id: s.id, title: s.title, counts: s.counts, paragraphs: s.paragraphs, updatedAt: s.updatedAt, review: s.review };
}

export function presentRevision(r: Revision, previousText: string) {
  return {
    n: r.n,
    action: r.action,
    author: r.author,
    at: r.at,
    text: r.text,
    status: r.status,
    diff: diffWords(previousText, r.text),
    summary: r.diff,
    ...(r.suggestionId ? { suggestionId: r.suggestionId } : {}),
    ...(r.revertedTo ? { revertedTo: r.revertedTo } : {}),
    ...(r.review ? { review: r.review } : {}),
    ...(r.comment ? { comment: r.comment } : {}),
  };
}

export function presentHistory(revisions: Revision[]) {
  return revisions.map((r, i) => presentRevision(r, i > 0 ? revisions[i - 1]!.text : ''));
}

/** A suggestion still waiting for the editor's decision on the paragraph's current text. */
export function openSuggestion(p: Paragraph): Suggestion | undefined {
  const s = p.suggestion;
  if (!s || p.status === 'deleted') return undefined;
  // A rejected paragraph shows only a suggestion asked for after the rejection (older data: none).
  if (p.status === 'rejected' && (p.rejectedSuggestion === undefined || p.rejectedSuggestion === s.id)) return undefined;
  if (s.basedOn !== p.text || s.text === p.text) return undefined;
  return s;
}

export const REVIEW_LABELS: Record<string, { label: string; icon: string }> = {
  none: { label: 'Not in review', icon: '' },
  'in-review': { label: 'In review', icon: '' },
  approved: { label: 'Approved', icon: '✓' },
  'sent-back': { label: 'Sent back', icon: '↩' },
};

export const STATUS_LABELS: Record<string, { label: string; icon: string }> = {
  pending: { label: 'Pending', icon: '○' },
  suggested: { label: 'Suggested', icon: '◐' },
  accepted: { label: 'Accepted', icon: '✓' },
  edited: { label: 'Edited', icon: '✎' },
  rejected: { label: 'Rejected', icon: '✗' },
  kept: { label: 'Kept as is', icon: '=' },
  deleted: { label: 'Deleted', icon: '⌫' },
};

/** The editor page's view of one paragraph. */
export interface ParagraphView {
  p: ReturnType<typeof presentParagraph>;
  open?: ReturnType<typeof presentSuggestion>;
  /** Diff of the current text against the open suggestion, or against the MT once changed. */
  diff: DiffPart[];
  /** The diff cut at the findings' spans, for display. */
  segments: DiffSegment[];
  /** The current text cut at the findings' spans, when shown without a diff. */
  textPieces: DiffPiece[];
  /** Findings shown with the row: the open suggestion's, else the current text's. */
  findings: Finding[];
  diffKind: 'suggestion' | 'from-mt' | 'none';
  spans: number;
  warnings: number;
  /** Suggestion that was there but is no longer open (accepted, rejected, or stale). */
  lastSuggestion?: ReturnType<typeof presentSuggestion>;
  /** Glossary entries the current text contains. */
  terms: GlossaryHit[];
  /** MT flags, when checked; the MT and source cut at them. */
  mt: MtView;
  /** The status records an editor's decision (the row offers approve and send-for-review). */
  decided: boolean;
  /** "Keep as is" applies: undecided or rejected, and not locked. */
  keepable: boolean;
}

export interface MtView {
  checked: boolean;
  flags: ParagraphMtFlags['flags'];
  risk: number;
  band: RiskBand;
  mtPieces: Array<FlagPiece & { code?: CodeChip }>;
  sourcePieces: Array<FlagPiece & { code?: CodeChip }>;
}

function mtView(p: Paragraph, mt: ParagraphMtFlags | undefined): MtView {
  const flags = mt?.flags ?? [];
  const risk = mt?.risk ?? 0;
  return {
    checked: mt !== undefined,
    flags,
    risk,
    band: riskBand(risk),
    mtPieces: withCodeChips(mtPieces(p.mt, flags), p.codes),
    sourcePieces: p.source ? withCodeChips(sourcePieces(p.source, flags), p.codes) : [],
  };
}

export function paragraphView(p: Paragraph, glossary: GlossaryEntry[] = [], mtFlags?: ParagraphMtFlags): ParagraphView {
  const open = openSuggestion(p);
  const terms = glossary.length && p.status !== 'deleted' ? glossaryTermsIn(p.text, glossary) : [];
  const mt = mtView(p, mtFlags);
  const decision = { decided: isDecided(p.status), keepable: !isLocked(p.review) && canApply('keep', p.status) };
  if (open) {
    const diff = diffWords(p.text, open.text);
    return {
      mt,
      ...decision,
      p: presentParagraph(p, mtFlags),
      open: presentSuggestion(open),
      diff,
      segments: markDiff(diff, open.checks, p.codes),
      textPieces: [],
      findings: open.checks,
      terms,
      diffKind: 'suggestion',
      spans: countSpans(diff),
      warnings: open.checks.filter((c) => c.severity === 'warning').length,
    };
  }
  const changed = p.mt !== '' && p.text !== p.mt;
  const diff = changed ? diffWords(p.mt, p.text) : [];
  const findings = p.findings ?? [];
  return {
    mt,
    ...decision,
    p: presentParagraph(p, mtFlags),
    diff,
    segments: markDiff(diff, findings, p.codes),
    textPieces: markText(p.text, findings, p.codes),
    findings,
    terms,
    diffKind: changed ? 'from-mt' : 'none',
    spans: 0,
    warnings: findings.filter((c) => c.severity === 'warning').length,
    ...(p.suggestion ? { lastSuggestion: presentSuggestion(p.suggestion) } : {}),
  };
}
