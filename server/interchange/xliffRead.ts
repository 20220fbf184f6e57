/**
 * Reading an XLIFF 1.2 or 2.0 file into paragraphs: one per unit, or per segment of a segmented unit,
 * in document order through groups and files; texts with their inline codes, the MT, kind, status
 * and review (Postedit's own record when the file is Postedit's), notes, and where each is in the file.
 */
import { stripMarkers, type InlineCode } from '../core/inlineCodes.js';
import type { ParagraphKind, ParagraphOrigin, ParagraphStatus, ReviewState } from '../core/types.js';
import { PARAGRAPH_STATUSES, REVIEW_STATES } from '../core/types.js';
import { numberCodes, readParts } from './xliffInline.js';
import { child, importedStatus, readModel, type Model, type Unit } from './xliffModel.js';
import { MT_NOTE, POSTEDIT_NAMESPACE, SOURCE_NOTE, STATE_NOTE, TITLE_NOTE, UNDECIDED_NOTE, type XliffVersion } from './xliffTerms.js';
import { attrOf, elementsOf, scanDocument, textOf, type XElement } from './xmlScan.js';

export interface XliffUnit {
  id: string;
  kind: ParagraphKind;
  /** The machine translation: the MT note or MT source of a Postedit file, else the target (or the source without one). */
  mt: string;
  /** The current text: the target (or the MT without one). */
  text: string;
  /** The source-language text, when the file has a real one. */
  source?: string;
  status: ParagraphStatus;
  review: ReviewState;
  /** Notes other than Postedit's own, as plain text. */
  notes: string[];
  /** The inline codes that `mt`, `text` and `source` hold as markers. */
  codes?: InlineCode[];
  /** Where it is in the file. */
  origin: Omit<ParagraphOrigin, 'imported'>;
}

export interface XliffDocument {
  version: XliffVersion;
  srcLang?: string;
  trgLang?: string;
  title?: string;
  original?: string;
  /** Written by Postedit (its namespace is declared, or its tool is named in the header). */
  postedit: boolean;
  hasSource: boolean;
  units: XliffUnit[];
  /** Units and segments in the file, including those not imported (translate="no"). */
  counts: { files: number; units: number; segments: number; skipped: number };
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** A unit's kind when the file does not say: a short line without final punctuation is a heading. */
function guessKind(text: string): ParagraphKind {
  const t = stripMarkers(text).trim();
  return t.length > 0 && t.length <= 100 && !/[.!?。！？…:;,，；："'”’)）\]]$/u.test(t) && !t.includes('\n') ? 'heading' : 'body';
}

function notesOf(unit: Unit): Array<{ kind?: string; text: string }> {
  const { ns, version } = unit.ctx;
  const list = version === '1.2' ? elementsOf(unit.el).filter((n) => n.ns === ns && n.local === 'note') : elementsOf(child(unit.el, 'notes', ns) ?? unit.el).filter((n) => n.ns === ns && n.local === 'note');
  return list.map((n) => {
    const kind = attrOf(n, version === '1.2' ? 'from' : 'category');
    return { ...(kind !== undefined ? { kind } : {}), text: textOf(n) };
  });
}

/** `status=edited review=approved kind=heading` */
export function parseStateNote(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/(\w+)=([\w-]+)/g)].map((m) => [m[1]!, m[2]!]));
}

function splitPad(text: string): { text: string; pad?: [string, string] } {
  const lead = /^\s*/u.exec(text)![0];
  if (lead.length === text.length) return { text: '', ...(text ? { pad: [text, ''] as [string, string] } : {}) };
  const trail = /\s*$/u.exec(text)![0];
  return { text: text.slice(lead.length, text.length - trail.length), ...(lead || trail ? { pad: [lead, trail] as [string, string] } : {}) };
}

