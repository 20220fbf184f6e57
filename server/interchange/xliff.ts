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
 */
import { articleLanguages, undecidedLine, undecidedSummary } from '../core/articleFacts.js';
import { closeMarker, markersOf, openMarker, stripMarkers, type InlineCode } from '../core/inlineCodes.js';
import type { Article, ArticleOriginal, Finding, Paragraph, ParagraphKind, ParagraphOrigin, ParagraphStatus, ReviewState } from '../core/types.js';
import { PARAGRAPH_STATUSES, REVIEW_STATES } from '../core/types.js';
import { buildXml, el, INVALID_XML_CHARS, txt, XmlFileError, type XNode as TreeNode } from './xml.js';
import { attrOf, elementsOf, escapeAttr, escapeText, findAttr, scanDocument, textOf, type XDocument, type XElement, type XNode } from './xmlScan.js';

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
const MT_NOTE = 'postedit:mt';
const UNDECIDED_NOTE = 'postedit:undecided';
const GUARD_NOTE = 'postedit:fact-guard';
const STATE_NOTE = 'postedit:state';
const TITLE_NOTE = 'postedit:title';
const SOURCE_NOTE = 'postedit:source';
const CP_CTYPE = /^x-postedit-cp-([0-9a-f]{1,6})$/i;
const LANG_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
const INVALID_XML_CHARS_G = new RegExp(INVALID_XML_CHARS.source, 'gu');
const LITERAL_MARKER = /⟦\/?\d{1,4}⟧/g;

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

/** The standard state of a paragraph, see the table at the top. */
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
const PROGRESS_12 = ['needs-translation', 'needs-review-translation', 'translated', 'signed-off'];

function decided(status: ParagraphStatus, review: ReviewState | undefined): boolean {
  return (review !== undefined && review !== 'none') || !['pending', 'suggested', 'deleted'].includes(status);
}

// ---------------------------------------------------------------------------------------------------
// Inline content: text and codes

interface RawCode {
  /** What identifies the code across source and target: its element and id. */
  key: string;
  kind: 'pair' | 'standalone';
  open: string;
  close?: string;
  label: string;
}

type Part = string | { code: RawCode; side: 'start' | 'end' };

interface Ctx {
  doc: XDocument;
  version: XliffVersion;
  /** The XLIFF namespace as the document uses it ('' for a file without one). */
  ns: string;
  /** 2.0 `<originalData>`: data id → content, for labels. */
  data: Map<string, string>;
}

