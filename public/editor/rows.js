// Selecting rows, moving between them, and replacing a row with the server's fresh rendering.
import { articleId, rows, say, state } from './page.js';
import { markSpan, syncSpanBox } from './spans.js';

const refreshed = [];
/** Called after a row was replaced (e.g. to fetch its grammar flags). */
export function onRowRefreshed(fn) { refreshed.push(fn); }

const selected = [];
/** Called when the editor selects a row (the live desk tells the others where they are). */
export function onSelect(fn) { selected.push(fn); }

export function select(row, scroll = true, remember = true) {
  if (!row) return;
  if (state.current && state.current !== row) state.current.classList.remove('selected');
  state.current = row;
  state.spanCursor = -1;
  row.classList.add('selected');
  state.focusedAt = Date.now();
  if (scroll) row.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  if (!row.contains(document.activeElement)) row.focus({ preventScroll: true });
  if (remember) history.replaceState(null, '', `#${row.id}`);
  for (const fn of selected) fn(row);
}

export function move(delta) {
  const all = rows();
  if (!all.length) return;
  const i = state.current ? all.indexOf(state.current) : -1;
  select(all[Math.max(0, Math.min(all.length - 1, i + delta))]);
}

/** The next paragraph nobody has decided on (pending or suggested, not locked), wrapping around. */
export function nextUndecided() {
  const all = rows();
  const start = state.current ? all.indexOf(state.current) : -1;
  for (let k = 1; k <= all.length; k++) {
    const row = all[(start + k) % all.length];
    if ((row.classList.contains('status-pending') || row.classList.contains('status-suggested')) && !row.dataset.locked) return select(row);
  }
  say('No undecided paragraph left in this view.');
}

/**
 * What the editor was doing on the row survives its refresh: a comment or send-back note being
 * written, and — when the refresh is of the same revision and suggestion (the MT flags arriving,
 * say) — the changes they left out of the suggestion, or the next accept would take them all.
 * Answers whether it was the same revision and suggestion.
 */
function keepChoices(from, to) {
  for (const typed of from.querySelectorAll('textarea:not([id^="edit-"])')) {
    const twin = typed.id && to.querySelector(`#${CSS.escape(typed.id)}`);
    if (!twin || !typed.value) continue;
    twin.value = typed.value;
    for (let d = twin.closest('details'); d && to.contains(d); d = d.parentElement?.closest('details')) d.open = true;
  }
  if (from.dataset.revision !== to.dataset.revision || from.dataset.suggestion !== to.dataset.suggestion) return false;
  for (const box of from.querySelectorAll('.span-box input')) {
    const twin = to.querySelector(`.span-box input[value="${box.value}"]`);
    if (twin && twin.checked !== box.checked) {
      twin.checked = box.checked;
      syncSpanBox(twin);
    }
  }
  return true;
}

/** The copy of `row` the page shows now: another refresh may have replaced it meanwhile. */
export function shownCopy(row) {
  return row.isConnected ? row : document.getElementById(row.id);
}

export async function refreshRow(row) {
  const res = await fetch(`/articles/${encodeURIComponent(articleId)}/rows/${encodeURIComponent(row.dataset.id)}`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`could not reload the paragraph (${res.status})`);
  const holder = document.createElement('div');
  holder.innerHTML = await res.text();
  const fresh = holder.firstElementChild;
  // Refreshes of one row overlap (the MT flags arriving, an action, a colleague's change): replace
  // whichever copy is on the page now, and never with an older revision than it shows.
  const onPage = shownCopy(row);
  if (!onPage) return fresh;
  if (Number(fresh.dataset.revision) < Number(onPage.dataset.revision)) return onPage;
  const same = keepChoices(onPage, fresh);
  const cursor = state.spanCursor;
  onPage.replaceWith(fresh);
  if (state.current === onPage || state.current === row) {
    state.current = null;
    select(fresh, false);
    if (same && cursor >= 0) markSpan(fresh, cursor);
  }
  for (const fn of refreshed) fn(fresh);
  return fresh;
}

export function reloadAt(id) {
  location.hash = id;
  location.reload();
}

/**
 * Runs `change` (presence badges, grammar flags arriving) keeping the selected row where it was on the screen.
 * A page at its very top stays there, as the browser's own scroll anchoring does: one just opened keeps its
 * title and toolbar in view when something (the "Also on this article" bar) appears above the rows.
 */
export function keepingPlace(change) {
  const anchor = state.current;
  const before = anchor?.getBoundingClientRect().top;
  const atTop = window.scrollY === 0;
  change();
  if (!atTop) restorePlace(anchor, before);
}

/** Scrolls so that `el`'s top is back at `before` (its viewport top earlier), if it is still on the page. */
export function restorePlace(el, before) {
  if (el?.isConnected && before !== undefined) window.scrollBy(0, el.getBoundingClientRect().top - before);
}

/** Seconds since the editor selected the row (time-to-edit, for the statistics). */
export function seconds() {
  return Math.round((Date.now() - state.focusedAt) / 100) / 10;
}