function parseModel(model: Model): XliffDocument {
  const { version, root } = model;
  const first = model.files[0]!;
  const headerNotes = (file: XElement) => {
    const header = version === '1.2' ? child(file, 'header', model.ns) : child(file, 'notes', model.ns);
    return header ? elementsOf(header).filter((n) => n.ns === model.ns && n.local === 'note') : [];
  };
  const fileNote = (file: XElement, kind: string) => headerNotes(file).find((n) => attrOf(n, version === '1.2' ? 'from' : 'category') === kind);
  const declaresPostedit = root.attrs.some((a) => a.prefix === 'xmlns' && a.value === POSTEDIT_NAMESPACE);
  const postedit = declaresPostedit || model.files.some((f) => fileNote(f, STATE_NOTE) !== undefined || fileNote(f, UNDECIDED_NOTE) !== undefined);
  const srcLang = (version === '1.2' ? attrOf(first, 'source-language') : attrOf(root, 'srcLang')) || undefined;
  const trgLang = (version === '1.2' ? attrOf(first, 'target-language') : attrOf(root, 'trgLang')) || undefined;
  const titleNote = fileNote(first, TITLE_NOTE);
  const title = attrOf(first, 'title', POSTEDIT_NAMESPACE) ?? (titleNote ? textOf(titleNote) : undefined);
  const original = attrOf(first, 'original');
  const sourceIsMt = (file: XElement) => postedit && (attrOf(file, 'source', POSTEDIT_NAMESPACE) === 'mt' || (fileNote(file, SOURCE_NOTE) ? textOf(fileNote(file, SOURCE_NOTE)!).trim() === 'mt' : false));

  const units: XliffUnit[] = [];
  let segments = 0;
  let skipped = 0;
  for (const unit of model.units) {
    segments += unit.segments.length;
    if (!unit.translate) {
      skipped += unit.segments.length;
      continue;
    }
    const notes = notesOf(unit);
    const mtNote = postedit ? notes.find((n) => n.kind === MT_NOTE)?.text : undefined;
    const stateNote = postedit ? notes.find((n) => n.kind === STATE_NOTE) : undefined;
    const pe = stateNote ? parseStateNote(stateNote.text) : {};
    const peAttr = (k: string) => attrOf(unit.el, k, POSTEDIT_NAMESPACE) ?? pe[k];
    const kind = oneOf(peAttr('kind'), ['heading', 'body'] as const);
    const peStatus = postedit ? oneOf(peAttr('status'), PARAGRAPH_STATUSES) : undefined;
    const peReview = postedit ? oneOf(peAttr('review'), REVIEW_STATES) : undefined;
    const otherNotes = notes.filter((n) => !n.kind?.startsWith('postedit:')).map((n) => n.text);
    const mtIsSource = sourceIsMt(model.files[unit.fileAt]!);
    for (const seg of unit.segments) {
      const src = seg.source ? readParts(seg.source.children, unit.ctx) : [];
      const tgt = seg.hasTarget && seg.target ? readParts(seg.target.children, unit.ctx) : undefined;
      const numbered = numberCodes(src, tgt);
      const shown = splitPad(numbered.target ?? numbered.source);
      const sourceText = splitPad(numbered.source).text;
      const targetText = numbered.target !== undefined ? shown.text : undefined;
      const mt = mtIsSource ? sourceText : (mtNote !== undefined && unit.segments.length === 1 ? mtNote.trim() : undefined) ?? targetText ?? sourceText;
      const text = postedit ? targetText ?? mt : mt;
      const fromFile = importedStatus(unit, seg);
      units.push({
        id: unit.id,
        kind: kind ?? guessKind(mt),
        mt,
        text,
        ...(!mtIsSource && sourceText !== '' ? { source: sourceText } : {}),
        status: peStatus && unit.segments.length === 1 ? peStatus : fromFile.status,
        review: peStatus && unit.segments.length === 1 ? peReview ?? 'none' : fromFile.review,
        notes: otherNotes,
        ...(numbered.codes.length ? { codes: numbered.codes } : {}),
        origin: {
          file: unit.fileId,
          fileAt: unit.fileAt,
          unit: unit.id,
          unitAt: unit.at,
          ...(unit.mode !== 'whole' ? { segmentAt: seg.at, ...(seg.id !== undefined ? { segment: seg.id } : {}) } : {}),
          ...(shown.pad ? { pad: shown.pad } : {}),
          target: seg.hasTarget,
        },
      });
    }
  }
  // A file whose every unit has a target equal to its source is monolingual: no source text.
  const hasSource = units.some((u) => u.source !== undefined && (u.source !== u.mt || !u.origin.target));
  if (!hasSource) for (const u of units) delete u.source;
  return {
    version,
    ...(srcLang ? { srcLang } : {}),
    ...(trgLang ? { trgLang } : {}),
    ...(title ? { title } : {}),
    ...(original ? { original } : {}),
    postedit,
    hasSource,
    units,
    counts: { files: model.files.length, units: model.units.length, segments, skipped },
  };
}

/**
 * Reads an XLIFF 1.2 or 2.0 document: one unit per unit, or per segment of a segmented unit, in
 * document order through groups and files. Throws `XliffError` (or the XML reader's errors) with a
 * message fit for the person who uploaded the file.
 */
export function parseXliff(xml: string): XliffDocument {
  return parseModel(readModel(scanDocument(xml)));
}