const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 199)}…` : s);

function labelOf(e: XElement, ctx: Ctx): string {
  const a = (k: string) => attrOf(e, k);
  const id = a('id') ?? a('startRef') ?? a('rid');
  const fallback = `${e.local}${id !== undefined ? ` ${id}` : ''}`;
  const data = (ref: string | undefined) => (ref !== undefined ? ctx.data.get(ref) : undefined);
  let label: string | undefined;
  if (e.ns !== ctx.ns) label = e.name;
  else if (ctx.version === '1.2') {
    if (['ph', 'bpt', 'ept', 'it', 'sub'].includes(e.local)) label = textOf(e).trim() || a('equiv-text') || a('ctype');
    else if (e.local === 'mrk') label = a('mtype') ?? a('comment');
    else label = a('equiv-text') ?? a('ctype');
  } else if (e.local === 'pc') label = a('dispStart') ?? a('equivStart') ?? data(a('dataRefStart'));
  else if (e.local === 'mrk' || e.local === 'sm') label = a('type') ?? a('value');
  else label = a('disp') ?? a('equiv') ?? data(a('dataRef'));
  return clip((label ?? '').trim() || fallback);
}

/** Reads a text container's children into text and code parts, in document order. */
function readParts(nodes: readonly XNode[], ctx: Ctx): Part[] {
  const parts: Part[] = [];
  // Codes that may pair up at this level (bpt/ept, sc/ec, sm/em): their part index, side and key.
  const pseudo: Array<{ at: number; side: 'start' | 'end'; key: string; e: XElement }> = [];
  const raw = (n: { start: number; end: number }) => ctx.doc.text.slice(n.start, n.end);
  const one = (e: XElement | XNode, key: string, label: string) => {
    parts.push({ code: { key, kind: 'standalone', open: raw(e), label }, side: 'start' });
  };
  for (const n of nodes) {
    if (n.kind === 'text') {
      // A literal ⟦1⟧ in the file's text is kept as a code of its own, so it is never read as a marker.
      let last = 0;
      for (const m of n.value.matchAll(LITERAL_MARKER)) {
        if (m.index > last) parts.push(n.value.slice(last, m.index));
        parts.push({ code: { key: `literal:${m[0]}`, kind: 'standalone', open: escapeText(m[0]), label: m[0] }, side: 'start' });
        last = m.index + m[0].length;
      }
      if (last < n.value.length) parts.push(n.value.slice(last));
      continue;
    }
    if (n.kind !== 'element') {
      one(n, `${n.kind}:${raw(n)}`, n.kind === 'comment' ? 'comment' : 'processing instruction');
      continue;
    }
    const e = n;
    const id = attrOf(e, 'id') ?? '';
    const label = labelOf(e, ctx);
    if (e.ns !== ctx.ns) {
      one(e, `other:${e.name}#${id}`, label);
      continue;
    }
    const v12 = ctx.version === '1.2';
    const pairs = v12 ? ['g', 'mrk'] : ['pc', 'mrk'];
    if (pairs.includes(e.local) && !e.selfClosing) {
      const code: RawCode = { key: `pair:${e.local}#${id}`, kind: 'pair', open: ctx.doc.text.slice(e.start, e.openEnd), close: ctx.doc.text.slice(e.closeStart, e.end), label };
      parts.push({ code, side: 'start' });
      parts.push(...readParts(e.children, ctx));
      parts.push({ code, side: 'end' });
      continue;
    }
    if (v12 && e.local === 'x') {
      // Postedit's own placeholder for a character XML cannot carry.
      const m = CP_CTYPE.exec(attrOf(e, 'ctype') ?? '');
      if (m) {
        parts.push(String.fromCodePoint(parseInt(m[1]!, 16)));
        continue;
      }
    }
    if (!v12 && e.local === 'cp') {
      const code = parseInt(attrOf(e, 'hex') ?? '', 16);
      if (Number.isFinite(code) && code >= 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) {
        parts.push(String.fromCodePoint(code));
        continue;
      }
    }
    // Halves of a pair written as two elements.
    let side: 'start' | 'end' | undefined;
    let key = '';
    if (v12 && e.local === 'bpt') [side, key] = ['start', `bpt#${attrOf(e, 'rid') ?? id}`];
    else if (v12 && e.local === 'ept') [side, key] = ['end', `bpt#${attrOf(e, 'rid') ?? id}`];
    else if (!v12 && e.local === 'sc' && attrOf(e, 'isolated') !== 'yes') [side, key] = ['start', `sc#${id}`];
    else if (!v12 && e.local === 'ec' && attrOf(e, 'startRef') !== undefined) [side, key] = ['end', `sc#${attrOf(e, 'startRef')}`];
    else if (!v12 && e.local === 'sm') [side, key] = ['start', `sm#${id}`];
    else if (!v12 && e.local === 'em') [side, key] = ['end', `sm#${attrOf(e, 'startRef') ?? ''}`];
    if (side) pseudo.push({ at: parts.length, side, key, e });
    one(e, `one:${e.local}#${id || (attrOf(e, 'startRef') ?? '')}`, label);
  }
  // Pair the halves that open and close at this level, properly nested; the others stay standalone.
  const stack: typeof pseudo = [];
  for (const p of pseudo) {
    if (p.side === 'start') {
      stack.push(p);
      continue;
    }
    const top = stack.at(-1);
    if (top?.key === p.key) {
      stack.pop();
      const code: RawCode = { key: `pair:${top.key}`, kind: 'pair', open: raw(top.e), close: raw(p.e), label: labelOf(top.e, ctx) };
      parts[top.at] = { code, side: 'start' };
      parts[p.at] = { code, side: 'end' };
    } else if (stack.some((s) => s.key === p.key)) {
      // It would cross another pair: leave both as they are, and stop pairing what is open.
      stack.length = 0;
    }
  }
  return parts;
}

/**
 * Numbers the codes of a source and a target: source codes from 1 in order, target codes that are
 * the same element (name and id, same occurrence) as a source code get its number, others new ones.
 * A code's XML is the target's when the target has it (that is what an export writes), else the source's.
 */
function numberCodes(source: Part[], target: Part[] | undefined): { source: string; target?: string; codes: InlineCode[] } {
  const codes: InlineCode[] = [];
  const byCode = new Map<RawCode, number>();
  const byKey = new Map<string, number>();
  const render = (parts: Part[], assign: (c: RawCode, k: string) => number) => {
    const seen = new Map<string, number>();
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      let n = byCode.get(p.code);
      if (n === undefined) {
        const base = `${p.code.kind}|${p.code.key}`;
        const k = (seen.get(base) ?? 0) + 1;
        seen.set(base, k);
        n = assign(p.code, `${base}@${k}`);
        byCode.set(p.code, n);
      }
      out += p.side === 'end' ? closeMarker(n) : openMarker(n);
    }
    return out;
  };
  const add = (c: RawCode): number => {
    const n = codes.length + 1;
    codes.push({ n, kind: c.kind, open: c.open, ...(c.close !== undefined ? { close: c.close } : {}), label: c.label });
    return n;
  };
  const sourceText = render(source, (c, k) => {
    const n = add(c);
    byKey.set(k, n);
    return n;
  });
  const used = new Set<number>();
  const targetText = target
    ? render(target, (c, k) => {
        const n = byKey.get(k);
        if (n === undefined || used.has(n)) return add(c);
        used.add(n);
        codes[n - 1] = { n, kind: c.kind, open: c.open, ...(c.close !== undefined ? { close: c.close } : {}), label: c.label };
        return n;
      })
    : undefined;
  return { source: sourceText, ...(targetText !== undefined ? { target: targetText } : {}), codes };
}

