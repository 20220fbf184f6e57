// Upload of an article file on the article list: drop or choose a file, see its paragraphs, import.
// Posts multipart to /api/articles/upload with the CSRF token in the x-csrf-token header (the app's
// CSRF check runs before multipart bodies are read, so a form field would not be seen).
(() => {
  'use strict';
  const root = document.querySelector('[data-upload]');
  if (!root) return;
  root.hidden = false;

  const MAX_BYTES = 10 * 1024 * 1024;
  const EXTENSIONS = ['.txt', '.md', '.markdown', '.xlf', '.xliff', '.sdlxliff', '.mqxliff', '.docx'];
  const FORMAT_NAMES = { text: 'plain text', markdown: 'Markdown', 'xliff-1.2': 'XLIFF 1.2', 'xliff-2.0': 'XLIFF 2.0', docx: 'Word document' };
  const STATUS_NAMES = { pending: 'pending', accepted: 'accepted', edited: 'edited', rejected: 'rejected' };
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content;

  const $ = (sel) => root.querySelector(sel);
  const zone = $('[data-dropzone]');
  const input = $('[data-file]');
  const chosen = $('[data-chosen]');
  const companions = [...root.querySelectorAll('[data-companion]')];
  const title = $('[data-title]');
  const errorBox = $('[data-error]');
  const previewBox = $('[data-preview]');
  const summary = $('[data-summary]');
  const warnings = $('[data-warnings]');
  const list = $('[data-list]');
  const more = $('[data-more]');
  const importButton = $('[data-import]');
  const clearButton = $('[data-clear]');
  const busy = $('[data-busy]');

  let file = null;
  let generation = 0;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function size(bytes) {
    if (bytes < 1024) return `${bytes} bytes`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function reset(keepFile = false) {
    generation++;
    if (!keepFile) {
      file = null;
      input.value = '';
      chosen.textContent = 'No file chosen.';
    }
    previewBox.hidden = true;
    importButton.textContent = 'Import';
    list.replaceChildren();
    warnings.replaceChildren();
    warnings.hidden = true;
    importButton.disabled = true;
    clearButton.hidden = !file;
    busy.textContent = '';
    showError('');
  }

  function formData(preview) {
    const data = new FormData();
    data.append('file', file, file.name);
    for (const c of companions) if (c.files && c.files[0]) data.append(c.name, c.files[0], c.files[0].name);
    if (title.value.trim()) data.append('title', title.value.trim());
    if (preview) data.append('preview', '1');
    return data;
  }

  async function post(preview) {
    const res = await fetch(`/api/articles/upload${preview ? '?preview=1' : ''}`, {
      method: 'POST',
      body: formData(preview),
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
    });
    let json = null;
    try {
      json = await res.json();
    } catch {
      json = null;
    }
    if (!res.ok) throw new Error(json && json.error ? json.error : `the server answered ${res.status}`);
    return { status: res.status, json };
  }

  function render(p) {
    const facts = [`${p.count} paragraph${p.count === 1 ? '' : 's'}`, FORMAT_NAMES[p.format] || p.format];
    if (p.hasSource) facts.push('with source text');
    if (p.hasReference) facts.push('with reference');
    summary.replaceChildren(el('strong', '', p.title), document.createTextNode(` — ${facts.join(' · ')}`));
    if (p.existing) {
      const note = el('span', 'upload-existing', ' This text was imported before: ');
      const link = el('a', '', 'open the existing article');
      link.href = `/articles/${encodeURIComponent(p.existing)}`;
      note.append(link, document.createTextNode('.'));
      summary.append(note);
    }
    importButton.textContent = p.existing ? 'Open the existing article' : 'Import';
    warnings.replaceChildren(...(p.warnings || []).map((w) => el('li', '', w)));
    warnings.hidden = !(p.warnings && p.warnings.length);
    list.replaceChildren(
      ...p.paragraphs.map((para) => {
        const li = el('li', `preview-item kind-${para.kind}`);
        const meta = el('span', 'preview-meta');
        meta.append(el('span', 'tag', para.kind));
        if (para.status && para.status !== 'pending') meta.append(el('span', `badge badge-${para.status}`, STATUS_NAMES[para.status] || para.status));
        if (para.review && para.review !== 'none') meta.append(el('span', 'tag', para.review.replace('-', ' ')));
        const text = el('span', 'preview-text', para.text);
        text.dir = 'auto';
        li.append(meta, text);
        if (para.source) {
          const src = el('span', 'preview-source', para.source);
          src.dir = 'auto';
          li.append(src);
        }
        return li;
      }),
    );
    const hidden = p.count - p.paragraphs.length;
    more.textContent = hidden > 0 ? `… and ${hidden} more paragraph${hidden === 1 ? '' : 's'}.` : '';
    more.hidden = hidden <= 0;
    previewBox.hidden = false;
  }

  async function preview() {
    reset(true);
    if (!file) return;
    const ext = (file.name.match(/\.[^.]+$/) || [''])[0].toLowerCase();
    if (!EXTENSIONS.includes(ext)) {
      showError(`${file.name}: ${ext ? `"${ext}" files are` : 'a file without an extension is'} not supported. Use ${EXTENSIONS.join(', ')}.`);
      return;
    }
    if (file.size > MAX_BYTES) {
      showError(`${file.name}: the file is ${size(file.size)}, more than the 10 MB that can be uploaded.`);
      return;
    }
    const mine = ++generation;
    busy.textContent = 'Reading the file…';
    try {
      const { json } = await post(true);
      if (mine !== generation) return;
      render(json);
      importButton.disabled = false;
      busy.textContent = '';
    } catch (e) {
      if (mine !== generation) return;
      busy.textContent = '';
      showError(e.message);
    }
  }

  function choose(f) {
    file = f || null;
    chosen.textContent = file ? `${file.name} (${size(file.size)})` : 'No file chosen.';
    clearButton.hidden = !file;
    void preview();
  }

  input.addEventListener('change', () => choose(input.files && input.files[0]));
  for (const c of companions) c.addEventListener('change', () => file && void preview());

  zone.addEventListener('dragenter', (e) => {
    e.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', (e) => {
    if (!zone.contains(e.relatedTarget)) zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    const files = e.dataTransfer && e.dataTransfer.files;
    if (!files || !files.length) return;
    if (files.length > 1) showError('Drop one file at a time.');
    choose(files[0]);
  });
  // A file dropped next to the zone must not make the browser leave the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());

  clearButton.addEventListener('click', () => {
    for (const c of companions) c.value = '';
    title.value = '';
    reset();
    clearButton.hidden = true;
  });

  importButton.addEventListener('click', async () => {
    if (!file) return;
    importButton.disabled = true;
    busy.textContent = 'Importing…';
    showError('');
    try {
      const { status, json } = await post(false);
      busy.textContent = status === 201 ? 'Imported. Opening it…' : 'This article was imported before. Opening it…';
      window.location.assign(`/articles/${encodeURIComponent(json.id)}`);
    } catch (e) {
      busy.textContent = '';
      importButton.disabled = false;
      showError(e.message);
    }
  });
})();
