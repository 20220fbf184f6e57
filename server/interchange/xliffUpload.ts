/**
 * An uploaded XLIFF file as import units: one per unit or segment to translate, with its source,
 * status and review carried over, inline codes and where it is in the file; the file's languages;
 * the file itself, kept so that the export can write back into it; what was left out, as warnings.
 */
import { checkUnits, contentHash, unitsHash, unitsTitle, type ImportUnit } from '../commands/importedUnits.js';
import type { ArticleOriginal } from '../core/types.js';
import { FileTooComplexError } from './limits.js';
import { aligned, companionParagraphs, decodeText, encodingOf, fail, naming, type UploadedFile } from './uploadedFile.js';
import { parseXliff } from './xliff.js';
import { XmlFileError, XmlTooComplexError } from './xml.js';

export interface XliffUpload {
  version: '1.2' | '2.0';
  title: string;
  units: ImportUnit[];
  warnings: string[];
  sourceLang?: string;
  targetLang?: string;
  original: ArticleOriginal;
  contentHash: string;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Reads an uploaded XLIFF 1.2 or 2.0 file (and an optional reference file) into units; nothing is stored. */
export async function readXliffUpload(file: UploadedFile, reference?: UploadedFile): Promise<XliffUpload> {
  const filename = file.name;
  let doc;
  const xml = decodeText(file).replace(/^\uFEFF/, '');
  try {
    doc = parseXliff(xml);
  } catch (e) {
    if (e instanceof XmlTooComplexError) throw new FileTooComplexError(`${filename}: ${e.message}`);
    if (e instanceof XmlFileError) fail(filename, e.message);
    throw e;
  }
  if (doc.units.length === 0) fail(filename, 'the XLIFF has no translation units');
  // A unit without source text while others have one has nothing to translate: it stays in the file as it is.
  const sourceless = doc.hasSource ? doc.units.filter((u) => !u.source?.trim()).length : 0;
  const read = doc.units.filter((u) => !doc.hasSource || u.source?.trim()).map((u): ImportUnit => ({
    kind: u.kind,
    mt: u.mt,
    text: u.text,
    ...(u.source !== undefined ? { source: u.source } : {}),
    status: u.status,
    review: u.review,
    ...(u.codes ? { codes: u.codes } : {}),
    origin: u.origin,
  }));
  let units = naming(filename, () => checkUnits(read));
  if (reference) {
    const texts = aligned(await companionParagraphs(reference, 'reference translation'), units.length, reference, 'reference translation');
    units = units.map((u, i) => ({ ...u, ref: texts[i]! }));
  }
  const warnings: string[] = [];
  if (doc.units.some((u) => u.status === 'suggested')) warnings.push('suggestions do not travel in XLIFF: "suggested" paragraphs come in as pending');
  if (sourceless) warnings.push(`${plural(sourceless, 'segment has', 'segments have')} no source text: kept in the file as ${sourceless === 1 ? 'it is' : 'they are'}, not imported`);
  if (doc.counts.skipped) warnings.push(`${plural(doc.counts.skipped, 'segment is', 'segments are')} marked translate="no": kept in the file as they are, not imported`);
  // The file's languages. Postedit's own file without a real source has the MT as its source, in the target language.
  const hasSource = units.some((u) => u.source !== undefined);
  const mtAsSource = doc.postedit && !hasSource;
  const targetLang = doc.trgLang ?? (mtAsSource ? doc.srcLang : undefined);
  // The file itself is kept, to write the export back into it. Another tool's file counts in the content
  // hash too: the same texts in a differently built file are another article (Postedit's own files are
  // the article's texts and nothing more, so the same texts are the same article).
  const original: ArticleOriginal = { format: 'xliff', version: doc.version, text: xml, ...encodingOf(file.data) };
  return {
    version: doc.version,
    title: doc.title ?? unitsTitle(units, filename),
    units,
    warnings,
    ...(!mtAsSource && doc.srcLang ? { sourceLang: doc.srcLang } : {}),
    ...(targetLang ? { targetLang } : {}),
    original,
    contentHash: doc.postedit ? unitsHash(units) : contentHash(unitsHash(units), xml),
  };
}
