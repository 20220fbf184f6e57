// A row's errors, and the conflict box: someone else changed the paragraph since it was loaded.
import { apiBase, request, say } from './page.js';
import { refreshRow } from './rows.js';

export function showRowError(row, message) {
  const box = row.querySelector('.row-error');
  if (box) { box.textContent = message; box.hidden = false; }
  say(message, true);
}

/** Word diff parts ({op: 'equal', text} | {op: 'change', del, ins}) as text with <del>/<ins>. */
export function diffNodes(parts) {
  const nodes = [];
  for (const part of parts) {
    if (part.op === 'equal') { nodes.push(document.createTextNode(part.text)); continue; }
    for (const [tag, text] of [['del', part.del], ['ins', part.ins]]) {
      if (!text) continue;
      const el = document.createElement(tag);
      el.textContent = text;
      nodes.push(el);
    }
  }
  return nodes;
}

function button(label, onClick, className = '') {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (className) b.className = className;
  b.addEventListener('click', onClick);
  return b;
}

/**
 * A stale revision: show the other person's change (a word diff from what this editor saw, with
 * their name and time), and let them take theirs or keep their own on top as a new revision. `seen`:
 * the revision the refused action was based on (the row may show a newer one by now).
 */
export async function showConflict(row, err, retry, seen = Number(row.dataset.revision)) {
  const now = err.data?.current;
  const box = row.querySelector('.row-error');
  if (!box || !now) return showRowError(row, err.message);
  let change = null;
  try {
    change = await request(`${apiBase(row)}/compare?a=${seen}&b=${now.revision}`, undefined, 'GET');
  } catch { /* the diff is a help; the choice works without it */ }
  box.hidden = false;
  box.classList.add('conflict');
  box.replaceChildren();
  const last = now.lastChange;
  const who = last ? `${last.by} (${last.action}, ${last.at.replace('T', ' ').slice(0, 16)})` : 'someone else';
  const intro = document.createElement('p');
  intro.textContent = `Changed by ${who} while you were working on it. Their change:`;
  const theirs = document.createElement('p');
  theirs.className = 'text diff';
  if (change?.diff) theirs.append(...diffNodes(change.diff));
  else theirs.textContent = now.text;
  box.append(intro, theirs, button('Take theirs', () => refreshRow(row).catch((e) => say(e.message, true))));
  if (retry) {
    const mine = button('Keep mine on top', () => retry(now.revision), 'primary');
    mine.title = 'Apply your action to their text, as a new revision (nothing of theirs is lost: it stays in the history)';
    box.append(mine);
  }
  say(`This paragraph was changed by ${who}: compare and choose.`, true);
}
