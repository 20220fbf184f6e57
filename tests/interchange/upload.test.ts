/**
 * Interchange over HTTP against the real app: export in every format, upload with preview and
 * import (multipart via FormData + Blob), the limits and refusals, glossaries.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXliff } from '../../server/interchange/xliff.js';
import { docxToSegments } from '../../server/interchange/docx.js';
import { seedPath, sessionClient, passwordOf, startApp, tokenClient, type RunningApp } from '../support/app.js';
import { hostileText } from './fixtures.js';
import type { Role } from '../../server/core/types.js';
import { LowdbGlossaryStore } from '../../server/store/glossaryStore.js';

let app: RunningApp;
let api: ReturnType<typeof tokenClient>;
let seed: string;

beforeAll(async () => {
  app = await startApp();
  api = tokenClient(app, 'admin');
  seed = await readFile(seedPath, 'utf8');
});
afterAll(async () => app.close(true));

type Part = { name: string; data: string | Buffer; type?: string };

async function postFiles(path: string, parts: Record<string, Part | string>, opts: { role?: Role; headers?: Record<string, string> } = {}) {
  const form = new FormData();
  for (const [field, p] of Object.entries(parts)) {
    if (typeof p === 'string') form.append(field, p);
    else form.append(field, new Blob([typeof p.data === 'string' ? p.data : new Uint8Array(p.data)], { type: p.type ?? 'application/octet-stream' }), p.name);
  }
  const headers = opts.headers ?? { authorization: `Bearer ${app.tokens[opts.role ?? 'admin']}` };
  const res = await fetch(app.url + path, { method: 'POST', body: form, headers: { accept: 'application/json', ...headers } });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

async function download(path: string) {
  const res = await fetch(app.url + path, { headers: { authorization: `Bearer ${app.tokens.admin}` } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', body: Buffer.from(await res.arrayBuffer()) };
}

async function paragraph(id: string, pid: string) {
  return (await api.get(`/api/articles/${id}`)).json.paragraphs.find((p: { id: string }) => p.id === pid);
}

/** Imports the seed and works on it: suggestions accepted and rejected, an edit, a deletion, review states. */
async function workedSeed(): Promise<string> {
  const r = await api.post('/api/articles', { text: seed, filename: 'baoan-smart-wearables.en.txt' });
  const id = r.json.id as string;
  const act = async (pid: string, action: string, body: Record<string, unknown> = {}) => {
    const p = await paragraph(id, pid);
    const res = await api.post(`/api/articles/${id}/paragraphs/${pid}/${action}`, { baseRevision: p.revision, ...body });
    expect(res.status, `${action} ${pid}: ${res.text}`).toBe(200);
    return res.json;
  };
  const s = await act('p4', 'suggest');
  await act('p4', 'accept', { suggestionId: s.suggestion.id });
  await act('p5', 'edit', { text: 'Edited by hand: 5 & <6> “quoted”.' });
  await act('p6', 'suggest');
  await act('p6', 'reject');
  await act('p7', 'suggest');
  await act('p8', 'delete');
  await act('p9', 'edit', { text: 'Approved paragraph.' });
  await act('p9', 'approve');
  await act('p10', 'edit', { text: 'Submitted paragraph.' });
  await act('p10', 'submit');
  return id;
}

