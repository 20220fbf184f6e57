/**
 * Postedit's own XLIFF, built from the article: one unit per live paragraph (unit id = paragraph id),
 * source = the source text when there is one (else the MT), target = the current text, the exact
 * status in Postedit's namespace (2.0) or notes (1.2), the MT and fact-guard findings as notes.
 */
import { articleLanguages, undecidedLine, undecidedSummary } from '../core/articleFacts.js';
import { markersOf, type InlineCode } from '../core/inlineCodes.js';
import type { Article, Finding } from '../core/types.js';
import { xliffState } from './xliffStates.js';
import { GUARD_NOTE, isLanguageTag, MT_NOTE, POSTEDIT_NAMESPACE, SOURCE_NOTE, STATE_NOTE, TITLE_NOTE, UNDECIDED_NOTE, XLIFF_NAMESPACES, XliffError, type XliffOptions, type XliffVersion } from './xliffTerms.js';
import { buildXml, el, INVALID_XML_CHARS, txt, type XNode as TreeNode } from './xml.js';

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

/** Postedit's own XLIFF of an article; see xliff.ts for what goes where. */
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
