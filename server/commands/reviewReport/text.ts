/** The wording both renderings of a review report share: labels, dates, durations, summary lines. */
import { undecidedLine } from '../../core/articleFacts.js';
import { DECISION_KINDS, DECISION_LABELS } from '../../core/effort.js';
import type { RevisionAction } from '../../core/types.js';
import type { ReportChange, ReportModel, ReportParagraph } from './model.js';

export const ACTION_LABELS: Partial<Record<RevisionAction, string>> = {
  accept: 'accepted the suggestion',
  'accept-partial': 'accepted part of the suggestion',
  edit: 'edited',
  reject: 'rejected the suggestion',
  keep: 'kept as is',
  revert: 'reverted',
  undo: 'undid an action',
  delete: 'deleted',
  split: 'split',
  'split-off': 'split off',
  merge: 'merged the next paragraph in',
  'merged-away': 'merged into the previous paragraph',
  submit: 'submitted for review',
  approve: 'approved',
  'send-back': 'sent back',
  reopen: 'reopened',
};

export const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending', suggested: 'Suggested', accepted: 'Accepted', edited: 'Edited', rejected: 'Rejected', kept: 'Kept as is', deleted: 'Deleted',
};
export const REVIEW_LABELS: Record<string, string> = { none: 'Not in review', 'in-review': 'In review', approved: 'Approved', 'sent-back': 'Sent back' };

export const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;
const n3 = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(3));
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export interface Line {
  label: string;
  value: string;
}

export function summaryLines(m: ReportModel): Line[] {
  const s = m.summary;
  const d = s.decisions;
  const lines: Line[] = [
    { label: 'Review status', value: m.article.status },
    { label: 'Paragraphs', value: `${m.live} live · ${s.changed} changed from the MT · ${m.deleted} deleted · ${m.approved} approved` },
    { label: 'Undecided', value: m.undecided.undecided ? undecidedLine(m.undecided) : `none (${undecidedLine(m.undecided)})` },
    {
      label: 'HTER MT → final',
      value: s.hter ? `${n3(s.hter.corpus)} (${s.hter.edits} word edits ÷ ${s.hter.words} final words) · mean per paragraph ${n3(s.hter.mean)}` : '–',
    },
    {
      label: 'HTER suggestion → final',
      value: s.suggestionHter ? `${n3(s.suggestionHter.corpus)} over ${s.suggestionHter.n} paragraph${s.suggestionHter.n === 1 ? '' : 's'} with a suggestion` : '– (no decided suggestion)',
    },
    {
      label: 'Decisions',
      value: d.total
        ? DECISION_KINDS.filter((k) => k !== 'keep' || d.keep > 0).map((k) => `${DECISION_LABELS[k].toLowerCase()} ${d[k]}${s.rates ? ` (${pct(s.rates[k])})` : ''}`).join(' · ') + ` · ${d.total} in all`
        : 'none yet',
    },
    {
      label: 'Time',
      value: s.time.paragraphs
        ? `${duration(s.time.seconds)} over ${s.time.paragraphs} timed paragraph${s.time.paragraphs === 1 ? '' : 's'} · ${s.time.secondsPerWord!.toFixed(2)} s per word`
        : 'not measured',
    },
  ];
  return lines;
}

export function changeText(c: ReportChange): string {
  const what = ACTION_LABELS[c.action] ?? c.action;
  return `${what}${c.revertedTo ? ` to revision ${c.revertedTo}` : ''} (revision ${c.n}, ${when(c.at)}${c.seconds !== undefined ? `, ${duration(c.seconds)}` : ''})`;
}

export function paragraphFacts(p: ReportParagraph): string[] {
  const facts: string[] = [];
  const e = p.effort;
  if (e) {
    facts.push(
      e.edits === null
        ? `${e.words} words (no MT: made by a split)`
        : `${e.edits} word edit${e.edits === 1 ? '' : 's'} from the MT, ${e.words} words now: HTER ${n3(e.hter)}`,
    );
    if (e.decision) facts.push(`Decision: ${DECISION_LABELS[e.decision.action].toLowerCase()} by ${e.decision.author}, ${when(e.decision.at)}`);
    if (e.suggestion) facts.push(`Suggestion: ${e.suggestion.engine} (${e.suggestion.model})${e.suggestion.runId ? `, run ${e.suggestion.runId}` : ''}: HTER suggestion → final ${n3(e.suggestion.hter)}`);
    if (e.seconds !== null) facts.push(`Time to edit: ${duration(e.seconds)}`);
  }
  return facts;
}
