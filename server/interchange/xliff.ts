/**
 * XLIFF 1.2 and 2.0, the interchange format of CAT tools: one unit per live paragraph, unit id =
 * paragraph id, source = the paragraph's source text when the article has one (else the MT),
 * target = the current text.
 *
 * States. XLIFF knows less than Postedit, so the exact status travels in Postedit's own namespace
 * (`pe:status`, `pe:review`, `pe:kind` on each unit, `pe:source="mt"` and `pe:title` on the file);
 * other tools keep attributes of foreign namespaces and ignore them. The standard state is still
 * written for them:
 *
 *   Postedit                                  XLIFF 1.2 target@state       XLIFF 2.0 segment@state
 *   review approved (any status)              final                        final
 *   review in-review                          needs-review-translation     translated (awaiting review;
 *                                                                            `reviewed` would claim it was)
 *   review sent-back                          needs-translation            initial (the editor must rework it)
 *   pending, suggested                        needs-translation            initial
 *   accepted, edited, rejected                translated                   translated
 *
 * Read back without Postedit's attributes (a file from another tool):
 *   1.2 final, signed-off → accepted + approved; needs-review-* → accepted + in-review;
 *       translated → accepted; anything else or no state → pending.
 *   2.0 final, reviewed → accepted + approved; translated → accepted; initial or none → pending.
 *
 * Notes: fact-guard findings on the paragraph (`[check] message`, priority 1 for warnings, 5 for
 * info) and, when the source is the real source, the MT (category/from `postedit:mt`), so a file
 * Postedit wrote comes back with MT, text and status intact.
 *
 * Languages: the article's own (`sourceLang`, `targetLang`, recorded at import; guessed for older
 * articles, see core/articleFacts.ts), unless the caller names others. Without a source text the
 * XLIFF source is the MT, so the source language is the target language (a srcLang asked for is
 * ignored).
 *
 * Undecided paragraphs (pending or suggested): counted on the file (`pe:undecided`) and stated in a
 * file-level note (`postedit:undecided`; in the 1.2 header, before the units in 2.0).
 *
 * Characters XML cannot carry (C0 controls) become `<cp hex="…"/>` in 2.0 and
 * `<x ctype="x-postedit-cp-…"/>` in 1.2, and are restored on reading.
 */
import { articleLanguages, undecidedLine, undecidedSummary } from '../core/articleFacts.js';
import type { Article, Finding, ParagraphKind, ParagraphStatus, ReviewState } from '../core/types.js';
import { PARAGRAPH_STATUSES, REVIEW_STATES } from '../core/types.js';
import {
  attr, buildXml, childElements, childrenOf, el, findAll, firstChild, INVALID_XML_CHARS, isText, localName,
  parseXml, rootElement, textContent, txt, XmlFileError, type XNode,
} from './xml.js';

export type XliffVersion = '1.2' | '2.0';

export const XLIFF_NAMESPACES: Record<XliffVersion, string> = {
  '1.2': 'urn:oasis:names:tc:xliff:document:1.2',
  '2.0': 'urn:oasis:names:tc:xliff:document:2.0',
};
/** Postedit's extension namespace (attributes other tools carry along untouched). */
export const POSTEDIT_NAMESPACE = 'urn:postedit:xliff';
/** The defaults an article without recorded languages gets (BCP 47 "und": undetermined). */
export { DEFAULT_TARGET_LANG, UNDETERMINED_LANG as UNKNOWN_SOURCE_LANG } from '../core/articleFacts.js';
const MT_NOTE = 'postedit:mt';
const UNDECIDED_NOTE = 'postedit:undecided';
const GUARD_NOTE = 'postedit:fact-guard';
const CP_CTYPE = /^x-postedit-cp-([0-9a-f]{1,6})$/i;
const LANG_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

export class XliffError extends XmlFileError {}

export interface XliffOptions {
  version: XliffVersion;
  /** Source language (BCP 47) of an article with a source text; default the article's. Ignored without one (the source is then the MT). */
  srcLang?: string;
  /** Target language (BCP 47); default the article's (`en` when it does not say). */
  trgLang?: string;
}

export function isLanguageTag(tag: string): boolean {
  return LANG_TAG.test(tag);
}

/** The standard state of a paragraph, see the table at the top. */
export function xliffState(status: ParagraphStatus, review: ReviewState | undefined, version: XliffVersion): string {
  const v12 = version === '1.2';
  if (review === 'approved') return 'final';
  if (review === 'in-review') return v12 ? 'needs-review-translation' : 'translated';
  if (review === 'sent-back' || status === 'pending' || status === 'suggested') return v12 ? 'needs-translation' : 'initial';
  return 'translated';
}

