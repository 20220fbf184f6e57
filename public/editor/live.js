// The live desk: other people's changes arrive as they are committed (Server-Sent Events) and replace
// their rows in place, without moving this editor's focus or scroll; who is where shows on the rows.
// Without it (or without JavaScript) the page works as before: changes show on reload.
import { articleApi, head, request, rows, say, state } from './page.js';
import { keepingPlace, onSelect, refreshRow, restorePlace } from './rows.js';
import { diffNodes } from './conflict.js';
import { act, onActionSettled } from './actions.js';

const me = head?.dataset.me ?? '';
/** Actions that add or remove rows: the page offers a reload instead of guessing the new order. */
const STRUCTURAL = new Set(['split', 'split-off', 'merge', 'merged-away', 'delete']);
const VERB = { split: 'split', 'split-off': 'split', merge: 'merged', 'merged-away': 'merged', delete: 'deleted', undo: 'undid an action on', revert: 'reverted' };
const LABEL = { edit: 'edited', accept: 'accepted a suggestion on', 'accept-partial': 'accepted part of a suggestion on', reject: 'rejected the suggestion on', keep: 'kept', suggest: 'got a suggestion for', approve: 'approved', 'send-back': 'sent back', submit: 'sent for review', reopen: 'reopened' };
let presence = [];
/** Rows busy with this page's own action when a newer change of theirs arrived: the revision to catch up to. */
const behind = new Map();

/** Once the row's own action has settled, it catches up with what arrived meanwhile (unless a conflict box waits for the editor). */
async function catchUp(row) {
  const want = behind.get(row.id);
  if (want === undefined) return;
  behind.delete(row.id);
  if (Number(row.dataset.revision) >= want || row.querySelector('.row-error.conflict:not([hidden])') || typing(row)) return;
  await replaceInPlace(row);
}

/** HH:MM in the reader's own time zone. */
const time = (at) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const editorOpen = (row) => row.querySelector('details.editor[open]');
const typing = (row) => {
  const ta = editorOpen(row)?.querySelector('textarea');
  return ta && ta.value !== ta.defaultValue ? ta : null;
};

/**
 * Replaces a row keeping what the editor looks at where it was on the screen; `decorate` (the
 * "changed by" badge) runs before the scroll is corrected, since it can make the row taller.
 */
async function replaceInPlace(row, decorate = () => {}) {
  const anchor = state.current && state.current !== row ? state.current : row;
  const before = anchor.getBoundingClientRect().top;
  const atTop = window.scrollY === 0;
  const focusedElsewhere = document.activeElement && !row.contains(document.activeElement) ? document.activeElement : null;
  const fresh = await refreshRow(row);
  decorate(fresh);
  // A row gone from the page meanwhile (a reload, a merge) has no place to keep; a page at its top stays there (keepingPlace).
  if (!atTop) restorePlace(anchor === row ? fresh : anchor, before);
  if (focusedElsewhere?.isConnected) focusedElsewhere.focus({ preventScroll: true });
  return fresh;
}

function mark(fresh, e) {
  fresh.classList.add('live-changed');
  const tag = document.createElement('span');
  tag.className = 'badge live-by';
  tag.textContent = `${e.actor} · ${time(e.at)}`;
  tag.title = `${e.actor} ${LABEL[e.action] ?? e.action} this paragraph at ${time(e.at)}`;
  fresh.querySelector('.meta')?.append(tag);
  setTimeout(() => fresh.classList.remove('live-changed'), 2500);
  showPresenceOn(fresh);
}

/** Someone changed the row this editor is typing in: their change, and the choice, without closing the editor. */
async function notice(row, e, ta) {
  const box = row.querySelector('.row-error');
  if (!box) return;
  let change = null;
  try {
    change = await request(`${articleApi()}/paragraphs/${encodeURIComponent(row.dataset.id)}/compare?a=${row.dataset.revision}&b=${e.revisions[row.dataset.id]}`, undefined, 'GET');
  } catch { /* the choice works without the diff */ }
  box.hidden = false;
  box.classList.add('conflict');
  box.replaceChildren();
  const intro = document.createElement('p');
  intro.textContent = `${e.actor} ${LABEL[e.action] ?? e.action} this paragraph at ${time(e.at)} while you were editing it. Their change:`;
  const theirs = document.createElement('p');
  theirs.className = 'text diff';
  if (change?.diff) theirs.append(...diffNodes(change.diff));
  const mine = document.createElement('button');
  mine.type = 'button';
  mine.className = 'primary';
  mine.textContent = 'Keep mine on top';
  mine.title = 'Save your text as a new revision after theirs (theirs stays in the history)';
  mine.addEventListener('click', () => {
    row.dataset.revision = String(e.revisions[row.dataset.id]);
    void act(row, 'edit', { text: ta.value });
  });
  const take = document.createElement('button');
  take.type = 'button';
  take.textContent = 'Take theirs';
  take.addEventListener('click', () => void replaceInPlace(row));
  const hint = document.createElement('span');
  hint.className = 'sub';
  hint.textContent = ' or merge by hand in your editor, then Keep mine on top.';
  box.append(intro, theirs, mine, take, hint);
  say(`${e.actor} changed ¶${Number(row.dataset.index) + 1} while you were editing it.`, true);
}

function banner(text) {
  const b = document.querySelector('.live-banner');
  if (!b) return;
  b.querySelector('.what').textContent = text;
  b.hidden = false;
}