// ---------------------------------------------------------------------------------------------------
// The document's structure: files, units, segments

interface Segment {
  /** Position in the unit (0-based), and the segment's id (2.0) or mid (1.2). */
  at: number;
  id?: string;
  /** 2.0 `<segment>` (carries the state). */
  el?: XElement;
  /** The elements holding the texts: `<source>`/`<target>`, or the seg-source and target `<mrk mtype="seg">`. */
  source?: XElement;
  target?: XElement;
  hasTarget: boolean;
  /** Trados's `<sdl:seg>` of this segment. */
  sdlSeg?: XElement;
}

interface Unit {
  el: XElement;
  id: string;
  /** Position among all units of the document. */
  at: number;
  fileAt: number;
  fileId: string;
  /** 1.2: the unit as one text, or cut by `<mrk mtype="seg">`; 2.0: `<segment>`s. */
  mode: 'whole' | 'mrk' | 'segments';
  translate: boolean;
  /** 1.2 */
  source?: XElement;
  segSource?: XElement;
  target?: XElement;
  segments: Segment[];
  ctx: Ctx;
}

interface Model {
  version: XliffVersion;
  ns: string;
  root: XElement;
  files: XElement[];
  units: Unit[];
}

function blankContent(e: XElement): boolean {
  return e.children.every((c) => c.kind === 'text' && c.value.trim() === '');
}

/** `<mrk mtype="seg">` elements below a container, in order (not below one another). */
function segMarks(container: XElement, ns: string): XElement[] {
  const out: XElement[] = [];
  const walk = (e: XElement) => {
    for (const c of elementsOf(e)) {
      if (c.ns === ns && c.local === 'mrk' && attrOf(c, 'mtype') === 'seg') out.push(c);
      else walk(c);
    }
  };
  walk(container);
  return out;
}

function child(e: XElement, local: string, ns: string): XElement | undefined {
  return elementsOf(e).find((c) => c.local === local && c.ns === ns);
}

function readModel(doc: XDocument): Model {
  const root = doc.root;
  if (root.local !== 'xliff') throw new XliffError(`it is XML but not XLIFF: the root element is <${root.name}>, not <xliff>`);
  const declared = attrOf(root, 'version') ?? '';
  let version: XliffVersion;
  if (/^1\.[0-2]$/.test(declared) || root.ns === XLIFF_NAMESPACES['1.2']) version = '1.2';
  else if (/^2\.\d$/.test(declared) || root.ns === XLIFF_NAMESPACES['2.0']) version = '2.0';
  else throw new XliffError(`XLIFF version "${declared || 'none'}" is not supported: use 1.2 or 2.0`);
  const ns = root.ns;
  const files = elementsOf(root).filter((f) => f.local === 'file' && f.ns === ns);
  if (files.length === 0) throw new XliffError('the XLIFF has no <file> element');
  const units: Unit[] = [];
  const unitName = version === '1.2' ? 'trans-unit' : 'unit';

  files.forEach((file, fileAt) => {
    const fileId = (version === '1.2' ? attrOf(file, 'original') : attrOf(file, 'id')) ?? `file ${fileAt + 1}`;
    const walk = (e: XElement, translate: boolean) => {
      for (const c of elementsOf(e)) {
        if (c.ns !== ns) continue;
        const t = translate && attrOf(c, 'translate') !== 'no';
        if (c.local === unitName) units.push(readUnit(doc, c, { version, ns, at: units.length, fileAt, fileId, translate: t }));
        else if (c.local !== 'alt-trans' && c.local !== 'notes') walk(c, t);
      }
    };
    walk(file, version === '1.2' || attrOf(file, 'translate') !== 'no');
  });
  return { version, ns, root, files, units };
}

