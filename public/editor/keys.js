// The editor's keys (listed on the page under "Keyboard ?"). Keys inside a text field stay the field's.
import { articleId, say, state } from './page.js';
import { move, nextUndecided } from './rows.js';
import { accept, act, closeEditor, confirmDelete, decide, openEditor, saveEdit, splitAtCursor, suggest, undo } from './actions.js';
import { markSpan, toggleCurrentSpan } from './spans.js';

/** Keys that act without a selected row; the others select the first row first. */
const ROWLESS = ['j', 'k', 'n', 'u', '?'];

function inTextarea(ev) {
  const r = ev.target.closest('.para');
  if (!r || ev.target.tagName !== 'TEXTAREA') return;
  const mod = ev.ctrlKey || ev.metaKey;
  if (ev.key === 'Enter' && mod && ev.shiftKey) { ev.preventDefault(); void splitAtCursor(r); }
  else if (ev.key === 'Enter' && mod) { ev.preventDefault(); void saveEdit(r); }
  else if (ev.key === 'Escape') { ev.preventDefault(); closeEditor(r); }
}

export function wireKeys({ toggleHelp }) {
  document.addEventListener('keydown', (ev) => {
    if (ev.target.closest('textarea, input, select')) return inTextarea(ev);
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const row = () => state.current;
    const handlers = {
      j: () => move(1),
      k: () => move(-1),
      n: () => nextUndecided(),
      a: () => accept(row()),
      e: () => openEditor(row()),
      r: () => decide(row(), 'reject'),
      c: () => decide(row(), 'keep'),
      s: () => suggest(row()),
      u: () => undo(),
      m: () => act(row(), 'merge', {}, { reload: true }),
      Delete: () => confirmDelete() && act(row(), 'delete', {}, { reload: true }),
      v: () => row()?.querySelector('[data-action="approve"]') ? act(row(), 'approve') : say('Only reviewers approve, and only decided paragraphs not approved yet.', true),
      h: () => row() && (location.href = `/articles/${encodeURIComponent(articleId)}/paragraphs/${encodeURIComponent(row().dataset.id)}/history`),
      ']': () => markSpan(row(), state.spanCursor + 1),
      '[': () => markSpan(row(), state.spanCursor - 1),
      ' ': () => toggleCurrentSpan(row()),
      '?': () => toggleHelp(),
    };
    const handler = handlers[ev.key];
    if (!handler) return;
    if (!state.current && !ROWLESS.includes(ev.key)) move(1);
    ev.preventDefault();
    void handler();
  });
}
