// MT flags on the editor page: the source toggle, a flag lighting up its counterpart in the source,
// flags computed after the page was served, and the LLM check. Without it the marks and lists still show.
(() => {
  'use strict';
  const head = document.querySelector('[data-article]');
  const list = document.querySelector('.paragraphs');
  if (!head || !list) return;
  const articleId = head.dataset.article;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content;
  const flash = document.querySelector('.flash');
  const say = (message, isError = false) => {
    if (!flash) return;
    flash.textContent = message;
    flash.hidden = false;
    flash.classList.toggle('flash-error', isError);
  };

  // The source beside the MT: on by default, the editor's choice remembered.
  const toggle = document.querySelector('.source-toggle');
  function showSource(on) {
    list.classList.toggle('with-source', on);
    toggle?.setAttribute('aria-pressed', String(on));
    const state = toggle?.querySelector('.sub');
    if (state) state.textContent = on ? 'shown' : 'hidden';
  }
  if (toggle) {
    showSource(localStorage.getItem('postedit.source') !== 'hidden');
    toggle.addEventListener('click', () => {
      const on = !list.classList.contains('with-source');
      localStorage.setItem('postedit.source', on ? 'shown' : 'hidden');
      showSource(on);
    });
  }

  // Focusing or pointing at a flag lights up what the source says there.
  const ids = (el) => (el.dataset.flags ?? el.dataset.flag ?? '').split(' ').filter(Boolean);
  function light(el, on) {
    const row = el.closest('.para');
    if (!row) return;
    const wanted = new Set(ids(el));
    for (const s of row.querySelectorAll('.srcflag, .mtflags li, mark.mtflag')) {
      if (s === el) continue;
      s.classList.toggle('lit', on && ids(s).some((i) => wanted.has(i)));
    }
  }
  const flagOf = (t) => t.closest?.('mark.mtflag, .mtflags li');
  list.addEventListener('focusin', (ev) => { const f = flagOf(ev.target); if (f) light(f, true); });
  list.addEventListener('focusout', (ev) => { const f = flagOf(ev.target); if (f) light(f, false); });
  list.addEventListener('mouseover', (ev) => { const f = flagOf(ev.target); if (f) light(f, true); });
  list.addEventListener('mouseout', (ev) => { const f = flagOf(ev.target); if (f) light(f, false); });
  // A line of the flag list takes the focus to its mark in the MT.
  list.addEventListener('click', (ev) => {
    const li = ev.target.closest?.('.mtflags li');
    if (!li) return;
    const mark = [...li.closest('.para').querySelectorAll('mark.mtflag')].find((m) => ids(m).includes(li.dataset.flag));
    mark?.focus();
  });

  async function getJson(url, init = {}) {
    const headers = { accept: 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) };
    const res = await fetch(url, { credentials: 'same-origin', ...init, headers });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new Error(data?.error || `the server answered ${res.status}`);
    return data;
  }

  // Flags still being computed when the page was served: fetch them, then the rows that changed.
  async function fillPending() {
    const pending = [...list.querySelectorAll('.badge.risk-pending')].map((b) => b.closest('.para')).filter(Boolean);
    if (!pending.length) return;
    try {
      await getJson(`/api/articles/${encodeURIComponent(articleId)}/mt-flags?budget=20000`);
    } catch { return; }
    if (pending.length > 40) {
      say('The MT checks are ready: reload the page to see them.');
      return;
    }
    for (const row of pending) {
      // Never under an editor's hands: a row being edited keeps its state.
      if (!row.isConnected || row.querySelector('details.editor[open]') || row.classList.contains('busy')) continue;
      try {
        if (window.postedit?.refreshRow) { await window.postedit.refreshRow(row); continue; }
        const res = await fetch(`/articles/${encodeURIComponent(articleId)}/rows/${encodeURIComponent(row.dataset.id)}`, { credentials: 'same-origin' });
        if (!res.ok) continue;
        const holder = document.createElement('div');
        holder.innerHTML = await res.text();
        if (holder.firstElementChild && row.isConnected) row.replaceWith(holder.firstElementChild);
      } catch { /* the row stays as it was; a reload shows the flags */ }
    }
    const note = document.querySelector('.mt-pending');
    if (note) note.hidden = true;
  }
  void fillPending();

  const llm = document.querySelector('.llm-check');
  if (llm) {
    llm.hidden = false;
    llm.addEventListener('click', async () => {
      llm.disabled = true;
      say('Asking the LLM to check every paragraph’s MT…');
      try {
        const r = await getJson(`/api/articles/${encodeURIComponent(articleId)}/mt-flags/llm`, { method: 'POST' });
        say(`LLM check done: ${r.annotated} paragraph${r.annotated === 1 ? '' : 's'} annotated${r.failed ? `, ${r.failed} failed` : ''}. Reloading…`);
        location.reload();
      } catch (e) {
        say(`LLM check failed: ${e.message}`, true);
        llm.disabled = false;
      }
    });
  }
})();