function readUnit(doc: XDocument, u: XElement, at: { version: XliffVersion; ns: string; at: number; fileAt: number; fileId: string; translate: boolean }): Unit {
  const { version, ns } = at;
  const data = new Map<string, string>();
  if (version === '2.0') {
    const od = child(u, 'originalData', ns);
    for (const d of od ? elementsOf(od) : []) {
      const id = attrOf(d, 'id');
      if (d.local === 'data' && id !== undefined) data.set(id, textOf(d));
    }
  }
  const ctx: Ctx = { doc, version, ns, data };
  const base = { el: u, id: attrOf(u, 'id') ?? `u${at.at + 1}`, at: at.at, fileAt: at.fileAt, fileId: at.fileId, translate: at.translate, ctx };
  const has = (t: XElement | undefined) => t !== undefined && !blankContent(t);

  if (version === '2.0') {
    const segments: Segment[] = [];
    for (const s of elementsOf(u)) {
      if (s.ns !== ns || s.local !== 'segment') continue;
      const source = child(s, 'source', ns);
      const target = child(s, 'target', ns);
      const id = attrOf(s, 'id');
      segments.push({ at: segments.length, ...(id !== undefined ? { id } : {}), el: s, ...(source ? { source } : {}), ...(target ? { target } : {}), hasTarget: has(target) });
    }
    return { ...base, mode: 'segments', segments };
  }

  const source = child(u, 'source', ns);
  const segSource = child(u, 'seg-source', ns);
  const target = child(u, 'target', ns);
  const sdlDefs = elementsOf(u).find((c) => c.ns === SDL_NAMESPACE && c.local === 'seg-defs');
  const sdlSegs = new Map<string, XElement>();
  for (const s of sdlDefs ? elementsOf(sdlDefs) : []) {
    const id = attrOf(s, 'id');
    if (s.ns === SDL_NAMESPACE && s.local === 'seg' && id !== undefined && !sdlSegs.has(id)) sdlSegs.set(id, s);
  }
  const marks = segSource ? segMarks(segSource, ns) : [];
  const targetMarks = target ? segMarks(target, ns) : [];
  // Segmented, unless the target is a plain text that ignores the segmentation.
  if (marks.length && (targetMarks.length || !has(target))) {
    const used = new Set<XElement>();
    const segments = marks.map((m, i): Segment => {
      const mid = attrOf(m, 'mid');
      const t = targetMarks.find((x) => !used.has(x) && attrOf(x, 'mid') === mid);
      if (t) used.add(t);
      const sdlSeg = mid !== undefined ? sdlSegs.get(mid) : undefined;
      return { at: i, ...(mid !== undefined ? { id: mid } : {}), source: m, ...(t ? { target: t } : {}), hasTarget: has(t), ...(sdlSeg ? { sdlSeg } : {}) };
    });
    return { ...base, mode: 'mrk', ...(source ? { source } : {}), segSource: segSource!, ...(target ? { target } : {}), segments };
  }
  const only = sdlSegs.size === 1 ? [...sdlSegs.values()][0] : undefined;
  return {
    ...base,
    mode: 'whole',
    ...(source ? { source } : {}),
    ...(segSource ? { segSource } : {}),
    ...(target ? { target } : {}),
    segments: [{ at: 0, ...(source ? { source } : {}), ...(target ? { target } : {}), hasTarget: has(target), ...(only ? { sdlSeg: only } : {}) }],
  };
}

