// What every editor module shares: the article, the selected row, the flash line and the API.
export const head = document.querySelector('[data-article]');
export const articleId = head?.dataset.article ?? '';
const flash = document.querySelector('.flash');
const csrf = document.querySelector('meta[name="csrf-token"]')?.content;

/** The selected row, when the editor focused it, and the change the span keys point at. */
export const state = { current: null, focusedAt: Date.now(), spanCursor: -1 };

export const rows = () => [...document.querySelectorAll('.para')];
export const articleApi = () => `/api/articles/${encodeURIComponent(articleId)}`;
export const apiBase = (row) => `${articleApi()}/paragraphs/${encodeURIComponent(row.dataset.id)}`;

let sayTimer;
export function say(message, isError = false) {
  if (!flash) return;
  flash.textContent = message;
  flash.hidden = false;
  flash.classList.toggle('flash-error', isError);
  clearTimeout(sayTimer);
  sayTimer = setTimeout(() => { flash.hidden = true; }, isError ? 8000 : 3000);
}

/** JSON to and from the API; a non-2xx answer throws an Error with `status` and the body as `data`. */
export async function request(url, body, method = 'POST') {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  let data = null;
  try { data = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) {
    const message = typeof data?.error === 'string' ? data.error : data?.error?.message;
    const err = new Error(message || `the server answered ${res.status}`);
    err.status = res.status;
    err.data = data;
    throw err;
  }
  return data;
}

const levelSelect = document.getElementById('level');
if (levelSelect) {
  levelSelect.value = localStorage.getItem('postedit.level') || 'minimal';
  levelSelect.addEventListener('change', () => localStorage.setItem('postedit.level', levelSelect.value));
}
/** The edit level the editor chose (remembered across pages). */
export const level = () => levelSelect?.value || 'minimal';
