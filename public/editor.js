// The editor page's keyboard and in-place actions. Without this script the page's forms still work.
(() => {
  'use strict';
  const head = document.querySelector('[data-article]');
  if (!head) return;
  // With the script, confirmation of flagged suggestions is a dialog; the checkbox is for plain forms.
  document.documentElement.classList.add('js');
  const articleId = head.dataset.article;
  const flash = document.querySelector('.flash');
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content;
  let current = null;
  let focusedAt = Date.now();
  let spanCursor = -1;

  const levelSelect = document.getElementById('level');
  if (levelSelect) {
    levelSelect.value = localStorage.getItem('postedit.level') || 'minimal';
    levelSelect.addEventListener('change', () => localStorage.setItem('postedit.level', levelSelect.value));
  }
  const level = () => levelSelect?.value || 'minimal';

  const rows = () => [...document.querySelectorAll('.para')];
  const apiBase = (row) => `/api/articles/${encodeURIComponent(articleId)}/paragraphs/${encodeURIComponent(row.dataset.id)}`;

  function say(message, isError = false) {
    if (!flash) return;
    flash.textContent = message;
    flash.hidden = false;
    flash.classList.toggle('flash-error', isError);
    clearTimeout(say.timer);
    say.timer = setTimeout(() => { flash.hidden = true; }, isError ? 8000 : 3000);
  }

  function select(row, scroll = true, remember = true) {
    if (!row) return;
    if (current && current !== row) current.classList.remove('selected');
    current = row;
    spanCursor = -1;
    row.classList.add('selected');
    focusedAt = Date.now();
    if (scroll) row.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    if (!row.contains(document.activeElement)) row.focus({ preventScroll: true });
    if (remember) history.replaceState(null, '', `#${row.id}`);
  }

  /** The next paragraph nobody has decided on (pending or suggested, not locked), wrapping around. */
  function nextUndecided() {
    const all = rows();
    const start = current ? all.indexOf(current) : -1;
    for (let k = 1; k <= all.length; k++) {
      const row = all[(start + k) % all.length];
      if ((row.classList.contains('status-pending') || row.classList.contains('status-suggested')) && !row.dataset.locked) return select(row);
    }
    say('No undecided paragraph left in this view.');
  }

  function move(delta) {
    const all = rows();
    if (!all.length) return;
    const i = current ? all.indexOf(current) : -1;
    select(all[Math.max(0, Math.min(all.length - 1, i + delta))]);
  }

  async function request(url, body, method = 'POST') {
    const headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (csrf) headers['x-csrf-token'] = csrf;
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    let data = null;
    try { data = await res.json(); } catch { /* not JSON */ }
    if (!res.ok) {
      const err = new Error(data?.error || `the server answered ${res.status}`);
      err.status = res.status;
      err.data = data;
      throw err;
    }
    return data;
  }

  async function refreshRow(row) {
    const res = await fetch(`/articles/${encodeURIComponent(articleId)}/rows/${encodeURIComponent(row.dataset.id)}`, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`could not reload the paragraph (${res.status})`);
    const holder = document.createElement('div');
    holder.innerHTML = await res.text();
    const fresh = holder.firstElementChild;
    row.replaceWith(fresh);
    if (current === row) { current = null; select(fresh, false); }
    void loadFlags();
    return fresh;
  }

  // The MT-flags script refreshes rows whose checks finished after the page was served.
  window.postedit = { ...(window.postedit || {}), refreshRow };

  function reloadAt(id) {
    location.hash = id;
    location.reload();
  }

  function seconds() {
    return Math.round((Date.now() - focusedAt) / 100) / 10;
  }

  function showRowError(row, message) {
    const box = row.querySelector('.row-error');
    if (box) { box.textContent = message; box.hidden = false; }
    say(message, true);
  }

  /** Word diff parts ({op: 'equal', text} | {op: 'change', del, ins}) as text with <del>/<ins>. */
  function diffNodes(parts) {
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

  /**
   * A stale revision: show the other person's change (a word diff from what this editor saw, with
   * their name and time), and let them take theirs or keep their own on top as a new revision.
   */
  async function showConflict(row, err, retry) {
    const now = err.data?.current;
    const box = row.querySelector('.row-error');
    if (!box || !now) return showRowError(row, err.message);
    const seen = Number(row.dataset.revision);
    let change = null;
    try {
      change = await request(`${apiBase(row)}/compare?a=${seen}&b=${now.revision}`, undefined, 'GET');
    } catch { /* the diff is a help; the choice works without it */ }
    box.hidden = false;
    box.classList.add('conflict');
    box.replaceChildren();
    const who = now.lastChange ? `${now.lastChange.by} (${now.lastChange.action}, ${now.lastChange.at.replace('T', ' ').slice(0, 16)})` : 'someone else';
    const p = document.createElement('p');
    p.textContent = `Changed by ${who} while you were working on it. Their change:`;
    const theirs = document.createElement('p');
    theirs.className = 'text diff';
    if (change?.diff) theirs.append(...diffNodes(change.diff));
    else theirs.textContent = now.text;
    const take = document.createElement('button');
    take.type = 'button';
    take.textContent = 'Take theirs';
    take.addEventListener('click', () => refreshRow(row).catch((e) => say(e.message, true)));
    box.append(p, theirs, take);
    if (retry) {
      const mine = document.createElement('button');
      mine.type = 'button';
      mine.className = 'primary';
      mine.textContent = 'Keep mine on top';
      mine.title = 'Apply your action to their text, as a new revision (nothing of theirs is lost: it stays in the history)';
      mine.addEventListener('click', () => retry(now.revision));
      box.append(mine);
    }
    say(`This paragraph was changed by ${who}: compare and choose.`, true);
  }

  async function act(row, action, extra = {}, { reload = false } = {}) {
    if (!row || row.classList.contains('busy')) return;
    const run = async (baseRevision) => {
      row.classList.add('busy');
      try {
        const body = { baseRevision, seconds: seconds(), ...extra };
        await request(`${apiBase(row)}/${action}`, body);
        if (reload) return reloadAt(row.id);
        const fresh = await refreshRow(row);
        const done = { suggest: 'Suggestion ready', keep: 'Kept as is', 'send-back': 'Sent back', submit: 'Sent for review', comment: 'Comment added', reopen: 'Reopened', approve: 'Approved', split: 'Split', merge: 'Merged', delete: 'Deleted', edit: 'Saved' }[action] ?? `${action[0].toUpperCase()}${action.slice(1)}ed`;
        say(`${done} · ${fresh.querySelector('.num')?.textContent ?? ''}`);
        return fresh;
      } catch (err) {
        if (err.status === 409 && err.data?.code === 'stale_revision') showConflict(row, err, action === 'suggest' ? null : run);
        else showRowError(row, err.message);
      } finally {
        row.classList.remove('busy');
      }
    };
    return run(Number(row.dataset.revision));
  }

  /** "Suggest again" forces a fresh suggestion; the first one may come from the cache. */
  function suggest(row) {
    if (!row) return;
    if (row.dataset.locked) return say(`${row.dataset.locked}: a reviewer must reopen it before it gets a suggestion.`, true);
    const again = row.querySelector('[data-action="suggest"]')?.textContent.includes('again');
    return act(row, 'suggest', { level: level(), ...(again ? { force: true } : {}) });
  }

  function chosenSpans(row) {
    return [...row.querySelectorAll('.span-box input')].filter((i) => i.checked).map((i) => Number(i.value));
  }

  async function accept(row) {
    if (!row?.dataset.suggestion) return say('No open suggestion on this paragraph: press s to ask for one.', true);
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
    const fresh = await act(row, 'accept', extra);
    if (fresh) move(1);
  }

  /** Reject and keep move on to the next row, as accept does. */
  async function decide(row, action) {
    if (!row) return;
    if (row.dataset.locked) return say(`${row.dataset.locked}.`, true);
    if (action === 'reject' && !row.dataset.suggestion) return say('No open suggestion to reject here.', true);
    if (action === 'keep' && !row.querySelector('[data-action="keep"]')) return say('Only a pending, suggested or rejected paragraph can be kept as is.', true);
    const fresh = await act(row, action);
    if (fresh) move(1);
  }

  function editor(row) { return row?.querySelector('details.editor'); }

  function openEditor(row) {
    const d = editor(row);
    if (!d) return;
    d.open = true;
    const ta = d.querySelector('textarea');
    ta.focus();
    ta.setSelectionRange(ta.value.length, ta.value.length);
  }

  function closeEditor(row) {
    const d = editor(row);
    if (!d) return;
    const ta = d.querySelector('textarea');
    ta.value = ta.defaultValue;
    d.open = false;
    row.focus({ preventScroll: true });
  }

  async function saveEdit(row) {
    const ta = editor(row)?.querySelector('textarea');
    if (!ta) return;
    const fresh = await act(row, 'edit', { text: ta.value });
    if (fresh) move(1);
  }

  async function splitAtCursor(row) {
    const ta = editor(row)?.querySelector('textarea');
    if (!ta) return;
    if (ta.value !== ta.dataset.current) {
      return say('Save your edit first, then split: the split applies to the saved text.', true);
    }
    await act(row, 'split', { at: ta.selectionStart }, { reload: true });
  }

  function spanEls(row) { return [...(row?.querySelectorAll('.diff[data-kind="suggestion"] .chg') ?? [])]; }
  function markSpan(row, i) {
    const els = spanEls(row);
    els.forEach((el) => el.classList.remove('span-focus'));
    if (!els.length) return;
    spanCursor = (i + els.length) % els.length;
    els[spanCursor].classList.add('span-focus');
    els[spanCursor].scrollIntoView({ block: 'nearest' });
  }
  function toggleSpan(row, i) {
    const box = row.querySelector(`.span-box input[value="${i}"]`);
    const el = spanEls(row)[i];
    if (!box || !el) return;
    box.checked = !box.checked;
    el.classList.toggle('left-out', !box.checked);
    el.setAttribute('aria-pressed', String(box.checked));
  }

  async function undo() {
    try {
      const r = await request(`/api/articles/${encodeURIComponent(articleId)}/undo`, {});
      const id = r.paragraphs[0]?.id;
      say(`Undid your ${r.undone}`);
      reloadAt(id ?? '');
    } catch (err) {
      say(err.message, true);
    }
  }

  // Clicks: buttons inside rows go through the API; forms stay as fallback.
  document.addEventListener('click', (ev) => {
    const row = ev.target.closest('.para');
    const chg = ev.target.closest('.diff[data-kind="suggestion"] .chg');
    if (row && chg) {
      select(row, false);
      toggleSpan(row, Number(chg.dataset.span));
      return;
    }
    const btn = ev.target.closest('[data-action]');
    if (btn && btn.dataset.action === 'undo') { ev.preventDefault(); return void undo(); }
    if (!row) return;
    if (row !== current) select(row, false);
    if (!btn) {
      if (ev.target.closest('.cancel')) { ev.preventDefault(); closeEditor(row); }
      if (ev.target.closest('.split')) { ev.preventDefault(); void splitAtCursor(row); }
      return;
    }
    const action = btn.dataset.action;
    if (action === 'edit') return; // the <details> opens itself
    ev.preventDefault();
    if (action === 'accept') return void accept(row);
    if (action === 'delete' && !confirm('Delete this paragraph? Undo or its history bring it back.')) return;
    if (action === 'suggest') return void suggest(row);
    if (action === 'reject' || action === 'keep') return void decide(row, action);
    if (action === 'send-back' || action === 'comment') {
      const text = btn.closest('form')?.querySelector('textarea')?.value.trim() ?? '';
      if (!text) return say(action === 'comment' ? 'Write the comment first.' : 'Say why it goes back: a comment is required.', true);
      return void act(row, action, action === 'comment' ? { text } : { comment: text });
    }
    void act(row, action, {}, { reload: action === 'merge' || action === 'delete' });
  });

  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (!form.classList.contains('edit-form')) return;
    ev.preventDefault();
    void saveEdit(form.closest('.para'));
  });

  document.addEventListener('change', (ev) => {
    const box = ev.target.closest('.span-box input');
    if (!box) return;
    const row = box.closest('.para');
    const el = spanEls(row)[Number(box.value)];
    el?.classList.toggle('left-out', !box.checked);
    if (el?.hasAttribute('aria-pressed')) el.setAttribute('aria-pressed', String(box.checked));
  });

  const help = document.querySelector('.help-toggle');
  const keys = document.getElementById('keys');
  function toggleHelp() {
    keys.hidden = !keys.hidden;
    help.setAttribute('aria-expanded', String(!keys.hidden));
  }
  help?.addEventListener('click', toggleHelp);

  document.addEventListener('keydown', (ev) => {
    const inField = ev.target.closest('textarea, input, select');
    const row = current;
    if (inField) {
      const r = ev.target.closest('.para');
      if (!r || ev.target.tagName !== 'TEXTAREA') return;
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey) && ev.shiftKey) { ev.preventDefault(); void splitAtCursor(r); }
      else if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); void saveEdit(r); }
      else if (ev.key === 'Escape') { ev.preventDefault(); closeEditor(r); }
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const handlers = {
      j: () => move(1),
      k: () => move(-1),
      a: () => accept(row),
      e: () => openEditor(row),
      r: () => decide(row, 'reject'),
      c: () => decide(row, 'keep'),
      n: () => nextUndecided(),
      s: () => suggest(row),
      u: () => undo(),
      m: () => act(row, 'merge', {}, { reload: true }),
      Delete: () => confirm('Delete this paragraph? Undo or its history bring it back.') && act(row, 'delete', {}, { reload: true }),
      v: () => row?.querySelector('[data-action="approve"]') ? act(row, 'approve') : say('Only reviewers approve, and only paragraphs not approved yet.', true),
      h: () => row && (location.href = `/articles/${encodeURIComponent(articleId)}/paragraphs/${encodeURIComponent(row.dataset.id)}/history`),
      ']': () => markSpan(row, spanCursor + 1),
      '[': () => markSpan(row, spanCursor - 1),
      ' ': () => {
        if (!spanEls(row).length) return;
        if (spanCursor < 0) markSpan(row, 0);
        toggleSpan(row, spanCursor);
      },
      '?': () => toggleHelp(),
    };
    const handler = handlers[ev.key];
    if (!handler) return;
    if (!row && !['j', 'k', 'n', 'u', '?'].includes(ev.key)) { move(1); }
    ev.preventDefault();
    void handler();
  });

  document.addEventListener('focusin', (ev) => {
    const row = ev.target.closest?.('.para');
    if (row && row !== current) select(row, false);
  });

  // Grammar and readability flags arrive after the page, as the server computes them.
  function markGrammar(el, flags) {
    if (el.querySelector('mark')) return; // fact-guard marks take precedence
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
    const list = box.querySelector('ul');
    list.replaceChildren(...f.flags.map((x) => {
      const li = document.createElement('li');
      const snippet = x.end > x.start && current ? ` — “${current.slice(x.start, x.end)}”` : '';
      li.textContent = `${x.kind}: ${x.message}${snippet}`;
      return li;
    }));
    box.hidden = false;
    if (text) markGrammar(text, items);
  }

  let flagsLoading = null;
  function loadFlags() {
    if (flagsLoading) return flagsLoading;
    flagsLoading = (async () => {
      for (let i = 0; i < 30; i++) {
        let data;
        try { data = await request(`/api/articles/${encodeURIComponent(articleId)}/flags`, undefined, 'GET'); } catch { return; }
        data.paragraphs.forEach(showFlags);
        if (!data.pending) return;
      }
    })().finally(() => { flagsLoading = null; });
    return flagsLoading;
  }

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

  const start = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  // Without a #fragment the page opens at its top: the first row is selected but not scrolled to.
  if (start?.classList.contains('para')) select(start, true);
  else if (rows()[0]) select(rows()[0], false, false);

  // Suggest all undecided: start the job, follow its progress, then show the rows.
  document.querySelector('[data-bulk="suggest-all"]')?.closest('form')?.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = ev.target.querySelector('button');
    button.disabled = true;
    const url = `/api/articles/${encodeURIComponent(articleId)}/suggest-all`;
    try {
      let p = await request(url, { level: level(), wait: 500 });
      while (p.status === 'running') {
        say(`Suggesting… ${p.done + p.failed} / ${p.total}`);
        await new Promise((r) => setTimeout(r, 800));
        p = await request(url, undefined, 'GET');
      }
      const failed = p.failed ? `; ${p.failed} failed (${p.error ?? 'engine error'})` : '';
      say(`Suggestions for ${p.done} undecided paragraph${p.done === 1 ? '' : 's'}; ${p.skipped} decided left alone${failed}`, !!p.failed);
      setTimeout(() => location.reload(), p.failed ? 4000 : 1200);
    } catch (err) {
      say(err.message, true);
      button.disabled = false;
    }
  });

  document.querySelector('.keep-all-form')?.addEventListener('submit', (ev) => {
    const n = ev.target.querySelector('[data-bulk="keep-all"]')?.dataset.count;
    if (!confirm(`Keep all ${n} undecided paragraphs shown as they are? They count as decided (u undoes it).`)) ev.preventDefault();
  });
  void loadFlags();
})();