describe('export over HTTP', () => {
  let id: string;
  beforeAll(async () => {
    id = await workedSeed();
  });

  it('answers XLIFF 1.2 and 2.0 downloads that round-trip texts and statuses', async () => {
    const article = (await api.get(`/api/articles/${id}`)).json;
    const liveParagraphs = article.paragraphs.filter((p: { status: string }) => p.status !== 'deleted');
    for (const [format, version, file] of [['xliff', '1.2', `${id}.xlf`], ['xliff2', '2.0', `${id}.xliff2.xlf`]] as const) {
      const r = await download(`/api/articles/${id}/export?format=${format}`);
      expect(r.status).toBe(200);
      expect(r.type).toMatch(/xliff\+xml; charset=utf-8/);
      expect(r.disposition).toMatch(new RegExp(`^attachment; filename="?${file.replace(/\./g, '\\.')}"?$`));
      const doc = parseXliff(r.body.toString('utf8'));
      expect(doc.version).toBe(version);
      expect(doc.units.map((u) => [u.id, u.text, u.status, u.review])).toEqual(liveParagraphs.map((p: any) => [p.id, p.text, p.status, p.review ?? 'none']));
    }
  });

  it('passes language tags through and refuses bad ones', async () => {
    const r = await download(`/api/articles/${id}/export?format=xliff2&srcLang=zh&trgLang=en-GB`);
    expect(r.body.toString()).toContain('srcLang="en-GB"'); // no source text: the XLIFF source is the MT, in the target language
    const bad = await api.get(`/api/articles/${id}/export?format=xliff&trgLang=${encodeURIComponent('"><x')}`);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/trgLang must be a language tag/);
  });

  it('answers a DOCX whose paragraphs are the article’s', async () => {
    const r = await download(`/api/articles/${id}/export?format=docx`);
    expect(r.status).toBe(200);
    expect(r.type).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(r.disposition).toMatch(/^attachment; filename="?[\w-]+\.docx"?$/);
    const article = (await api.get(`/api/articles/${id}`)).json;
    const { segments } = await docxToSegments(r.body);
    expect(segments).toEqual(article.paragraphs.filter((p: any) => p.status !== 'deleted').map((p: any) => ({ kind: p.kind, text: p.text })));
  });

  it('answers an HTML page as an attachment, escaped', async () => {
    const r = await download(`/api/articles/${id}/export?format=html`);
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/html; charset=utf-8');
    expect(r.disposition).toMatch(/^attachment; filename="?[\w-]+\.html"?$/);
    expect(r.body.toString()).toContain('Edited by hand: 5 &amp; &lt;6&gt; “quoted”.');
  });

  it('leaves txt/md/json and unknown formats to the existing export', async () => {
    expect((await download(`/api/articles/${id}/export?format=txt`)).type).toContain('text/plain');
    expect((await download(`/api/articles/${id}/export`)).type).toContain('text/plain');
    const unknown = await api.get(`/api/articles/${id}/export?format=pdf`);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatch(/unknown export format "pdf"/);
    expect((await api.get('/api/articles/nope/export?format=docx')).status).toBe(404);
  });

  it('round-trips the worked article through an XLIFF upload: same texts, MT and statuses (suggested comes back pending)', async () => {
    const before = (await api.get(`/api/articles/${id}`)).json;
    const liveBefore = before.paragraphs.filter((p: any) => p.status !== 'deleted');
    const xml12 = (await download(`/api/articles/${id}/export?format=xliff`)).body;
    const xml20 = (await download(`/api/articles/${id}/export?format=xliff2`)).body;
    // The deleted paragraph is not exported, so the MT differs from the stored article's: a new article.
    const r12 = await postFiles('/api/articles/upload', { file: { name: 'from-cat-tool.xlf', data: xml12 } });
    expect(r12.status, r12.text).toBe(201);
    // The 2.0 file carries the same MT: the same article again.
    const r20 = await postFiles('/api/articles/upload', { file: { name: 'from-cat-tool-2.xlf', data: xml20 } });
    expect(r20.status, r20.text).toBe(200);
    expect(r20.json).toMatchObject({ id: r12.json.id, created: false, format: 'xliff-2.0' });
    const after = r12.json;
    expect(after).toMatchObject({ id: 'from-cat-tool', title: before.title, format: 'xliff-1.2', created: true });
    expect(after.paragraphs.map((p: any) => p.text)).toEqual(liveBefore.map((p: any) => p.text));
    expect(after.paragraphs.map((p: any) => p.mt)).toEqual(liveBefore.map((p: any) => p.mt));
    expect(after.paragraphs.map((p: any) => p.kind)).toEqual(liveBefore.map((p: any) => p.kind));
    expect(after.paragraphs.map((p: any) => p.status)).toEqual(liveBefore.map((p: any) => (p.status === 'suggested' ? 'pending' : p.status)));
    expect(after.paragraphs.map((p: any) => p.review ?? 'none')).toEqual(liveBefore.map((p: any) => p.review ?? 'none'));
    expect(after.warnings).toEqual([expect.stringContaining('"suggested" paragraphs come in as pending')]);
    // The history says where the state came from, and the approved paragraph is locked as it was.
    const approved = after.paragraphs.find((p: any) => p.review === 'approved');
    const history = (await api.get(`/api/articles/${after.id}/paragraphs/${approved.id}/history`)).json;
    expect(history.map((h: any) => h.action)).toEqual(['import', 'edit', 'approve']);
    const edit = await api.post(`/api/articles/${after.id}/paragraphs/${approved.id}/edit`, { baseRevision: approved.revision, text: 'x' });
    expect(edit.status).toBe(423);
    // Edited paragraphs get their fact-guard findings again.
    const edited = after.paragraphs.find((p: any) => p.text.startsWith('Edited by hand'));
    expect(edited.status).toBe('edited');
    expect(edited.findings.length).toBeGreaterThan(0);
  });
});

