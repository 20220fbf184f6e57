/**
 * Writing an article back into the XLIFF file it was imported from: only the content of the
 * `<target>` (or target `<mrk mtype="seg">`) of a paragraph that changed, its `state`, Trados's
 * `conf` and memoQ's `mq:status` are replaced; every other byte stays as it came (see xliff.ts).
 */
import { markersOf, openMarker, type InlineCode } from '../core/inlineCodes.js';
import type { Article, ArticleOriginal, Paragraph, ParagraphOrigin, ParagraphStatus, ReviewState } from '../core/types.js';
import { INVALID_XML_CHARS } from './xml.js';
import { readModel, type Model, type Unit } from './xliffModel.js';
import { parseStateNote } from './xliffRead.js';
import { decided, memoqStatus, PROGRESS_12, sdlConf, xliffState } from './xliffStates.js';
import { MEMOQ_NAMESPACE, POSTEDIT_NAMESPACE, STATE_NOTE, XliffError, type XliffVersion } from './xliffTerms.js';
import { applyEdits, startTag, type Edit } from './xmlEdits.js';
import { attrOf, elementsOf, escapeText, findAttr, scanDocument, textOf, type XDocument, type XElement } from './xmlScan.js';

const INVALID_XML_CHARS_G = new RegExp(INVALID_XML_CHARS.source, 'gu');

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

/** Writes the article back into the XLIFF file it was imported from; see xliff.ts. */
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