/** Postedit status and review from a standard state, for files without Postedit's attributes. */
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

function findingNote(f: Finding): string {
  return `[${f.check}] ${f.message}`;
}

/** Text as nodes: plain text, with placeholders for characters XML cannot carry. */
function inline(text: string, version: XliffVersion): XNode[] {
  if (!INVALID_XML_CHARS.test(text)) return [txt(text)];
  const out: XNode[] = [];
  let run = '';
  let n = 0;
  for (const ch of text) {
    if (!INVALID_XML_CHARS.test(ch)) {
      run += ch;
      continue;
    }
    if (run) out.push(txt(run));
    run = '';
    const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    out.push(version === '2.0' ? el('cp', { hex }) : el('x', { id: `cp${++n}`, ctype: `x-postedit-cp-${hex}` }));
  }
  if (run) out.push(txt(run));
  return out;
}

/** Whitespace an XLIFF tool might otherwise normalise away. */
function needsPreserve(...texts: string[]): boolean {
  return texts.some((t) => /\n|\t| {2}|^\s|\s$/.test(t));
}

/** The article as an XLIFF document; see the top of the file for what goes where. */
export function articleToXliff(article: Article, options: XliffOptions): string {
  const { version } = options;
  const langs = articleLanguages(article);
  const trgLang = options.trgLang ?? langs.targetLang;
  // Without a source text the XLIFF source is the MT, which is in the target language whatever is asked.
  const srcLang = article.hasSource ? options.srcLang ?? langs.sourceLang : trgLang;
  const undecided = undecidedSummary(article);
  const undecidedNote = `Postedit: ${undecidedLine(undecided)}.`;
  for (const [what, tag] of [['source', options.srcLang ?? srcLang], ['target', trgLang]] as const) {
    if (!isLanguageTag(tag)) throw new XliffError(`"${tag}" is not a language tag (BCP 47, e.g. zh, en-GB) for the ${what} language`);
  }
  const live = article.paragraphs.filter((p) => p.status !== 'deleted');
  const sourceIsMt = !article.hasSource;
  let pretty = true;
  const units = live.map((p) => {
    const source = p.source ?? p.mt;
    if (INVALID_XML_CHARS.test(source) || INVALID_XML_CHARS.test(p.text)) pretty = false;
    const state = xliffState(p.status, p.review, version);
    const notes: Array<{ kind: string; text: string; priority?: string }> = [];
    if (!sourceIsMt) notes.push({ kind: MT_NOTE, text: p.mt });
    for (const f of p.findings ?? []) notes.push({ kind: GUARD_NOTE, text: findingNote(f), priority: f.severity === 'warning' ? '1' : '5' });
    const unitAttrs = {
      id: p.id,
      'pe:kind': p.kind,
      'pe:status': p.status,
      ...(p.review && p.review !== 'none' ? { 'pe:review': p.review } : {}),
      ...(needsPreserve(source, p.text) ? { 'xml:space': 'preserve' } : {}),
    };
    if (version === '1.2') {
      return el('trans-unit', unitAttrs, [
        el('source', {}, inline(source, version)),
        el('target', { state }, inline(p.text, version)),
        ...notes.map((n) => el('note', { from: n.kind, annotates: 'target', priority: n.priority }, [txt(n.text)])),
      ]);
    }
    return el('unit', unitAttrs, [
      ...(notes.length ? [el('notes', {}, notes.map((n) => el('note', { category: n.kind, appliesTo: 'target', priority: n.priority }, [txt(n.text)])))] : []),
      el('segment', { state }, [el('source', {}, inline(source, version)), el('target', {}, inline(p.text, version))]),
    ]);
  });

  const fileAttrs = { original: article.origin ?? article.id, 'pe:title': article.title, ...(sourceIsMt ? { 'pe:source': 'mt' } : {}), 'pe:undecided': String(undecided.undecided) };
  const root =
    version === '1.2'
      ? el('xliff', { xmlns: XLIFF_NAMESPACES['1.2'], 'xmlns:pe': POSTEDIT_NAMESPACE, version: '1.2' }, [
          el('file', { ...fileAttrs, 'source-language': srcLang, 'target-language': trgLang, datatype: 'plaintext' }, [
            el('header', {}, [el('tool', { 'tool-id': 'postedit', 'tool-name': 'Postedit' }), el('note', { from: UNDECIDED_NOTE }, [txt(undecidedNote)])]),
            el('body', {}, units),
          ]),
        ])
      : el('xliff', { xmlns: XLIFF_NAMESPACES['2.0'], 'xmlns:pe': POSTEDIT_NAMESPACE, version: '2.0', srcLang, trgLang }, [
          el('file', { id: 'f1', ...fileAttrs }, [el('notes', {}, [el('note', { category: UNDECIDED_NOTE }, [txt(undecidedNote)])]), ...units]),
        ]);
  return buildXml(root, pretty);
}

