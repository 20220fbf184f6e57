// The run page follows a running run by polling its JSON; when the run ends the page reloads once
// to show the final failures and figures. Without this script the page is still right on reload.
(() => {
  'use strict';
  const head = document.querySelector('[data-run]');
  if (!head) return;
  const id = head.dataset.run;
  const field = (name) => head.querySelector(`[data-field="${name}"]`);
  const ENDED = new Set(['stopped', 'finished', 'failed']);
  if (ENDED.has(head.dataset.status)) return;

  async function poll() {
    let state;
    try {
      const res = await fetch(`/api/runs/${encodeURIComponent(id)}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) throw new Error(String(res.status));
      state = await res.json();
    } catch {
      setTimeout(poll, 3000);
      return;
    }
    const run = state.run;
    const c = run.counts;
    const finished = c.done + c.failed + c.skipped;
    const progress = field('progress');
    if (progress) {
      progress.max = c.total;
      progress.value = finished;
    }
    const counts = field('counts');
    if (counts) counts.textContent = `${c.done} done · ${c.failed} failed · ${c.skipped} skipped of ${c.total}`;
    const tokens = field('tokens');
    if (tokens) {
      const cost = typeof run.estimatedCost === 'number' ? ` · estimated cost $${run.estimatedCost.toFixed(4)}` : '';
      tokens.textContent = `tokens: ${run.tokens.prompt} prompt + ${run.tokens.completion} completion${cost}`;
    }
    const status = field('status');
    if (status) status.textContent = run.status;
    if (ENDED.has(run.status)) {
      location.reload();
      return;
    }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();
