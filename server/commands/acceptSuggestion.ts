import { applySpans, countSpans, diffWords, summarizeDiff } from '../core/diff.js';
import type { Paragraph } from '../core/types.js';
import { BadRequestError, ConfirmationRequiredError, InvalidStateError } from './errors.js';
import { checkCodesKept } from './editParagraph.js';
import { changeParagraph, type ParagraphTarget } from './paragraphChange.js';
import type { Services } from './services.js';

export interface AcceptProps extends ParagraphTarget {
  suggestionId: string;
  /** Indexes of the diff spans to take; all of them when absent (partial accept otherwise). */
  spans?: number[];
  /** The editor saw the fact guard's warnings and accepts anyway. */
  confirmWarnings?: boolean;
}

/** Takes the paragraph's current suggestion, whole or only the chosen changed spans. */
export function acceptSuggestion(services: Services, props: AcceptProps): Promise<Paragraph> {
  return changeParagraph(services, props, 'accept', (p, rec) => {
    const s = p.suggestion;
    if (!s) throw new InvalidStateError('this paragraph has no suggestion to accept: ask for one first', structuredClone(p));
    if (s.id !== props.suggestionId) {
      throw new InvalidStateError('that suggestion is no longer the current one: reload the paragraph', structuredClone(p));
    }
    // Made for an earlier text (someone edited the paragraph since): taking it would silently replace that text.
    if (s.basedOn !== p.text) {
      const by = p.lastChange ? ` (last changed by ${p.lastChange.by}: ${p.lastChange.action})` : '';
      throw new InvalidStateError(`that suggestion was made for an earlier text of paragraph ${p.id}${by}: accepting it would replace the text as it is now; ask for a new suggestion`, structuredClone(p));
    }
    const parts = diffWords(p.text, s.text);
    const total = countSpans(parts);
    let partial = false;
    let text = s.text;
    if (props.spans) {
      const bad = props.spans.find((i) => !Number.isInteger(i) || i < 0 || i >= total);
      if (bad !== undefined) throw new BadRequestError(`span ${bad} does not exist: the suggestion has ${total} changed span${total === 1 ? '' : 's'}`);
      const chosen = new Set(props.spans);
      partial = chosen.size < total;
      text = applySpans(parts, chosen);
    }
    if (!text.trim()) throw new BadRequestError('accepting that would leave the paragraph empty: delete it instead');
    // Inline codes first: a text that loses one cannot be taken, confirmed or not (edit it instead).
    checkCodesKept(p, text, partial ? 'taking only those changes' : 'accepting this suggestion');
    const warnings = s.checks.filter((c) => c.severity === 'warning');
    if (warnings.length && !props.confirmWarnings) {
      throw new ConfirmationRequiredError(
        `the fact guard flagged this suggestion (${warnings.map((w) => w.message).join('; ')}): confirm to accept it anyway`,
        structuredClone(p),
      );
    }
    rec.touch(p);
    const previous = p.text;
    p.text = text;
    p.status = 'accepted';
    // A whole accept changes the text exactly as the diff above says: no need to diff it again.
    rec.record(p, partial ? 'accept-partial' : 'accept', previous, { suggestionId: s.id, ...(text === s.text ? { diff: summarizeDiff(parts) } : {}) });
  }, { expectedText: (p) => (props.spans === undefined && p.suggestion?.id === props.suggestionId ? p.suggestion.text : undefined) });
}
