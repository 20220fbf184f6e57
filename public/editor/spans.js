// The changes of an open suggestion: [ and ] move between them, Space or a click takes or leaves one.
import { state } from './page.js';

export function spanEls(row) { return [...(row?.querySelectorAll('.diff[data-kind="suggestion"] .chg') ?? [])]; }

export function markSpan(row, i) {
  const els = spanEls(row);
  els.forEach((el) => el.classList.remove('span-focus'));
  if (!els.length) return;
  state.spanCursor = (i + els.length) % els.length;
  els[state.spanCursor].classList.add('span-focus');
  els[state.spanCursor].scrollIntoView({ block: 'nearest' });
}

export function toggleSpan(row, i) {
  const box = row.querySelector(`.span-box input[value="${i}"]`);
  const el = spanEls(row)[i];
  if (!box || !el) return;
  box.checked = !box.checked;
  el.classList.toggle('left-out', !box.checked);
  el.setAttribute('aria-pressed', String(box.checked));
}

/** Space: the selected change, or the first one when none is selected yet. */
export function toggleCurrentSpan(row) {
  if (!spanEls(row).length) return;
  if (state.spanCursor < 0) markSpan(row, 0);
  toggleSpan(row, state.spanCursor);
}

export function chosenSpans(row) {
  return [...row.querySelectorAll('.span-box input')].filter((i) => i.checked).map((i) => Number(i.value));
}

/** A ticked or unticked box (plain form controls) shows on its change in the diff. */
export function syncSpanBox(box) {
  const row = box.closest('.para');
  const el = spanEls(row)[Number(box.value)];
  el?.classList.toggle('left-out', !box.checked);
  if (el?.hasAttribute('aria-pressed')) el.setAttribute('aria-pressed', String(box.checked));
}
