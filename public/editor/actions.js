// Paragraph actions through the API: each answers with the row re-rendered in place.
import { apiBase, articleApi, level, request, say } from './page.js';
import { move, refreshRow, reloadAt, seconds, shownCopy } from './rows.js';
import { showConflict, showRowError } from './conflict.js';
import { chosenSpans } from './spans.js';
import { prepareGrammar } from './grammar.js';

const DONE = { suggest: 'Suggestion ready', keep: 'Kept as is', 'send-back': 'Sent back', submit: 'Sent for review', comment: 'Comment added', reopen: 'Reopened', approve: 'Approved', split: 'Split', merge: 'Merged', delete: 'Deleted', edit: 'Saved' };

/** The field each note-carrying action sends, by its id prefix (views/partials/commentForm.ejs, sendBackField.ejs). */
const NOTE_FIELD = { comment: 'c-', 'send-back': 'sb-' };

const settled = [];
/** Called with the row (the copy the page shows) once an action on it has finished, done or refused. */
export function onActionSettled(fn) { settled.push(fn); }

/** Runs an action on the row's revision; a stale revision opens the conflict box (retry = mine on top). */
export async function act(row, action, extra = {}, { reload = false } = {}) {
  if (!row) return;
  // One action at a time per paragraph: a key pressed meanwhile says why nothing happens.
  if (row.classList.contains('busy')) return say(`${row.querySelector('.num')?.textContent ?? 'This paragraph'} is still being saved: wait for its answer, then try again.`);
  const run = async (baseRevision) => {
    row.classList.add('busy');
    try {
      await request(`${apiBase(row)}/${action}`, { baseRevision, seconds: seconds(), ...extra });
      if (reload) return reloadAt(row.id);
      // The note just sent is not carried over into the refreshed row (rows.js keeps unsent ones).
      const sent = NOTE_FIELD[action] && (shownCopy(row) ?? row).querySelector(`#${NOTE_FIELD[action]}${CSS.escape(row.dataset.id)}`);
      if (sent) sent.value = '';
      const fresh = await refreshRow(row);
      const done = DONE[action] ?? `${action[0].toUpperCase()}${action.slice(1)}ed`;
      say(`${done} · ${fresh.querySelector('.num')?.textContent ?? ''}`);
      return fresh;
    } catch (err) {
      const shown = shownCopy(row) ?? row;
      if (err.status === 409 && err.data?.code === 'stale_revision') showConflict(shown, err, action === 'suggest' ? null : run, baseRevision);
      else showRowError(shown, err.message);
    } finally {
      row.classList.remove('busy');
      const shown = shownCopy(row);
      if (shown) for (const fn of settled) fn(shown);
    }
  };
  return run(Number(row.dataset.revision));
}

/** "Suggest again" forces a fresh suggestion; the first one may come from the cache. */
export function suggest(row) {
  if (!row) return;
  if (row.dataset.locked) return say(`${row.dataset.locked}: a reviewer must reopen it before it gets a suggestion.`, true);
  const again = row.querySelector('[data-action="suggest"]')?.textContent.includes('again');
  prepareGrammar(row);
  return act(row, 'suggest', { level: level(), ...(again ? { force: true } : {}) });
}

export async function accept(row) {
  if (!row?.dataset.suggestion) {
    // A suggestion identical to the text is not offered (the row's note says so): keeping the text is the decision.
    if (row?.classList.contains('status-suggested')) return say('The suggestion changes nothing here: press c to keep the paragraph as it is.', true);
    return say('No open suggestion on this paragraph: press s to ask for one.', true);
  }
  const warnings = Number(row.dataset.warnings || 0);
  if (warnings) {
    const list = [...row.querySelectorAll('.finding-warning')].map((li) => `• ${li.textContent.trim()}`).join('\n');
    if (!confirm(`The fact guard flagged this suggestion (${warnings}):\n${list}\n\nAccept it anyway?`)) return;
  }
  const spans = Number(row.dataset.spans || 0);
  const extra = { suggestionId: row.dataset.suggestion, ...(warnings ? { confirmWarnings: true } : {}) };
  if (spans > 1) {
    const chosen = chosenSpans(row);
    if (chosen.length < spans) extra.spans = chosen;
  }
  if (await act(row, 'accept', extra)) move(1);
}

/** Reject and keep move on to the next row, as accept does. */
export async function decide(row, action) {
  if (!row) return;
  if (row.dataset.locked) return say(`${row.dataset.locked}.`, true);
  if (action === 'reject' && !row.dataset.suggestion) return say('No open suggestion to reject here.', true);
  if (action === 'keep' && !row.querySelector('[data-action="keep"]')) return say('Only a pending, suggested or rejected paragraph can be kept as is.', true);
  if (await act(row, action)) move(1);
}

const editor = (row) => row?.querySelector('details.editor');

export function openEditor(row) {
  const d = editor(row);
  if (!d) return;
  d.open = true;
  const ta = d.querySelector('textarea');
  ta.focus();
  ta.setSelectionRange(ta.value.length, ta.value.length);
}

export function closeEditor(row) {
  const d = editor(row);
  if (!d) return;
  const ta = d.querySelector('textarea');
  ta.value = ta.defaultValue;
  d.open = false;
  row.focus({ preventScroll: true });
}

export async function saveEdit(row) {
  const ta = editor(row)?.querySelector('textarea');
  if (!ta) return;
  if (await act(row, 'edit', { text: ta.value })) move(1);
}

export async function splitAtCursor(row) {
  const ta = editor(row)?.querySelector('textarea');
  if (!ta) return;
  if (ta.value !== ta.dataset.current) return say('Save your edit first, then split: the split applies to the saved text.', true);
  await act(row, 'split', { at: ta.selectionStart }, { reload: true });
}

export async function undo() {
  try {
    const r = await request(`${articleApi()}/undo`, {});
    say(`Undid your ${r.undone}`);
    reloadAt(r.paragraphs[0]?.id ?? '');
  } catch (err) {
    say(err.message, true);
  }
}

const confirmDelete = () => confirm('Delete this paragraph? Undo or its history bring it back.');

/** A row button's action (clicks and the keys share it). */
export function runButton(row, action, btn) {
  if (action === 'accept') return accept(row);
  if (action === 'suggest') return suggest(row);
  if (action === 'reject' || action === 'keep') return decide(row, action);
  if (action === 'delete') return confirmDelete() && act(row, 'delete', {}, { reload: true });
  if (action === 'send-back' || action === 'comment') {
    const text = btn?.closest('form')?.querySelector('textarea')?.value.trim() ?? '';
    if (!text) return say(action === 'comment' ? 'Write the comment first.' : 'Say why it goes back: a comment is required.', true);
    return act(row, action, action === 'comment' ? { text } : { comment: text });
  }
  return act(row, action, {}, { reload: action === 'merge' });
}

export { confirmDelete };