// ---------------------------------------------------------------------------------------------------
// Reading

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
  /** Notes other than the MT, as plain text. */
  notes: string[];
}

export interface XliffDocument {
  version: XliffVersion;
  srcLang?: string;
  trgLang?: string;
  title?: string;
  original?: string;
  /** Written by Postedit (its namespace is declared). */
  postedit: boolean;
  hasSource: boolean;
  units: XliffUnit[];
}

/** The text of a source or target, inline markup flattened; placeholders give their equivalent text, if any. */
function inlineText(nodes: XNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (isText(n)) {
      out += String(n['#text']);
      continue;
    }
    switch (localName(n)) {
      case 'cp': {
        const code = parseInt(attr(n, 'hex') ?? '', 16);
        if (Number.isFinite(code) && code >= 0 && code <= 0x10ffff) out += String.fromCodePoint(code);
        break;
      }
      case 'x': {
        const m = CP_CTYPE.exec(attr(n, 'ctype') ?? '');
        if (m) out += String.fromCodePoint(parseInt(m[1]!, 16));
        else out += attr(n, 'equiv-text') ?? '';
        break;
      }
      case 'ph':
      case 'bx':
      case 'ex':
      case 'sc':
      case 'ec':
        out += attr(n, 'equiv') ?? attr(n, 'equiv-text') ?? '';
        break;
      case 'bpt':
      case 'ept':
      case 'it':
      case 'sm':
      case 'em':
      case 'sub':
        break;
      default:
        // g, mrk, pc and unknown wrappers: their text is part of the sentence.
        out += inlineText(childrenOf(n));
    }
  }
  return out;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

interface RawUnit {
  id: string;
  kind?: ParagraphKind;
  source: string;
  target?: string;
  state?: string;
  peStatus?: ParagraphStatus;
  peReview?: ReviewState;
  mtNote?: string;
  notes: string[];
}

function readNotes(unit: XNode, version: XliffVersion): { mt?: string; notes: string[] } {
  const list = version === '1.2' ? childElements(unit, 'note') : childElements(firstChild(unit, 'notes') ?? {}, 'note');
  let mt: string | undefined;
  const notes: string[] = [];
  for (const n of list) {
    const kind = attr(n, version === '1.2' ? 'from' : 'category');
    if (kind === MT_NOTE && mt === undefined) mt = textContent(n);
    else notes.push(textContent(n));
  }
  return { ...(mt !== undefined ? { mt } : {}), notes };
}

function readUnit12(u: XNode, index: number): RawUnit {
  const source = firstChild(u, 'source');
  const target = firstChild(u, 'target');
  const { mt, notes } = readNotes(u, '1.2');
  const kind = oneOf(attr(u, 'pe:kind'), ['heading', 'body'] as const);
  const peStatus = oneOf(attr(u, 'pe:status'), PARAGRAPH_STATUSES);
  const peReview = oneOf(attr(u, 'pe:review'), REVIEW_STATES);
  const targetText = target ? inlineText(childrenOf(target)) : undefined;
  const state = target ? attr(target, 'state') : undefined;
  return {
    id: attr(u, 'id') ?? `u${index + 1}`,
    source: source ? inlineText(childrenOf(source)) : '',
    ...(targetText !== undefined && targetText !== '' ? { target: targetText } : {}),
    ...(state !== undefined ? { state } : {}),
    ...(kind ? { kind } : {}),
    ...(peStatus ? { peStatus } : {}),
    ...(peReview ? { peReview } : {}),
    ...(mt !== undefined ? { mtNote: mt } : {}),
    notes,
  };
}

