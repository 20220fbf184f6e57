// The editor page's keyboard and in-place actions. Without this script the page's forms still work.
import { head, rows, state } from './page.js';
import { onRowRefreshed, refreshRow, select } from './rows.js';
import { closeEditor, runButton, saveEdit, splitAtCursor, undo } from './actions.js';
import { syncSpanBox, toggleSpan } from './spans.js';
import { loadFlags, wireGrammarPrepare, wireSortButton } from './grammar.js';
import { wireBulkActions } from './bulk.js';
import { wireKeys } from './keys.js';
import { startLiveDesk } from './live.js';

if (head) {
  // With the script, confirmation of flagged suggestions is a dialog; the checkbox is for plain forms.
  document.documentElement.classList.add('js');
  // The MT-flags script refreshes rows whose checks finished after the page was served.
  window.postedit = { ...(window.postedit || {}), refreshRow };
  onRowRefreshed(() => void loadFlags());

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
    if (row !== state.current) select(row, false);
    if (!btn) {
      if (ev.target.closest('.cancel')) { ev.preventDefault(); closeEditor(row); }
      if (ev.target.closest('.split')) { ev.preventDefault(); void splitAtCursor(row); }
      return;
    }
    if (btn.dataset.action === 'edit') return; // the <details> opens itself
    ev.preventDefault();
    void runButton(row, btn.dataset.action, btn);
  });

  document.addEventListener('submit', (ev) => {
    if (!ev.target.classList.contains('edit-form')) return;
    ev.preventDefault();
    void saveEdit(ev.target.closest('.para'));
  });

  document.addEventListener('change', (ev) => {
    const box = ev.target.closest('.span-box input');
    if (box) syncSpanBox(box);
  });

  document.addEventListener('focusin', (ev) => {
    const row = ev.target.closest?.('.para');
    if (row && row !== state.current) select(row, false);
  });

  const help = document.querySelector('.help-toggle');
  const keys = document.getElementById('keys');
  const toggleHelp = () => {
    keys.hidden = !keys.hidden;
    help.setAttribute('aria-expanded', String(!keys.hidden));
  };
  help?.addEventListener('click', toggleHelp);
  wireKeys({ toggleHelp });
  wireSortButton();
  wireGrammarPrepare();
  wireBulkActions();

  // Without a #fragment the page opens at its top: the first row is selected but not scrolled to.
  const start = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  if (start?.classList.contains('para')) select(start, true);
  else if (rows()[0]) select(rows()[0], false, false);
  void loadFlags();
  startLiveDesk();
}
