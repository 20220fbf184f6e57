import { blockingCodeProblems, codeProblems, describeCodeProblems } from '../core/codeText.js';
import { normalizeText } from '../core/segment.js';
import type { Paragraph } from '../core/types.js';
import { BadRequestError } from './errors.js';
import { changeParagraph, type ParagraphTarget } from './paragraphChange.js';
import type { Services } from './services.js';

/** Longest paragraph an editor may save, in characters. */
export const MAX_PARAGRAPH_CHARS = 200_000;

export function cleanEditedText(text: unknown): string {
  if (typeof text !== 'string') throw new BadRequestError('text must be a string');
  let clean: string;
  try {
    clean = normalizeText(text).trim();
  } catch (e) {
    throw new BadRequestError((e as Error).message);
  }
  if (!clean.replace(/[\u200B-\u200D\u2060\uFEFF]/g, '').trim()) throw new BadRequestError('the text is empty: to remove a paragraph, delete it');
  if (clean.length > MAX_PARAGRAPH_CHARS) throw new BadRequestError(`the text is longer than ${MAX_PARAGRAPH_CHARS} characters`);
  return clean;
}

export interface EditProps extends ParagraphTarget {
  text: string;
}

/**
 * Refuses a new text that loses, duplicates or invents one of the paragraph's inline codes (⟦n⟧,
 * ⟦/n⟧), or breaks a pair: an export needs each of them back exactly once. Moving a code is allowed.
 */
export function checkCodesKept(p: Paragraph, text: string, what: string): void {
  const problems = blockingCodeProblems(codeProblems(p.codes, p.text, text));
  if (problems.length) {
    throw new BadRequestError(`${what} would break the paragraph's inline codes: ${describeCodeProblems(problems)}. Keep every code (⟦n⟧, and ⟦/n⟧ after it) exactly once; moving one is fine`);
  }
}

/** Saves the editor's own wording for the paragraph. */
export async function editParagraph(services: Services, props: EditProps): Promise<Paragraph> {
  const text = cleanEditedText(props.text);
  return changeParagraph(services, props, 'edit', (p, rec) => {
    checkCodesKept(p, text, 'the edit');
    rec.touch(p);
    const previous = p.text;
    // An edit made while a suggestion was open is the editor's answer to it (for the statistics).
    const answered = p.suggestion && p.suggestion.basedOn === previous && p.status !== 'rejected' ? p.suggestion.id : undefined;
    p.text = text;
    p.status = 'edited';
    rec.record(p, 'edit', previous, answered ? { suggestionId: answered } : {});
  }, { expectedText: () => text });
}