/** The status a segment comes in with: Postedit's own record, Trados, memoQ, the standard state. */
function importedStatus(unit: Unit, seg: Segment): { status: ParagraphStatus; review: ReviewState } {
  if (!seg.hasTarget) return { status: 'pending', review: 'none' };
  if (unit.ctx.version === '2.0') return statusFromState(attrOf(seg.el!, 'state') ?? 'initial', '2.0');
  if (seg.sdlSeg) return statusFromSdlConf(attrOf(seg.sdlSeg, 'conf'));
  const mq = attrOf(unit.el, 'status', MEMOQ_NAMESPACE);
  if (mq !== undefined) return statusFromMemoq(mq);
  return statusFromState(unit.target ? attrOf(unit.target, 'state') : undefined, '1.2');
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
function parseStateNote(text: string): Record<string, string> {
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

// ---------------------------------------------------------------------------------------------------
// Writing back into the uploaded file

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

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(text: string, edits: Edit[], from = 0, to = text.length): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = from;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at ${e.start}`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at, to);
}

/** A start tag with some attributes set (values replaced in place, new ones added at the end). */
function startTag(doc: XDocument, e: XElement, set: Record<string, string>, open = false): string {
  const edits: Edit[] = [];
  let added = '';
  for (const [name, value] of Object.entries(set)) {
    const a = e.attrs.find((x) => x.name === name);
    if (a) {
      if (a.value !== value) edits.push({ start: a.valueStart, end: a.valueEnd, text: escapeAttr(value) });
    } else added += ` ${name}="${escapeAttr(value)}"`;
  }
  let tag = applyEdits(doc.text, edits, e.start, e.openEnd);
  if (added || (open && e.selfClosing)) {
    const close = e.selfClosing ? /\s*\/>$/ : />$/;
    tag = tag.replace(close, `${added}${open || !e.selfClosing ? '>' : '/>'}`);
  }
  return tag;
}

interface Group {
  /** The paragraph the segment was imported as. */
  main?: Paragraph;
  /** Its live paragraphs: the main one (if not deleted) and the ones split off it, in order. */
  live: Paragraph[];
}

/** What Postedit writes for a segment: nothing (untouched), or a new state and perhaps a new text. */
interface Decision {
  status: ParagraphStatus;
  review: ReviewState | undefined;
  /** The new target content (XML), when the text is to be written. */
  content?: string;
}

class Writer {
  readonly warnings: string[] = [];
  readonly edits: Edit[] = [];
  readonly version: XliffVersion;
  readonly asciiOnly: boolean;

  constructor(
    readonly doc: XDocument,
    readonly model: Model,
  ) {
    this.version = model.version;
    const enc = (doc.declaration?.encoding ?? 'UTF-8').toUpperCase();
    this.asciiOnly = !/^UTF-?(8|16)/.test(enc);
  }

  warn(message: string) {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  /** Escapes text for the file: entities, characters XML cannot carry, and (for a non-Unicode file) character references. */
  escape(text: string, prefix: string, who: string): string {
    let out = escapeText(text);
    if (INVALID_XML_CHARS.test(out)) {
      if (this.version === '2.0') out = out.replace(INVALID_XML_CHARS_G, (c) => `<${prefix}cp hex="${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}"/>`);
      else {
        out = out.replace(INVALID_XML_CHARS_G, '');
        this.warn(`${who}: characters XML 1.2 cannot carry (control characters) were left out`);
      }
    }
    if (this.asciiOnly) out = out.replace(/[^\x00-\x7f]/gu, (c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`);
    return out;
  }

  /** A paragraph's text as target content: markers back to their XML, broken pairs left out (with a warning). */
  content(group: Group, origin: ParagraphOrigin, prefix: string): string {
    const codes = new Map<number, InlineCode>();
    for (const p of [group.main, ...group.live]) for (const c of p?.codes ?? []) if (!codes.has(c.n)) codes.set(c.n, c);
    const who = `paragraph ${group.live[0]?.id ?? group.main?.id}`;
    const text = group.live.map((p) => p.text).join(' ');
    // Pairs must open, close and nest properly, or the file would not be XML any more.
    const markers = markersOf(text);
    const broken = new Set<number>();
    const count = new Map<string, number>();
    for (const m of markers) count.set(`${m.side}${m.n}`, (count.get(`${m.side}${m.n}`) ?? 0) + 1);
    const stack: number[] = [];
    for (const m of markers) {
      const c = codes.get(m.n);
      if (!c) continue;
      if (c.kind !== 'pair') {
        if (m.side === 'end') broken.add(m.n);
        continue;
      }
      if (count.get(`start${m.n}`) !== 1 || count.get(`end${m.n}`) !== 1) broken.add(m.n);
      else if (m.side === 'start') stack.push(m.n);
      else if (stack.at(-1) === m.n) stack.pop();
      else broken.add(m.n);
    }
    for (const n of stack) broken.add(n);
    let out = '';
    let at = 0;
    for (const m of markers) {
      const c = codes.get(m.n);
      if (!c) {
        this.warn(`${who}: the marker ${text.slice(m.start, m.end)} is not one of its inline codes; it was written as text`);
        continue;
      }
      out += this.escape(text.slice(at, m.start), prefix, who);
      at = m.end;
      if (broken.has(m.n)) {
        this.warn(`${who}: the inline code ${openMarker(m.n)}${c.label ? ` (${c.label})` : ''} is not properly paired; it was left out`);
        continue;
      }
      out += m.side === 'start' ? c.open : c.close ?? '';
    }
    out += this.escape(text.slice(at), prefix, who);
    return (origin.pad?.[0] ?? '') + out + (origin.pad?.[1] ?? '');
  }

  decide(group: Group | undefined, prefix: string): Decision | undefined {
    if (!group?.main?.origin) return undefined;
    const main = group.main;
    const origin = main.origin!;
    if (!group.live.length) return undefined; // deleted: the unit stays as it came
    const head = group.live.includes(main) ? main : group.live[0]!;
    const status = head.status;
    const review = head.review;
    const text = group.live.map((p) => p.text).join(' ');
    const importedText = origin.imported.text ?? main.mt;
    const textChanged = group.live.length > 1 || group.live[0] !== main || text !== importedText;
    // What a file can say about a paragraph: whether it is decided (accepted, edited, kept and rejected
    // alike), and its review state. A suggestion nobody acted on changes nothing.
    const said = (s: ParagraphStatus, r: ReviewState | undefined) => `${decided(s, undefined)}/${r ?? 'none'}`;
    const stateChanged = said(status, review) !== said(origin.imported.status, origin.imported.review);
    if (!textChanged && !stateChanged) return undefined;
    if (!origin.target && !decided(status, review) && !textChanged) return undefined;
    return { status, review, ...(textChanged || !origin.target ? { content: this.content(group, origin, prefix) } : {}) };
  }

  /** Replaces an element's content (and sets attributes of its start tag). */
  rewrite(e: XElement, content: string | undefined, attrs: Record<string, string> = {}) {
    const { doc } = this;
    if (content !== undefined && e.selfClosing) {
      this.edits.push({ start: e.start, end: e.end, text: `${startTag(doc, e, attrs, true)}${content}</${e.name}>` });
      return;
    }
    const tag = startTag(doc, e, attrs);
    if (tag !== doc.text.slice(e.start, e.openEnd)) this.edits.push({ start: e.start, end: e.openEnd, text: tag });
    if (content !== undefined) this.edits.push({ start: e.openEnd, end: e.closeStart, text: content });
  }

  /** The whitespace before an element, when it is alone on its line (to indent a new sibling alike). */
  indentBefore(e: XElement): string {
    const siblings = e.parent?.children ?? [];
    const i = siblings.indexOf(e);
    const prev = i > 0 ? siblings[i - 1] : undefined;
    return prev?.kind === 'text' && !prev.cdata && prev.value.trim() === '' ? this.doc.text.slice(prev.start, prev.end) : '';
  }

  prefixOf(e: XElement): string {
    return e.prefix ? `${e.prefix}:` : '';
  }

  unit(unit: Unit, groups: Map<string, Group>) {
    const prefix = this.prefixOf(unit.el);
    const decisions = unit.segments.map((s) => this.decide(groups.get(`${unit.at}:${unit.mode === 'whole' ? '' : s.at}`), prefix));
    if (!decisions.some(Boolean)) return;
    // The current state of every segment: a decision, or what the paragraph is now (or was imported as).
    const now = unit.segments.map((s, i) => {
      const d = decisions[i];
      if (d) return d;
      const g = groups.get(`${unit.at}:${unit.mode === 'whole' ? '' : s.at}`);
      const p = g?.live[0] ?? g?.main;
      return p ? { status: p.status, review: p.review } : { status: 'pending' as ParagraphStatus, review: undefined };
    });
    const unitState = now.map((x) => xliffState(x.status, x.review, '1.2')).reduce((a, b) => (PROGRESS_12.indexOf(a) <= PROGRESS_12.indexOf(b) ? a : b));

    // On the unit: memoQ's status (the least advanced segment's), and Postedit's own record in a file it wrote.
    const unitAttrs: Record<string, string> = {};
    const mq = findAttr(unit.el, 'status', MEMOQ_NAMESPACE);
    if (mq && this.version === '1.2') {
      const worst = now.find((x) => xliffState(x.status, x.review, '1.2') === unitState)!;
      unitAttrs[mq.name] = memoqStatus(worst.status, worst.review);
    }
    const own = decisions[0];
    if (own && unit.segments.length === 1) {
      const status = own.status === 'suggested' ? 'pending' : own.status;
      const review = own.review ?? 'none';
      const peStatus = findAttr(unit.el, 'status', POSTEDIT_NAMESPACE);
      if (peStatus) {
        unitAttrs[peStatus.name] = status;
        const peReview = findAttr(unit.el, 'review', POSTEDIT_NAMESPACE);
        if (peReview) unitAttrs[peReview.name] = review;
        else if (review !== 'none') unitAttrs[`${peStatus.prefix}:review`] = review;
      }
      const note = this.version === '1.2' ? elementsOf(unit.el).find((e) => e.ns === unit.ctx.ns && e.local === 'note' && attrOf(e, 'from') === STATE_NOTE) : undefined;
      if (note) {
        const kind = parseStateNote(textOf(note)).kind;
        this.rewrite(note, escapeText(`status=${status} review=${review}${kind ? ` kind=${kind}` : ''}`));
      }
    }
    if (Object.keys(unitAttrs).length) {
      const tag = startTag(this.doc, unit.el, unitAttrs);
      if (tag !== this.doc.text.slice(unit.el.start, unit.el.openEnd)) this.edits.push({ start: unit.el.start, end: unit.el.openEnd, text: tag });
    }

    if (this.version === '2.0') {
      unit.segments.forEach((s, i) => {
        const d = decisions[i];
        if (!d || !s.el) return;
        const state = xliffState(d.status, d.review, '2.0');
        if (d.content === undefined) {
          this.rewrite(s.el, undefined, { state });
          return;
        }
        this.rewrite(s.el, undefined, { state });
        if (s.target) this.rewrite(s.target, d.content);
        else if (s.source) this.edits.push({ start: s.source.end, end: s.source.end, text: `${this.indentBefore(s.source)}<${this.prefixOf(s.source)}target>${d.content}</${this.prefixOf(s.source)}target>` });
      });
      return;
    }

    // 1.2: the unit's state on <target> (the least advanced segment), Trados's per segment.
    const anyText = decisions.some((d) => d?.content !== undefined);
    unit.segments.forEach((s, i) => {
      const d = decisions[i];
      if (d && s.sdlSeg) this.rewrite(s.sdlSeg, undefined, { conf: sdlConf(d.status, d.review) });
    });
    // Trados keeps a segment's state in its conf: the <target> gets a state only if it has one already.
    const trados = unit.segments.some((s) => s.sdlSeg);
    const stateAttrs: Record<string, string> = trados && !(unit.target && findAttr(unit.target, 'state')) ? {} : { state: unitState };
    if (unit.mode === 'whole') {
      const d = decisions[0]!;
      if (unit.target) this.rewrite(unit.target, d.content, stateAttrs);
      else this.insertTarget(unit, d.content ?? '', stateAttrs.state);
      return;
    }
    // Segmented by <mrk mtype="seg">: each changed segment's target mrk, or a new target built on the seg-source.
    const missing = unit.segments.some((s, i) => decisions[i]?.content !== undefined && !s.target);
    if (unit.target && !missing) {
      this.rewrite(unit.target, undefined, stateAttrs);
      unit.segments.forEach((s, i) => {
        const d = decisions[i];
        if (d?.content !== undefined && s.target) this.rewrite(s.target, d.content);
      });
      return;
    }
    if (!anyText && unit.target) {
      this.rewrite(unit.target, undefined, stateAttrs);
      return;
    }
    // Build the target from the seg-source: the segments' new texts, the others as they are in the target, or empty.
    const segSource = unit.segSource!;
    const inner: Edit[] = unit.segments.map((s, i) => {
      const m = s.source!;
      const d = decisions[i];
      const content = d?.content ?? (s.target && !s.target.selfClosing ? this.doc.text.slice(s.target.openEnd, s.target.closeStart) : '');
      const open = startTag(this.doc, m, {}, true);
      return { start: m.start, end: m.end, text: `${open}${content}</${m.name}>` };
    });
    const content = applyEdits(this.doc.text, inner, segSource.openEnd, segSource.closeStart);
    if (unit.target) this.rewrite(unit.target, content, stateAttrs);
    else this.insertTarget(unit, content, stateAttrs.state);
  }

  /** A new 1.2 <target> after the source (and seg-source). */
  insertTarget(unit: Unit, content: string, state: string | undefined) {
    const after = unit.segSource ?? unit.source;
    if (!after) return;
    const p = this.prefixOf(after);
    this.edits.push({ start: after.end, end: after.end, text: `${this.indentBefore(after)}<${p}target${state ? ` state="${state}"` : ''}>${content}</${p}target>` });
  }
}