describe('upload over HTTP', () => {
  it('previews a .txt without storing it, then imports it (201, then 200 when already there)', async () => {
    const count = (await api.get('/api/articles')).json.length;
    const text = 'Upload headline here\nThe first paragraph of the uploaded story.\nThe second paragraph, with 3 numbers: 1, 2, 3.\n';
    const preview = await postFiles('/api/articles/upload?preview=1', { file: { name: 'uploaded-story.txt', data: text } });
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({
      preview: true,
      filename: 'uploaded-story.txt',
      format: 'text',
      title: 'Upload headline here',
      count: 3,
      hasSource: false,
      truncated: false,
      paragraphs: [
        { kind: 'heading', text: 'Upload headline here' },
        { kind: 'body', text: 'The first paragraph of the uploaded story.' },
        { kind: 'body', text: 'The second paragraph, with 3 numbers: 1, 2, 3.' },
      ],
    });
    expect(preview.json.plan).toBeUndefined();
    expect((await api.get('/api/articles')).json).toHaveLength(count);

    const created = await postFiles('/api/articles/upload', { file: { name: 'uploaded-story.txt', data: text }, title: 'My upload' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'uploaded-story', title: 'My upload', created: true, format: 'text' });
    const again = await postFiles('/api/articles/upload', { file: { name: 'other-name.txt', data: text } });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: 'uploaded-story', created: false });
  });

  it('accepts multipart on POST /api/articles too; JSON there still works', async () => {
    const r = await postFiles('/api/articles', { file: { name: 'multipart-post.md', data: '# A Markdown headline for you\n\nBody text of it.\n' } });
    expect(r.status).toBe(201);
    expect(r.json.paragraphs.map((p: any) => p.kind)).toEqual(['heading', 'body']);
    const json = await api.post('/api/articles', { text: 'JSON import still works fine\nYes it does.\n' });
    expect(json.status).toBe(201);
  });

  it('imports a .txt with source and reference files aligned', async () => {
    const r = await postFiles('/api/articles/upload', {
      file: { name: 'aligned.en.txt', data: 'Aligned headline here now\nFirst aligned paragraph.\n' },
      source: { name: 'aligned.zh.txt', data: '对齐的标题\n第一个对齐的段落。\n' },
      reference: { name: 'aligned.ref.txt', data: 'Aligned headline, by a human\nThe first aligned paragraph.\n' },
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ hasSource: true, hasReference: true });
    expect(r.json.paragraphs[1].source).toBe('第一个对齐的段落。');
    const misaligned = await postFiles('/api/articles/upload?preview=1', {
      file: { name: 'x.txt', data: 'One headline here\nOne paragraph.\n' },
      source: { name: 'x.zh.txt', data: '只有一段。\n' },
    });
    expect(misaligned.status).toBe(400);
    expect(misaligned.json.error).toMatch(/^x\.zh\.txt: the source text has 1 paragraph but the MT has 2/);
  });

  it('imports a .docx with headings from its styles, and a hostile one unchanged', async () => {
    const id = (await api.post('/api/articles', { text: hostileText, filename: 'hostile-source.txt' })).json.id;
    const docx = (await download(`/api/articles/${id}/export?format=docx`)).body;
    const expected = (await api.get(`/api/articles/${id}`)).json.paragraphs.map((p: any) => ({ kind: p.kind, text: p.text }));
    const preview = await postFiles('/api/articles/upload?preview=1', { file: { name: 'Hostile Story.docx', data: docx } });
    expect(preview.status).toBe(200);
    expect(preview.json.format).toBe('docx');
    expect(preview.json.paragraphs).toEqual(expected);
    // Same paragraphs as the .txt import: the same article.
    const same = await postFiles('/api/articles/upload', { file: { name: 'Hostile Story.docx', data: docx } });
    expect(same.json).toMatchObject({ id, created: false });
    await api.del(`/api/articles/${id}`);
    const created = await postFiles('/api/articles/upload', { file: { name: 'Hostile Story.docx', data: docx } });
    expect(created.status).toBe(201);
    expect(created.json.id).toBe('hostile-story');
    expect(created.json.paragraphs.map((p: any) => ({ kind: p.kind, text: p.text }))).toEqual(expected);
  });

  it('round-trips a hostile article through XLIFF 1.2 and 2.0 uploads, and the preview knows it is already there', async () => {
    const original = (await api.post('/api/articles', { text: hostileText, filename: 'hostile-xliff.txt' })).json;
    for (const format of ['xliff', 'xliff2']) {
      const xml = (await download(`/api/articles/${original.id}/export?format=${format}`)).body;
      const preview = await postFiles('/api/articles/upload?preview=1', { file: { name: 'hostile.xlf', data: xml } });
      expect(preview.status).toBe(200);
      expect(preview.json.existing).toBe(original.id);
      expect(preview.json.paragraphs.map((p: any) => p.text)).toEqual(original.paragraphs.map((p: any) => p.text));
    }
    const xml12 = (await download(`/api/articles/${original.id}/export?format=xliff`)).body;
    const xml20 = (await download(`/api/articles/${original.id}/export?format=xliff2`)).body;
    await api.del(`/api/articles/${original.id}`);
    const r12 = await postFiles('/api/articles/upload', { file: { name: 'hostile.xlf', data: xml12 } });
    expect(r12.status).toBe(201);
    expect(r12.json.paragraphs.map((p: any) => [p.kind, p.text, p.mt, p.status])).toEqual(original.paragraphs.map((p: any) => [p.kind, p.text, p.mt, p.status]));
    const fresh = await postFiles('/api/articles/upload?preview=1', { file: { name: 'new.txt', data: 'A headline nobody has seen\nText.\n' } });
    expect(fresh.json.existing).toBeUndefined();
    const r20 = await postFiles('/api/articles/upload', { file: { name: 'hostile.xlf', data: xml20 } });
    expect(r20.json).toMatchObject({ id: r12.json.id, created: false });
  });

  it('keeps a UTF-8 file name', async () => {
    const r = await postFiles('/api/articles/upload?preview=1', { file: { name: '深圳新闻 «draft».txt', data: 'Headline of the Shenzhen story\nBody.\n' } });
    expect(r.json.filename).toBe('深圳新闻 «draft».txt');
  });

  it('refuses a file over 10 MB with 413 and says so', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 'a');
    const r = await postFiles('/api/articles/upload', { file: { name: 'huge.txt', data: big } });
    expect(r.status).toBe(413);
    expect(r.json.error).toBe('huge.txt: the file is larger than 10 MB, the most that can be uploaded');
  });

  it('refuses broken and unsupported files with 400 naming the file and the problem', async () => {
    const cases: Array<[Part, RegExp]> = [
      [{ name: 'broken.docx', data: 'this is not a zip' }, /^broken\.docx: it is not a \.docx file/],
      [{ name: 'truncated.docx', data: Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000garbage') }, /^truncated\.docx: /],
      [{ name: 'old.doc', data: 'x' }, /^old\.doc: old Word \.doc files are not supported/],
      [{ name: 'broken.xlf', data: '<xliff version="1.2"><file><body><trans-unit id="1"><source>x</target></trans-unit></body></file></xliff>' }, /^broken\.xlf: it is not well-formed XML: .*\(line 1, column \d+\)/],
      [{ name: 'html.xliff', data: '<html><body>no</body></html>' }, /^html\.xliff: it is XML but not XLIFF/],
      [{ name: 'empty-units.xlf', data: '<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en"><file id="f"></file></xliff>' }, /^empty-units\.xlf: the XLIFF has no translation units/],
      [{ name: 'report.pdf', data: '%PDF-1.4' }, /^report\.pdf: "\.pdf" files are not supported as an article: use \.txt, \.md, \.markdown, \.xlf, \.xliff, \.sdlxliff, \.mqxliff, \.docx/],
      [{ name: 'noext', data: 'x' }, /^noext: a file without an extension is not supported/],
      [{ name: 'latin1.txt', data: Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]) }, /^latin1\.txt: it is not valid UTF-8 text/],
      [{ name: 'binary.txt', data: Buffer.from('abc\u0000def') }, /^binary\.txt: the text contains NUL bytes/],
      [{ name: 'empty.txt', data: '' }, /^empty\.txt: the file is empty/],
      [{ name: 'blank.md', data: '\n\u200B\n  \n' }, /^blank\.md: there is no text to import/],
    ];
    for (const [file, message] of cases) {
      for (const path of ['/api/articles/upload?preview=1', '/api/articles/upload']) {
        const r = await postFiles(path, { file });
        expect(r.status, `${file.name}: ${r.text}`).toBe(400);
        expect(r.json.error).toMatch(message);
      }
    }
    const noFile = await postFiles('/api/articles/upload', { title: 'no file' });
    expect(noFile.status).toBe(400);
    expect(noFile.json.error).toMatch(/no file: send the article as the multipart field "file"/);
    const wrongField = await postFiles('/api/articles/upload', { attachment: { name: 'a.txt', data: 'x' } });
    expect(wrongField.status).toBe(400);
    expect(wrongField.json.error).toMatch(/unexpected file field "attachment"/);
    const notMultipart = await api.post('/api/articles/upload', { text: 'x' });
    expect(notMultipart.status).toBe(400);
    expect(notMultipart.json.error).toMatch(/multipart\/form-data/);
  });

  it('lets only roles that may import upload (403 for an editor and a reviewer)', async () => {
    for (const role of ['editor', 'reviewer'] as const) {
      const r = await postFiles('/api/articles/upload?preview=1', { file: { name: 'a.txt', data: 'Headline of it all\nText.\n' } }, { role });
      expect(r.status).toBe(403);
      expect(r.json.error).toMatch(/may not import/);
    }
  });

  it('needs the CSRF token in the x-csrf-token header from a browser session', async () => {
    const s = await sessionClient(app.url, 'admin', passwordOf('admin'));
    const file = { name: 'csrf-check.txt', data: 'Headline for the CSRF check\nText.\n' };
    const without = await postFiles('/api/articles/upload?preview=1', { file, _csrf: s.csrfToken }, { headers: { cookie: s.cookie } });
    expect(without.status).toBe(403);
    expect(without.json.error).toMatch(/CSRF/);
    const withHeader = await postFiles('/api/articles/upload?preview=1', { file }, { headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken } });
    expect(withHeader.status).toBe(200);
  });
});

