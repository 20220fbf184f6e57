/**
 * XLIFF 1.2 and 2.0, the interchange format of CAT tools (Trados, memoQ, Okapi, MateCat …).
 *
 * Two ways out:
 *
 * 1. Back into the uploaded file (lossless). An article imported from an XLIFF file keeps that file
 *    (`Article.original`) and every paragraph knows its unit or segment (`Paragraph.origin`). The
 *    export is the original text with only some spans replaced: the content of the `<target>` (or of
 *    the target's `<mrk mtype="seg">`) of a paragraph that changed, its `state` (1.2 on `<target>`,
 *    2.0 on `<segment>`), Trados's `conf` on `<sdl:seg>` and memoQ's `mq:status` — nothing else.
 *    Every `<file>`, group, unit, note, attribute, alt-trans, skeleton, namespace, doctype, comment
 *    and whitespace stays byte for byte; a paragraph nobody changed leaves its unit as it came (an
 *    untranslated unit stays without a target unless a person decided it: accepted, edited, kept,
 *    rejected, or a review state).
 * 2. Built from the article (Postedit's own XLIFF): articles imported from text, or an XLIFF export
 *    in the other version than the file's. One unit per live paragraph, unit id = paragraph id,
 *    source = the source text when there is one (else the MT), target = the current text.
 *
 * Paragraphs. A unit is a paragraph; a unit cut into segments — 1.2 `<seg-source>` with
 * `<mrk mtype="seg">` (Trados), 2.0 several `<segment>`s — gives one paragraph per segment. Units
 * marked `translate="no"` (or in such a group or file) are not imported and stay as they are.
 *
 * Inline codes (`<g> <x/> <bx/> <ex/> <ph> <bpt> <ept> <it> <mrk>` in 1.2; `<pc> <ph/> <sc/> <ec/>
 * <mrk> <sm/> <em/>` in 2.0; comments and foreign elements inside a text too) become the markers of
 * core/inlineCodes.ts in the paragraph's text and source — `⟦n⟧` for a standalone code or the start
 * of a pair, `⟦/n⟧` for its end (`<g>…</g>`, `<pc>…</pc>`, `<mrk>…</mrk>`, and `<bpt>`/`<ept>`,
 * `<sc/>`/`<ec/>`, `<sm/>`/`<em/>` when they close in the same text) — and `Paragraph.codes` keeps
 * each one's original XML and a label (a `<ph>`'s content, `equiv-text`, `disp`, the `<data>` a
 * `dataRef` points to …). Source and target codes with the same element and id share a number. An
 * export writes the very XML back. 2.0 `<cp hex>` becomes the character it stands for.
 *
 * States: see the table in xliffStates.ts (Postedit → file, and file → Postedit at import).
 *
 * Postedit's own file carries the exact status: in 2.0 as attributes of its namespace (`pe:status`,
 * `pe:review`, `pe:kind` on units; `pe:source="mt"`, `pe:title`, `pe:undecided` on the file), which
 * the 2.0 schema allows; in 1.2, whose strict schema allows no attribute it cannot check, as notes
 * (`postedit:state` on each unit: `status=… review=… kind=…`; `postedit:title`, `postedit:source`,
 * `postedit:undecided` in the header). Fact-guard findings are notes (`postedit:fact-guard`), and so
 * is the MT when the source is the real source (`postedit:mt`).
 *
 * Characters XML cannot carry (C0 controls): in 2.0 `<cp hex="…"/>`; in Postedit's own 1.2
 * `<x ctype="x-postedit-cp-…"/>` (restored on reading); written into another tool's 1.2 file they are
 * left out, with a warning.
 *
 * The files: xliffTerms.ts (versions, namespaces, notes), xliffStates.ts (state mapping: standard,
 * Trados, memoQ), xliffModel.ts (files, units, segments), xliffInline.ts (text and inline codes),
 * xliffRead.ts (the paragraphs of a file), xliffWriteBack.ts (export into the uploaded file),
 * xliffBuild.ts (Postedit's own XLIFF); this one chooses between the two ways out.
 */
import type { Article, ArticleOriginal } from '../core/types.js';
import { buildXliff } from './xliffBuild.js';
import type { XliffOptions } from './xliffTerms.js';
import { writeIntoOriginal } from './xliffWriteBack.js';

export {
  DEFAULT_TARGET_LANG, isLanguageTag, MEMOQ_NAMESPACE, POSTEDIT_NAMESPACE, SDL_NAMESPACE, UNKNOWN_SOURCE_LANG, XLIFF_NAMESPACES, XliffError,
  type XliffOptions, type XliffVersion,
} from './xliffTerms.js';
export { memoqStatus, sdlConf, statusFromMemoq, statusFromSdlConf, statusFromState, xliffState } from './xliffStates.js';
export { parseXliff, type XliffDocument, type XliffUnit } from './xliffRead.js';
export { writeIntoOriginal } from './xliffWriteBack.js';
export { buildXliff } from './xliffBuild.js';

export interface XliffExport {
  /** The file's bytes, in the encoding it came in (with its byte order mark, if it had one). */
  body: Buffer;
  /** The text, decoded. */
  text: string;
  contentType: string;
  /** Written into the uploaded file (true) or built from the article (false). */
  lossless: boolean;
  warnings: string[];
}

function encode(text: string, original: Pick<ArticleOriginal, 'encoding' | 'bom'>): Buffer {
  const bom = original.bom ? '\uFEFF' : '';
  if (original.encoding === 'utf-16le') return Buffer.from(bom + text, 'utf16le');
  if (original.encoding === 'utf-16be') return Buffer.from(bom + text, 'utf16le').swap16();
  return Buffer.from(bom + text, 'utf8');
}

/**
 * The XLIFF export: into the uploaded file when the article has one of this version (see the top),
 * else built from the article.
 */
export function exportXliff(article: Article, options: XliffOptions): XliffExport {
  const original = article.original;
  if (original?.format === 'xliff' && original.version === options.version) {
    const { text, warnings } = writeIntoOriginal(article, original);
    if (options.srcLang || options.trgLang) warnings.push('the file keeps its own languages: srcLang and trgLang apply only to an XLIFF built from the article');
    const charset = original.encoding === 'utf-8' ? 'utf-8' : original.encoding;
    return { body: encode(text, original), text, contentType: `application/${options.version === '1.2' ? 'x-xliff' : 'xliff'}+xml; charset=${charset}`, lossless: true, warnings };
  }
  const text = buildXliff(article, options);
  const warnings = original ? [`the article came from an XLIFF ${original.version} file: this XLIFF ${options.version} is built from the article, not written into that file`] : [];
  return { body: Buffer.from(text, 'utf8'), text, contentType: `application/${options.version === '1.2' ? 'x-xliff' : 'xliff'}+xml; charset=utf-8`, lossless: false, warnings };
}

/** The article as XLIFF text: written into its uploaded file when it has one of this version, else built. */
export function articleToXliff(article: Article, options: XliffOptions): string {
  return exportXliff(article, options).text;
}
