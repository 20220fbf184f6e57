/**
 * The vocabulary of Postedit's XLIFF: versions and namespaces (XLIFF, Postedit's own, Trados's,
 * memoQ's), the notes Postedit writes into its own files, language tags, the error a file is refused with.
 */
import { XmlFileError } from './xml.js';

export type XliffVersion = '1.2' | '2.0';

export const XLIFF_NAMESPACES: Record<XliffVersion, string> = {
  '1.2': 'urn:oasis:names:tc:xliff:document:1.2',
  '2.0': 'urn:oasis:names:tc:xliff:document:2.0',
};
/** Postedit's extension namespace (2.0 attributes other tools carry along untouched). */
export const POSTEDIT_NAMESPACE = 'urn:postedit:xliff';
export const SDL_NAMESPACE = 'http://sdl.com/FileTypes/SdlXliff/1.0';
export const MEMOQ_NAMESPACE = 'MQXliff';
/** The defaults an article without recorded languages gets (BCP 47 "und": undetermined). */
export { DEFAULT_TARGET_LANG, UNDETERMINED_LANG as UNKNOWN_SOURCE_LANG } from '../core/articleFacts.js';
/** The notes of Postedit's own files (1.2 `from`, 2.0 `category`). */
export const MT_NOTE = 'postedit:mt';
export const UNDECIDED_NOTE = 'postedit:undecided';
export const GUARD_NOTE = 'postedit:fact-guard';
export const STATE_NOTE = 'postedit:state';
export const TITLE_NOTE = 'postedit:title';
export const SOURCE_NOTE = 'postedit:source';
const LANG_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

export class XliffError extends XmlFileError {}

export interface XliffOptions {
  version: XliffVersion;
  /** Source language (BCP 47) of an article with a source text; default the article's. Ignored without one (the source is then the MT), and when writing into the uploaded file. */
  srcLang?: string;
  /** Target language (BCP 47); default the article's (`en` when it does not say). Ignored when writing into the uploaded file. */
  trgLang?: string;
}

export function isLanguageTag(tag: string): boolean {
  return LANG_TAG.test(tag);
}
