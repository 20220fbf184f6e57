/**
 * Paragraph states in XLIFF files and back: the standard `state` of 1.2 and 2.0, Trados's
 * confirmation level (`sdl:seg@conf`), memoQ's row status (`mq:status`).
 *
 * States, Postedit → file (written only for a paragraph that changed since the import):
 *
 *   Postedit                                    1.2 target@state            2.0 segment@state   sdl:seg@conf          mq:status
 *   review approved (any status)                signed-off                  final               ApprovedTranslation   Reviewer1Confirmed
 *   review in-review                            needs-review-translation    translated          Translated            ManuallyConfirmed
 *   review sent-back                            needs-translation           initial             RejectedTranslation   Rejected
 *   pending                                     needs-translation           initial             Draft                 NotStarted
 *   suggested                                   needs-review-translation    initial             Draft                 NotStarted
 *   accepted, edited, kept, rejected            translated                  translated          Translated            ManuallyConfirmed
 *
 * and file → Postedit at import (a unit or segment without a target is always pending):
 *   1.2 final, signed-off → accepted + approved; needs-review-* → accepted + in-review;
 *       translated → accepted; anything else or no state → pending.
 *   2.0 final, reviewed → accepted + approved; translated → accepted; initial or none → pending.
 *   Trados conf ApprovedTranslation, ApprovedSignOff → accepted + approved; Translated → accepted;
 *       RejectedTranslation, RejectedSignOff → accepted + sent-back; Draft or none → pending.
 *   memoQ Reviewer1Confirmed, Reviewer2Confirmed → accepted + approved; ManuallyConfirmed → accepted;
 *       Rejected → accepted + sent-back; anything else → pending.
 * In a unit cut into 1.2 segments, the unit's `state` is the least advanced of its segments'.
 */
import type { ParagraphStatus, ReviewState } from '../core/types.js';
import type { XliffVersion } from './xliffTerms.js';

/** The standard state of a paragraph, see the table above. */
export function xliffState(status: ParagraphStatus, review: ReviewState | undefined, version: XliffVersion): string {
  const v12 = version === '1.2';
  if (review === 'approved') return v12 ? 'signed-off' : 'final';
  if (review === 'in-review') return v12 ? 'needs-review-translation' : 'translated';
  if (review === 'sent-back' || status === 'pending') return v12 ? 'needs-translation' : 'initial';
  if (status === 'suggested') return v12 ? 'needs-review-translation' : 'initial';
  return 'translated';
}

/** Postedit status and review from a standard state, for files without Postedit's own record. */
export function statusFromState(state: string | undefined, version: XliffVersion): { status: ParagraphStatus; review: ReviewState } {
  const s = (state ?? '').trim();
  if (version === '1.2') {
    if (s === 'final' || s === 'signed-off') return { status: 'accepted', review: 'approved' };
    if (s.startsWith('needs-review-')) return { status: 'accepted', review: 'in-review' };
    if (s === 'translated') return { status: 'accepted', review: 'none' };
    return { status: 'pending', review: 'none' };
  }
  if (s === 'final' || s === 'reviewed') return { status: 'accepted', review: 'approved' };
  if (s === 'translated') return { status: 'accepted', review: 'none' };
  return { status: 'pending', review: 'none' };
}

/** Trados's confirmation level (`sdl:seg@conf`) of a paragraph, and back. */
export function sdlConf(status: ParagraphStatus, review: ReviewState | undefined): string {
  if (review === 'approved') return 'ApprovedTranslation';
  if (review === 'sent-back') return 'RejectedTranslation';
  if (review === 'in-review') return 'Translated';
  return status === 'pending' || status === 'suggested' ? 'Draft' : 'Translated';
}

export function statusFromSdlConf(conf: string | undefined): { status: ParagraphStatus; review: ReviewState } {
  switch (conf) {
    case 'ApprovedTranslation':
    case 'ApprovedSignOff':
      return { status: 'accepted', review: 'approved' };
    case 'RejectedTranslation':
    case 'RejectedSignOff':
      return { status: 'accepted', review: 'sent-back' };
    case 'Translated':
      return { status: 'accepted', review: 'none' };
    default:
      return { status: 'pending', review: 'none' };
  }
}

/** memoQ's row status (`mq:status` on a trans-unit), and back. */
export function memoqStatus(status: ParagraphStatus, review: ReviewState | undefined): string {
  if (review === 'approved') return 'Reviewer1Confirmed';
  if (review === 'sent-back') return 'Rejected';
  if (review === 'in-review') return 'ManuallyConfirmed';
  return status === 'pending' || status === 'suggested' ? 'NotStarted' : 'ManuallyConfirmed';
}

export function statusFromMemoq(status: string | undefined): { status: ParagraphStatus; review: ReviewState } {
  switch (status) {
    case 'Reviewer1Confirmed':
    case 'Reviewer2Confirmed':
      return { status: 'accepted', review: 'approved' };
    case 'Rejected':
      return { status: 'accepted', review: 'sent-back' };
    case 'ManuallyConfirmed':
      return { status: 'accepted', review: 'none' };
    default:
      return { status: 'pending', review: 'none' };
  }
}

/** How far a state is along, to find a unit's least advanced segment. */
export const PROGRESS_12 = ['needs-translation', 'needs-review-translation', 'translated', 'signed-off'];

export function decided(status: ParagraphStatus, review: ReviewState | undefined): boolean {
  return (review !== undefined && review !== 'none') || !['pending', 'suggested', 'deleted'].includes(status);
}
