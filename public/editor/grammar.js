// Grammar and readability flags arrive after the page, as the server computes them.
import { articleApi, request, rows } from './page.js';
import { keepingPlace } from './rows.js';

function markGrammar(el, flags) {
  if (el.querySelector('mark, .code-chip')) return; // fact-guard marks take precedence; inline-code chips stay as they are
  const text = el.textContent;
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const f of flags) {
    if (f.start < at || f.end <= f.start || f.end > text.length) continue;
    frag.append(text.slice(at, f.start));
    const m = document.createElement('mark');
    m.className = 'grammar';
    m.title = `${f.kind}: ${f.message}`;
    m.textContent = text.slice(f.start, f.end);
    frag.append(m);
    at = f.end;
  }
  frag.append(text.slice(at));
  el.replaceChildren(frag);
}

function showFlags(f) {
  const row = document.getElementById(f.id);
  if (!row || f.count === null || Number(row.dataset.revision) !== f.revision || row.dataset.flagsShown === String(f.revision)) return;
  row.dataset.flagsShown = String(f.revision);
  const items = f.flags.filter((x) => x.kind !== 'Info');
  row.dataset.flags = String(items.length);
  const badge = row.querySelector('.badge-grammar');
  const box = row.querySelector('details.grammar');
  if (!items.length || !badge || !box) return;
  badge.hidden = false;
  badge.querySelector('.n').textContent = `${items.length} flag${items.length === 1 ? '' : 's'}`;
  const text = row.querySelector('.text[data-role="current"]');
  const current = text?.textContent ?? '';
  box.querySelector('ul').replaceChildren(...f.flags.map((x) => {
    const li = document.createElement('li');
    const snippet = x.end > x.start && current ? ` — “${current.slice(x.start, x.end)}”` : '';
    li.textContent = `${x.kind}: ${x.message}${snippet}`;
    return li;
  }));
  box.hidden = false;
  if (text) markGrammar(text, items);
}

/**
 * The row's text is about to change (its edit box opened, a suggestion was asked for): the server gets
 * its grammar checker ready for that paragraph meanwhile (it may have been stopped while idle), so the
 * new text's flags come sooner. Nothing is stored; a failure only means they come later.
 */
export function prepareGrammar(row) {
  if (row?.dataset.id) request(`${articleApi()}/flags/prepare`, { paragraphId: row.dataset.id }).catch(() => {});
}

export function wireGrammarPrepare() {
  // `toggle` does not bubble: listen while it goes down.
  document.addEventListener('toggle', (ev) => {
    const box = ev.target;
    if (box instanceof HTMLDetailsElement && box.open && box.classList.contains('editor')) prepareGrammar(box.closest('.para'));
  }, true);
}

let loading = null;
/** Fetches the article's grammar flags until none is pending (the server computes them in the background). */
export function loadFlags() {
  if (loading) return loading;
  loading = (async () => {
    for (let i = 0; i < 30; i++) {
      let data;
      try { data = await request(`${articleApi()}/flags`, undefined, 'GET'); } catch { return; }
      // Rows above the one the editor reads grow by their flags: what they read stays put.
      keepingPlace(() => data.paragraphs.forEach(showFlags));
      if (!data.pending) return;
    }
  })().finally(() => { loading = null; });
  return loading;
}

/** "Most grammar flags first" ⇄ article order, on the page as it is. */
export function wireSortButton() {
  const sortButton = document.querySelector('.sort-flags');
  sortButton?.addEventListener('click', () => {
    const list = document.querySelector('.paragraphs');
    const all = rows();
    const byFlags = sortButton.getAttribute('aria-pressed') !== 'true';
    all.sort((a, b) => byFlags
      ? Number(b.dataset.flags || 0) - Number(a.dataset.flags || 0) || Number(a.dataset.index) - Number(b.dataset.index)
      : Number(a.dataset.index) - Number(b.dataset.index));
    list.append(...all);
    sortButton.setAttribute('aria-pressed', String(byFlags));
    sortButton.textContent = byFlags ? 'In article order' : 'Most grammar flags first';
  });
}