/** Which paragraphs belong to which segment: by origin; a split-off paragraph goes with the one before it. */
function groupParagraphs(article: Article): Map<string, Group> {
  const groups = new Map<string, Group>();
  let current: Group | undefined;
  for (const p of article.paragraphs) {
    if (p.origin) {
      const key = `${p.origin.unitAt}:${p.origin.segmentAt ?? ''}`;
      current = groups.get(key) ?? { live: [] };
      current.main ??= p;
      groups.set(key, current);
      if (p.status !== 'deleted') current.live.push(p);
    } else if (current && p.status !== 'deleted') current.live.push(p);
  }
  return groups;
}

/** Writes the article back into the XLIFF file it was imported from; see the top of the file. */
export function writeIntoOriginal(article: Article, original: ArticleOriginal): { text: string; warnings: string[] } {
  const doc = scanDocument(original.text);
  const model = readModel(doc);
  const w = new Writer(doc, model);
  const groups = groupParagraphs(article);
  for (const p of article.paragraphs) {
    const unit = p.origin ? model.units[p.origin.unitAt] : undefined;
    if (p.origin && unit?.id !== p.origin.unit) {
      throw new XliffError(`the stored file does not match the article: paragraph ${p.id} belongs to unit "${p.origin.unit}", which is not unit ${p.origin.unitAt + 1} of the file`);
    }
  }
  for (const unit of model.units) if (unit.translate) w.unit(unit, groups);
  return { text: applyEdits(doc.text, w.edits), warnings: w.warnings };
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

// ---------------------------------------------------------------------------------------------------
// Postedit's own XLIFF, built from the article

function findingNote(f: Finding): string {
  return `[${f.check}] ${f.message}`;
}

/** Plain text as nodes, with placeholders for characters XML cannot carry. */
function plain(text: string, version: XliffVersion, ids: { n: number }): TreeNode[] {
  if (!INVALID_XML_CHARS.test(text)) return text ? [txt(text)] : [];
  const out: TreeNode[] = [];
  let run = '';
  for (const ch of text) {
    if (!INVALID_XML_CHARS.test(ch)) {
      run += ch;
      continue;
    }
    if (run) out.push(txt(run));
    run = '';
    const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    out.push(version === '2.0' ? el('cp', { hex }) : el('x', { id: `cp${++ids.n}`, ctype: `x-postedit-cp-${hex}` }));
  }
  if (run) out.push(txt(run));
  return out;
}

/**
 * Text with inline-code markers as standard inline elements: a pair as `<g>`/`<pc>`, a standalone
 * code (or a side of a pair that is not properly paired) as `<ph>` holding its label.
 */
function inline(text: string, codes: readonly InlineCode[] | undefined, version: XliffVersion, ids: { n: number }): TreeNode[] {
  const markers = codes?.length ? markersOf(text) : [];
  if (!markers.length) return plain(text, version, ids);
  const known = new Map(codes!.map((c) => [c.n, c]));
  const count = new Map<string, number>();
  for (const m of markers) count.set(`${m.side}${m.n}`, (count.get(`${m.side}${m.n}`) ?? 0) + 1);
  // Proper pairs: both sides once, start first, nested.
  const paired = new Set<number>();
  const stack: number[] = [];
  const bad = new Set<number>();
  for (const m of markers) {
    if (known.get(m.n)?.kind !== 'pair' || count.get(`start${m.n}`) !== 1 || count.get(`end${m.n}`) !== 1) continue;
    if (m.side === 'start') stack.push(m.n);
    else if (stack.at(-1) === m.n) {
      stack.pop();
      paired.add(m.n);
    } else bad.add(m.n);
  }
  for (const n of bad) paired.delete(n);
  const root: TreeNode[] = [];
  const open: Array<{ n: number; children: TreeNode[] }> = [{ n: 0, children: root }];
  let at = 0;
  for (const m of markers) {
    const top = open.at(-1)!;
    top.children.push(...plain(text.slice(at, m.start), version, ids));
    at = m.end;
    const code = known.get(m.n);
    if (!code) {
      top.children.push(...plain(text.slice(m.start, m.end), version, ids));
      continue;
    }
    if (paired.has(m.n) && open.some((o) => o.n === m.n) === (m.side === 'end')) {
      if (m.side === 'start') open.push({ n: m.n, children: [] });
      else {
        const done = open.pop()!;
        const parent = open.at(-1)!;
        parent.children.push(el(version === '1.2' ? 'g' : 'pc', { id: String(m.n) }, done.children));
      }
      continue;
    }
    const id = m.side === 'end' ? `${m.n}-end` : String(m.n);
    top.children.push(version === '1.2' ? el('ph', { id }, [txt(code.label)]) : el('ph', { id, disp: code.label }));
  }
  while (open.length > 1) {
    const done = open.pop()!;
    open.at(-1)!.children.push(...done.children);
  }
  root.push(...plain(text.slice(at), version, ids));
  return root;
}

/** Whitespace an XLIFF tool might otherwise normalise away. */
function needsPreserve(...texts: string[]): boolean {
  return texts.some((t) => /\n|\t| {2}|^\s|\s$/.test(t));
}

/** Postedit's own XLIFF of an article; see the top of the file for what goes where. */
export function buildXliff(article: Article, options: XliffOptions): string {
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
    if (INVALID_XML_CHARS.test(source) || INVALID_XML_CHARS.test(p.text) || (p.codes?.length && (markersOf(source).length || markersOf(p.text).length))) pretty = false;
    const state = xliffState(p.status, p.review, version);
    const notes: Array<{ kind: string; text: string; priority?: string }> = [];
    if (version === '1.2') notes.push({ kind: STATE_NOTE, text: `status=${p.status} review=${p.review ?? 'none'} kind=${p.kind}` });
    if (!sourceIsMt) notes.push({ kind: MT_NOTE, text: p.mt });
    for (const f of p.findings ?? []) notes.push({ kind: GUARD_NOTE, text: findingNote(f), priority: f.severity === 'warning' ? '1' : '5' });
    const ids = { n: 0 };
    const preserve = needsPreserve(source, p.text) ? { 'xml:space': 'preserve' } : {};
    if (version === '1.2') {
      return el('trans-unit', { id: p.id, ...preserve }, [
        el('source', {}, inline(source, p.codes, version, ids)),
        el('target', { state }, inline(p.text, p.codes, version, ids)),
        ...notes.map((n) => el('note', { from: n.kind, annotates: n.kind === STATE_NOTE ? 'general' : 'target', priority: n.priority }, [txt(n.text)])),
      ]);
    }
    const unitAttrs = { id: p.id, 'pe:kind': p.kind, 'pe:status': p.status, ...(p.review && p.review !== 'none' ? { 'pe:review': p.review } : {}), ...preserve };
    return el('unit', unitAttrs, [
      ...(notes.length ? [el('notes', {}, notes.map((n) => el('note', { category: n.kind, appliesTo: 'target', priority: n.priority }, [txt(n.text)])))] : []),
      el('segment', { state }, [el('source', {}, inline(source, p.codes, version, ids)), el('target', {}, inline(p.text, p.codes, version, ids))]),
    ]);
  });

  const original = article.origin ?? article.id;
  const root =
    version === '1.2'
      ? el('xliff', { xmlns: XLIFF_NAMESPACES['1.2'], version: '1.2' }, [
          el('file', { original, 'source-language': srcLang, 'target-language': trgLang, datatype: 'plaintext' }, [
            el('header', {}, [
              el('tool', { 'tool-id': 'postedit', 'tool-name': 'Postedit' }),
              el('note', { from: TITLE_NOTE }, [txt(article.title)]),
              ...(sourceIsMt ? [el('note', { from: SOURCE_NOTE }, [txt('mt')])] : []),
              el('note', { from: UNDECIDED_NOTE }, [txt(undecidedNote)]),
            ]),
            el('body', {}, units),
          ]),
        ])
      : el('xliff', { xmlns: XLIFF_NAMESPACES['2.0'], 'xmlns:pe': POSTEDIT_NAMESPACE, version: '2.0', srcLang, trgLang }, [
          el('file', { id: 'f1', original, 'pe:title': article.title, ...(sourceIsMt ? { 'pe:source': 'mt' } : {}), 'pe:undecided': String(undecided.undecided) }, [
            el('notes', {}, [el('note', { category: UNDECIDED_NOTE }, [txt(undecidedNote)])]),
            ...units,
          ]),
        ]);
  return buildXml(root, pretty);
}
