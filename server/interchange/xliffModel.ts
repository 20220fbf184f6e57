/**
 * The structure of an XLIFF document: its files, units (through groups; `translate="no"` noted) and
 * segments — a 1.2 unit whole or cut by `<mrk mtype="seg">` (with Trados's `<sdl:seg>` per segment),
 * 2.0 `<segment>`s — and the status each segment comes in with.
 */
import type { ParagraphStatus, ReviewState } from '../core/types.js';
import type { Ctx } from './xliffInline.js';
import { statusFromMemoq, statusFromSdlConf, statusFromState } from './xliffStates.js';
import { MEMOQ_NAMESPACE, SDL_NAMESPACE, XLIFF_NAMESPACES, XliffError, type XliffVersion } from './xliffTerms.js';
import { attrOf, elementsOf, textOf, type XDocument, type XElement } from './xmlScan.js';

export interface Segment {
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

export interface Unit {
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

export interface Model {
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

export function child(e: XElement, local: string, ns: string): XElement | undefined {
  return elementsOf(e).find((c) => c.local === local && c.ns === ns);
}

export function readModel(doc: XDocument): Model {
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
export function importedStatus(unit: Unit, seg: Segment): { status: ParagraphStatus; review: ReviewState } {
  if (!seg.hasTarget) return { status: 'pending', review: 'none' };
  if (unit.ctx.version === '2.0') return statusFromState(attrOf(seg.el!, 'state') ?? 'initial', '2.0');
  if (seg.sdlSeg) return statusFromSdlConf(attrOf(seg.sdlSeg, 'conf'));
  const mq = attrOf(unit.el, 'status', MEMOQ_NAMESPACE);
  if (mq !== undefined) return statusFromMemoq(mq);
  return statusFromState(unit.target ? attrOf(unit.target, 'state') : undefined, '1.2');
}
