/** One paragraph as the JSON API shows it, and the editor page's view of its row. */
import { countSpans, diffWords, type DiffPart } from '../../core/diff.js';
import type { Finding, Paragraph, Role } from '../../core/types.js';
import { isLocked } from '../../core/reviewState.js';
import { riskBand, type RiskBand } from '../../core/risk.js';
import { glossaryTermsIn, type GlossaryHit } from '../../checks/glossary.js';
import type { GlossaryEntry } from '../../core/glossary.js';
import type { ParagraphMtFlags } from '../../checks/mt/flagCache.js';
import { markDiff, markText, withCodeChips, type CodeChip, type DiffPiece, type DiffSegment } from '../diffView.js';
import { mtPieces, sourcePieces, type FlagPiece } from '../mtFlagView.js';
import { paragraphCan, type ParagraphCan } from './can.js';
import { openSuggestion, presentSuggestion } from './suggestion.js';

/**
 * `mt`: the paragraph's MT flags and risk when they are known (they are computed in the background:
 * absent means "not checked yet", an empty list means "nothing found"). `role`: the viewer's, for
 * `can` (what they may do with the paragraph now); without it the answer has no `can`.
 */
export function presentParagraph(p: Paragraph, mt?: ParagraphMtFlags, role?: Role) {
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
    ...(role ? { can: paragraphCan(role, p) } : {}),
  };
}

/** "Approved by ann on 2025-03-01 and locked", or '' while the paragraph is not locked. */
export function lockNote(p: Paragraph): string {
  if (!isLocked(p.review)) return '';
  return `Approved${p.approval ? ` by ${p.approval.by} on ${p.approval.at.slice(0, 10)}` : ''} and locked`;
}

/** The editor page's view of one paragraph. */
export interface ParagraphView {
  p: ReturnType<typeof presentParagraph>;
  /** What the viewer may do with the paragraph: the row offers exactly these actions. */
  can: ParagraphCan;
  deleted: boolean;
  locked: boolean;
  /** Who approved it and when, while locked ('' otherwise). */
  lockNote: string;
  open?: ReturnType<typeof presentSuggestion>;
  /** Diff of the current text against the open suggestion, or against the MT once changed. */
  diff: DiffPart[];
  /** The diff cut at the findings' spans, for display. */
  segments: DiffSegment[];
  /** The current text cut at the findings' spans, when shown without a diff. */
  textPieces: DiffPiece[];
  /** What the current text's label adds when there is no diff to show ('' for nothing). */
  textNote: string;
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
}

export interface MtView {
  checked: boolean;
  /** The MT is still being checked (a live paragraph with an MT, not checked yet). */
  pending: boolean;
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
    pending: mt === undefined && p.mt !== '' && p.status !== 'deleted',
    flags,
    risk,
    band: riskBand(risk),
    mtPieces: withCodeChips(mtPieces(p.mt, flags), p.codes),
    sourcePieces: p.source ? withCodeChips(sourcePieces(p.source, flags), p.codes) : [],
  };
}

const TEXT_NOTES: Partial<Record<Paragraph['status'], string>> = {
  pending: 'no suggestion yet (press s)',
  rejected: 'suggestion rejected, text kept',
  kept: 'kept as is',
};

/** `role`: the viewer's (rows are cached per role). */
export function paragraphView(p: Paragraph, glossary: GlossaryEntry[] = [], mtFlags?: ParagraphMtFlags, role: Role = 'editor'): ParagraphView {
  const open = openSuggestion(p);
  const deleted = p.status === 'deleted';
  const terms = glossary.length && !deleted ? glossaryTermsIn(p.text, glossary) : [];
  const common = {
    mt: mtView(p, mtFlags),
    p: presentParagraph(p, mtFlags),
    can: paragraphCan(role, p),
    deleted,
    locked: isLocked(p.review),
    lockNote: lockNote(p),
    terms,
  };
  if (open) {
    const diff = diffWords(p.text, open.text);
    return {
      ...common,
      open: presentSuggestion(open),
      diff,
      segments: markDiff(diff, open.checks, p.codes),
      textPieces: [],
      textNote: '',
      findings: open.checks,
      diffKind: 'suggestion',
      spans: countSpans(diff),
      warnings: open.checks.filter((c) => c.severity === 'warning').length,
    };
  }
  const changed = p.mt !== '' && p.text !== p.mt;
  const diff = changed ? diffWords(p.mt, p.text) : [];
  const findings = p.findings ?? [];
  return {
    ...common,
    diff,
    segments: markDiff(diff, findings, p.codes),
    textPieces: markText(p.text, findings, p.codes),
    textNote: TEXT_NOTES[p.status] ?? (p.status === 'suggested' && p.suggestion?.text === p.text ? 'the suggestion changes nothing: keep it as is (c)' : ''),
    findings,
    diffKind: changed ? 'from-mt' : 'none',
    spans: 0,
    warnings: findings.filter((c) => c.severity === 'warning').length,
    ...(p.suggestion ? { lastSuggestion: presentSuggestion(p.suggestion) } : {}),
  };
}