/** A 2.0 unit: its segments and ignorables joined in order; the least advanced segment state wins. */
function readUnit20(u: XNode, index: number): RawUnit {
  let source = '';
  let target = '';
  let hasTarget = false;
  const states: string[] = [];
  for (const part of childrenOf(u)) {
    const name = localName(part);
    if (name !== 'segment' && name !== 'ignorable') continue;
    const s = firstChild(part, 'source');
    const t = firstChild(part, 'target');
    const sText = s ? inlineText(childrenOf(s)) : '';
    source += sText;
    if (t) {
      hasTarget = true;
      target += inlineText(childrenOf(t));
    } else target += sText;
    if (name === 'segment') states.push(attr(part, 'state') ?? (t ? 'translated' : 'initial'));
  }
  const order = ['initial', 'translated', 'reviewed', 'final'];
  const state = states.length ? states.reduce((a, b) => (order.indexOf(a) <= order.indexOf(b) ? a : b)) : undefined;
  const { mt, notes } = readNotes(u, '2.0');
  const kind = oneOf(attr(u, 'pe:kind'), ['heading', 'body'] as const);
  const peStatus = oneOf(attr(u, 'pe:status'), PARAGRAPH_STATUSES);
  const peReview = oneOf(attr(u, 'pe:review'), REVIEW_STATES);
  return {
    id: attr(u, 'id') ?? `u${index + 1}`,
    source,
    ...(hasTarget && target !== '' ? { target } : {}),
    ...(state !== undefined ? { state } : {}),
    ...(kind ? { kind } : {}),
    ...(peStatus ? { peStatus } : {}),
    ...(peReview ? { peReview } : {}),
    ...(mt !== undefined ? { mtNote: mt } : {}),
    notes,
  };
}

/** A unit's kind when the file does not say: a short line without final punctuation is a heading. */
function guessKind(text: string): ParagraphKind {
  const t = text.trim();
  return t.length > 0 && t.length <= 100 && !/[.!?。！？…:;,，；："'”’)）\]]$/u.test(t) && !t.includes('\n') ? 'heading' : 'body';
}

/**
 * Reads an XLIFF 1.2 or 2.0 document. Units come in document order, through groups and files.
 * Throws `XliffError` with a message fit for the person who uploaded the file.
 */
export function parseXliff(xml: string): XliffDocument {
  const nodes = parseXml(xml);
  const root = rootElement(nodes);
  if (!root || localName(root) !== 'xliff') {
    throw new XliffError(`it is XML but not XLIFF: the root element is <${root ? localName(root) : 'none'}>, not <xliff>`);
  }
  const declared = attr(root, 'version') ?? '';
  const ns = attr(root, 'xmlns') ?? '';
  let version: XliffVersion;
  if (/^1\.[0-2]$/.test(declared) || ns === XLIFF_NAMESPACES['1.2']) version = '1.2';
  else if (/^2\.\d$/.test(declared) || ns === XLIFF_NAMESPACES['2.0']) version = '2.0';
  else throw new XliffError(`XLIFF version "${declared || 'none'}" is not supported: use 1.2 or 2.0`);

  const files = childElements(root, 'file');
  if (files.length === 0) throw new XliffError('the XLIFF has no <file> element');
  const postedit = Object.keys((root[':@'] as Record<string, unknown> | undefined) ?? {}).some((k) => k.startsWith('@_xmlns:') && attr(root, k.slice(2)) === POSTEDIT_NAMESPACE);
  const first = files[0]!;
  const srcLang = version === '1.2' ? attr(first, 'source-language') : attr(root, 'srcLang');
  const trgLang = version === '1.2' ? attr(first, 'target-language') : attr(root, 'trgLang');
  const title = attr(first, 'pe:title');
  const original = attr(first, 'original');

  const raws: Array<RawUnit & { sourceIsMt: boolean }> = [];
  for (const file of files) {
    const sourceIsMt = postedit && attr(file, 'pe:source') === 'mt';
    const found = findAll(childrenOf(file), version === '1.2' ? 'trans-unit' : 'unit');
    found.forEach((u, i) => raws.push({ ...(version === '1.2' ? readUnit12(u, raws.length + i) : readUnit20(u, raws.length + i)), sourceIsMt }));
  }

  const units: XliffUnit[] = raws.map((r) => {
    // Postedit's own file carries the MT explicitly; in another tool's file the target is the MT.
    const mt = r.sourceIsMt ? r.source : r.mtNote ?? r.target ?? r.source;
    const text = postedit ? r.target ?? mt : mt;
    const realSource = r.sourceIsMt ? undefined : r.source;
    const fromState = statusFromState(r.state, version);
    return {
      id: r.id,
      kind: r.kind ?? guessKind(mt),
      mt,
      text,
      ...(realSource !== undefined && realSource !== '' ? { source: realSource } : {}),
      status: r.peStatus ?? fromState.status,
      review: r.peStatus ? r.peReview ?? 'none' : fromState.review,
      notes: r.notes,
    };
  });
  // A source that only repeats the MT everywhere (a monolingual file) is no source.
  const hasSource = units.some((u) => u.source !== undefined && u.source !== u.mt);
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
  };
}
