/**
 * Reading XLIFF inline content: a text container's children as text and inline codes (`<g> <x/>
 * <bx/> <ex/> <ph> <bpt> <ept> <it> <mrk>` in 1.2; `<pc> <ph/> <sc/> <ec/> <mrk> <sm/> <em/>` in 2.0;
 * comments and foreign elements too), each code with its original XML and a label, then numbered
 * across a source and its target as the ⟦n⟧ / ⟦/n⟧ markers of core/inlineCodes.ts.
 */
import { closeMarker, openMarker, type InlineCode } from '../core/inlineCodes.js';
import type { XliffVersion } from './xliffTerms.js';
import { attrOf, escapeText, textOf, type XDocument, type XElement, type XNode } from './xmlScan.js';

const CP_CTYPE = /^x-postedit-cp-([0-9a-f]{1,6})$/i;
const LITERAL_MARKER = /⟦\/?\d{1,4}⟧/g;

export interface RawCode {
  /** What identifies the code across source and target: its element and id. */
  key: string;
  kind: 'pair' | 'standalone';
  open: string;
  close?: string;
  label: string;
}

export type Part = string | { code: RawCode; side: 'start' | 'end' };

export interface Ctx {
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
export function readParts(nodes: readonly XNode[], ctx: Ctx): Part[] {
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
export function numberCodes(source: Part[], target: Part[] | undefined): { source: string; target?: string; codes: InlineCode[] } {
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