describe('glossaries over HTTP', () => {
  let id: string;
  beforeAll(async () => {
    id = (await api.post('/api/articles', { text: 'Wisdom can wear makers meet today\nThe wisdom can wear alliance met the Chinese Communist Party.\n', filename: 'glossary-story.txt' })).json.id;
  });

  it('stores a CSV glossary for an article and lists the terms each paragraph holds', async () => {
    const r = await postFiles('/api/glossaries', { file: { name: 'desk.csv', data: 'term,preferred,note\nwisdom can wear,smart wearable,"Literal MT, avoid"\n' }, articleId: id });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ scope: { articleId: id }, count: 1, entries: [{ term: 'wisdom can wear', preferred: 'smart wearable', note: 'Literal MT, avoid' }] });
    const g = await api.get(`/api/articles/${id}/glossary`);
    expect(g.status).toBe(200);
    // The desk glossary (corpus/glossary.json) applies too: "Chinese Communist Party".
    expect(g.json.paragraphs[1].terms.map((t: any) => [t.found, t.matched, t.preferred])).toEqual([
      ['term', 'wisdom can wear', 'smart wearable'],
      ['term', 'Chinese Communist Party', 'Communist Party of China'],
    ]);
    const list = await api.get(`/api/glossaries?articleId=${id}`);
    expect(list.json.entries).toHaveLength(1);
    expect((await app.services.glossaries.list())[0]).toMatchObject({ scope: `article:${id}`, updatedBy: 'admin' });
    // On lowdb kept in DATA_DIR/glossaries.json (on PostgreSQL in the database).
    if (app.services.glossaries instanceof LowdbGlossaryStore) {
      const file = JSON.parse(await readFile(`${app.dataDir}/glossaries.json`, 'utf8'));
      expect(file.glossaries[0]).toMatchObject({ scope: `article:${id}`, updatedBy: 'admin' });
    }
  });

  it('takes TSV and TBX files and JSON bodies for the corpus, merging when asked', async () => {
    const tsv = await postFiles('/api/glossaries', { file: { name: 'corpus.tsv', data: 'term\tpreferred\nsmart wear\tsmart wearable\n' } });
    expect(tsv.status).toBe(201);
    expect(tsv.json.scope).toBe('corpus');
    const tbx = await postFiles('/api/glossaries', {
      file: { name: 'corpus.tbx', data: '<martif type="TBX-Basic"><text><body><termEntry><langSet xml:lang="zh"><tig><term>智能穿戴</term></tig></langSet><langSet xml:lang="en"><tig><term>smart wearable</term></tig></langSet></termEntry></body></text></martif>' },
      mode: 'merge',
    });
    // A termbase goes both ways: zh → en and en → zh, beside the TSV's monolingual entry.
    expect(tbx.json.count).toBe(3);
    expect(tbx.json.languages).toEqual([
      { sourceLang: 'zh', targetLang: 'en', entries: 1, articles: expect.any(Number) },
      { sourceLang: 'en', targetLang: 'zh', entries: 1, articles: 0 },
    ]);
    const json = await api.post('/api/glossaries', { entries: [{ term: 'league', preferred: 'alliance' }], mode: 'merge' });
    expect(json.status).toBe(201);
    expect(json.json.count).toBe(4);
    const text = await api.post('/api/glossaries', { text: 'league,alliance\n', format: 'csv' });
    expect(text.json.count).toBe(1); // replace is the default
    const store = app.services.glossaries;
    expect(await store.get('corpus')).toEqual([{ term: 'league', preferred: 'alliance' }]);
    expect((await api.get('/api/glossaries')).json.corpus).toHaveLength(1);
    expect((await api.del('/api/glossaries')).status).toBe(200);
    expect((await api.del('/api/glossaries')).status).toBe(404);
  });

  it('refuses bad glossary files, unknown articles, and editors', async () => {
    const bad = await postFiles('/api/glossaries', { file: { name: 'bad.csv', data: 'term,preferred\nonly-term,\n' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('bad.csv: line 2: "only-term" has no preferred wording');
    const unknown = await postFiles('/api/glossaries', { file: { name: 'g.pdf', data: 'x' } });
    expect(unknown.json.error).toMatch(/^g\.pdf: the format is not known/);
    const brokenTbx = await postFiles('/api/glossaries', { file: { name: 'g.tbx', data: '<martif><text>' } });
    expect(brokenTbx.status).toBe(400);
    expect(brokenTbx.json.error).toMatch(/^g\.tbx: it is not well-formed XML/);
    const noArticle = await api.post('/api/glossaries', { articleId: 'no-such-article', entries: [{ term: 'a', preferred: 'b' }] });
    expect(noArticle.status).toBe(404);
    const nothing = await api.post('/api/glossaries', {});
    expect(nothing.status).toBe(400);
    const editor = await postFiles('/api/glossaries', { file: { name: 'g.csv', data: 'a,b\n' } }, { role: 'editor' });
    expect(editor.status).toBe(403);
    expect((await tokenClient(app, 'editor').get(`/api/articles/${id}/glossary`)).status).toBe(200);
  });
});
