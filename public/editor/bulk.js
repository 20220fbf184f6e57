// Whole-article actions: suggest all undecided paragraphs (with progress) and keep many as they are.
import { articleApi, level, request, say } from './page.js';

export function wireBulkActions() {
  document.querySelector('[data-bulk="suggest-all"]')?.closest('form')?.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = ev.target.querySelector('button');
    button.disabled = true;
    const url = `${articleApi()}/suggest-all`;
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
}