let countsTimer;
/** The progress line and the filter counts follow the others' decisions (debounced). */
function refreshCounts() {
  clearTimeout(countsTimer);
  countsTimer = setTimeout(async () => {
    try {
      const list = await request('/api/articles', undefined, 'GET');
      const mine = list.find((a) => a.id === head.dataset.article);
      if (!mine) return;
      const c = mine.counts;
      const live = Object.entries(c).filter(([s]) => s !== 'deleted').reduce((n, [, v]) => n + v, 0);
      const done = (c.accepted ?? 0) + (c.edited ?? 0) + (c.rejected ?? 0) + (c.kept ?? 0);
      const bar = document.querySelector('.progress-line progress');
      if (bar) { bar.max = live; bar.value = done; }
      const label = document.querySelector('.progress-line span');
      if (label) label.textContent = `${done} / ${live} decided`;
      for (const a of document.querySelectorAll('.filters a[href*="status="]')) {
        const s = new URL(a.href).searchParams.get('status');
        const n = a.querySelector('.count');
        if (n && s in c) n.textContent = String(c[s]);
      }
    } catch { /* counts catch up on the next change or a reload */ }
  }, 600);
}

async function onChange(e) {
  if (STRUCTURAL.has(e.action) || e.paragraphIds.some((id) => !document.getElementById(id))) {
    if (e.actor !== me) banner(`${e.actor} ${VERB[e.action] ?? e.action} ¶${e.paragraphIds.map((id) => id.slice(1)).join(', ¶')} at ${time(e.at)}: paragraphs were added or removed.`);
    refreshCounts();
    return;
  }
  for (const id of e.paragraphIds) {
    const row = document.getElementById(id);
    if (!row || Number(row.dataset.revision) >= e.revisions[id]) continue;
    const ta = typing(row);
    if (ta && e.actor !== me) { void notice(row, e, ta); continue; }
    if (row.classList.contains('busy')) {
      // This page's own request refreshes the row, but its answer may be older than this change.
      behind.set(id, Math.max(behind.get(id) ?? 0, e.revisions[id]));
      continue;
    }
    await replaceInPlace(row, (fresh) => { if (e.actor !== me) mark(fresh, e); });
  }
  refreshCounts();
}

/** A batch run working on this article: its progress (its suggestions arrive as change events). */
function onRun(run) {
  const line = document.querySelector('.run-progress');
  if (!line) return;
  const c = run.counts;
  const running = run.status === 'running' || run.status === 'queued';
  line.hidden = false;
  line.textContent = `Batch run ${run.runId}: ${c.done + c.failed + c.skipped} / ${c.total} paragraphs${c.skipped ? ` (${c.skipped} decided left alone)` : ''}${c.failed ? `, ${c.failed} failed` : ''}${running ? '…' : ` — ${run.status}`}`;
  if (!running) setTimeout(() => { line.hidden = true; }, 10_000);
}

function showPresenceOn(row) {
  row.querySelectorAll('.presence-tag').forEach((t) => t.remove());
  for (const u of presence) {
    if (u.username === me || u.paragraphId !== row.id) continue;
    const tag = document.createElement('span');
    tag.className = `badge presence-tag${u.editing ? ' editing' : ''}`;
    tag.textContent = u.editing ? `${u.username} is editing` : `${u.username} is here`;
    row.querySelector('.meta')?.append(tag);
  }
}

function onPresence(users) {
  keepingPlace(() => showPresence(users));
}

function showPresence(users) {
  presence = users;
  const others = users.filter((u) => u.username !== me);
  const bar = document.querySelector('.presence-bar');
  if (bar) {
    bar.hidden = others.length === 0;
    bar.textContent = others.length
      ? `Also on this article: ${others.map((u) => `${u.username}${u.paragraphId ? ` (¶${u.paragraphId.slice(1)}${u.editing ? ', editing' : ''})` : ''}`).join(', ')}`
      : '';
  }
  for (const row of rows()) showPresenceOn(row);
}

let last = { paragraphId: '', editing: false };
let presenceTimer;
function tellWhere(force = false) {
  const row = state.current;
  const now = { paragraphId: row?.id ?? '', editing: !!(row && editorOpen(row)) };
  if (!force && now.paragraphId === last.paragraphId && now.editing === last.editing) return;
  last = now;
  clearTimeout(presenceTimer);
  presenceTimer = setTimeout(() => {
    void request(`${articleApi()}/presence`, { ...(now.paragraphId ? { paragraphId: now.paragraphId } : {}), editing: now.editing }).catch(() => undefined);
  }, 150);
}

/** Opening the editor on a row someone else is editing says so first (a soft lock). */
function warnIfTaken(row) {
  const other = presence.find((u) => u.username !== me && u.paragraphId === row.id && u.editing);
  if (other) say(`${other.username} is editing this paragraph too: your save will show their change first.`, true);
}

export function startLiveDesk() {
  if (!head || typeof EventSource === 'undefined') return;
  // From the moment the page was rendered: nothing committed while it loaded is missed.
  const from = head.dataset.eventsFrom;
  const source = new EventSource(`${articleApi()}/events${from ? `?lastEventId=${encodeURIComponent(from)}` : ''}`);
  source.addEventListener('change', (m) => void onChange(JSON.parse(m.data)));
  source.addEventListener('presence', (m) => onPresence(JSON.parse(m.data).users));
  source.addEventListener('run', (m) => onRun(JSON.parse(m.data)));
  source.addEventListener('reset', () => banner('Some changes of the others could not be shown.'));
  document.querySelector('.live-reload')?.addEventListener('click', () => location.reload());
  onSelect(() => tellWhere());
  onActionSettled((row) => void catchUp(row));
  document.addEventListener('toggle', (ev) => {
    if (!ev.target.matches?.('details.editor')) return;
    if (ev.target.open) warnIfTaken(ev.target.closest('.para'));
    tellWhere();
  }, true);
  setInterval(() => tellWhere(true), 8000);
  tellWhere(true);
  window.addEventListener('pagehide', () => source.close());
}
