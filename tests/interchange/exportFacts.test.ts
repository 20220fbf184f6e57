/**
 * Exports say what is undecided, and declare the article's real languages (issue 16, item 8):
 * every export and the review report state how many paragraphs are still pending or suggested
 * (kept ones are decided); the XLIFF export declares the source language of the source text it
 * carries (zh for the WMT corpus), not the MT's.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { importLanguages, langFromFileName, langFromScript, undecidedLine, undecidedSummary } from '../../server/core/articleFacts.js';
import type { Article, ParagraphStatus } from '../../server/core/types.js';
import { articleToDocx } from '../../server/interchange/docx.js';
import { articleToHtml } from '../../server/interchange/html.js';
import { articleToXliff, parseXliff } from '../../server/interchange/xliff.js';
import { corpusDir, seedPath, startApp, tokenClient, type RunningApp } from '../support/app.js';
import { articleFrom } from './fixtures.js';

const WMT = join(corpusDir, 'wmt-zhen', 'wmt23-chinanews-280883.en.txt');

function withStatuses(article: Article, statuses: ParagraphStatus[]): Article {
  const a = structuredClone(article);
  a.paragraphs.forEach((p, i) => {
    p.status = statuses[i % statuses.length]!;
  });
  return a;
}

async function docxPart(data: Buffer, name: string): Promise<string> {
  const { default: JSZip } = await import('jszip' as string);
  const zip = await JSZip.loadAsync(data);
  return (await zip.file(name)?.async('string')) ?? '';
}

describe('undecided paragraphs', () => {
  const text = Array.from({ length: 8 }, (_, i) => `Paragraph ${i + 1} of the story.`).join('\n');
  // p1 pending, p2 suggested, p3 accepted, p4 edited, p5 rejected, p6 kept, p7 deleted, p8 pending
  const article = withStatuses(articleFrom(text, 'mixed'), ['pending', 'suggested', 'accepted', 'edited', 'rejected', 'kept', 'deleted', 'pending']);

  it('are the live pending and suggested ones; kept counts as decided, deleted not at all', () => {
    expect(undecidedSummary(article)).toEqual({ live: 7, undecided: 3, pending: 2, suggested: 1 });
    expect(undecidedLine(undecidedSummary(article))).toBe('3 of 7 paragraphs undecided (2 pending, 1 with a suggestion not yet decided)');
    expect(undecidedLine({ live: 4, undecided: 0, pending: 0, suggested: 0 })).toBe('all 4 paragraphs decided');
  });

  it('are counted in the XLIFF (file attribute and a file-level note) without disturbing the units', () => {
    for (const version of ['1.2', '2.0'] as const) {
      const xml = articleToXliff(article, { version });
      // 2.0 as an attribute of Postedit's namespace; 1.2 (whose strict schema allows none) in the note only.
      if (version === '2.0') expect(xml).toContain('pe:undecided="3"');
      expect(xml).toMatch(version === '1.2' ? /<header>[\s\S]*<note from="postedit:undecided">Postedit: 3 of 7 paragraphs undecided/ : /<notes>\s*<note category="postedit:undecided">Postedit: 3 of 7 paragraphs undecided/);
      const doc = parseXliff(xml);
      expect(doc.units.map((u) => u.status)).toEqual(article.paragraphs.filter((p) => p.status !== 'deleted').map((p) => p.status));
      expect(doc.units.every((u) => u.notes.length === 0)).toBe(true);
    }
  });

  it('are stated on the HTML page (meta always; a visible draft note while there are any)', () => {
    const html = articleToHtml(article);
    expect(html).toContain('<meta name="postedit-undecided" content="3">');
    expect(html).toContain('<p class="undecided" role="note">Draft: 3 of 7 paragraphs undecided (2 pending, 1 with a suggestion not yet decided).</p>');
    const done = withStatuses(article, ['accepted', 'kept']);
    expect(articleToHtml(done)).toContain('<meta name="postedit-undecided" content="0">');
    expect(articleToHtml(done)).not.toContain('class="undecided"');
  });

  it('are in the DOCX properties, not in its text', async () => {
    const docx = await articleToDocx(article);
    expect(await docxPart(docx, 'docProps/custom.xml')).toMatch(/name="PosteditUndecided"[\s\S]*>3</);
    expect(await docxPart(docx, 'docProps/core.xml')).toContain('3 of 7 paragraphs undecided');
    expect(await docxPart(docx, 'word/document.xml')).not.toContain('undecided');
  });
});

describe('article languages', () => {
  it('come from the source text’s script and the file name, else en and und', () => {
    expect(langFromScript(['联盟成立的标题', '该联盟于1月28日成立。'])).toBe('zh');
    expect(langFromScript(['東京でニュースを読みました。'])).toBe('ja');
    expect(langFromScript(['서울에서 뉴스를 읽었습니다.'])).toBe('ko');
    expect(langFromScript(['Ein deutscher Satz.'])).toBeUndefined();
    expect(langFromFileName('wmt23-chinanews-280883.en.txt')).toBe('en');
    expect(langFromFileName('story.pt-BR.docx')).toBe('pt-BR');
    expect(langFromFileName('notes.old.txt')).toBeUndefined();
    expect(langFromFileName('story.txt')).toBeUndefined();
    expect(importLanguages({ sources: ['该联盟成立。'] })).toEqual({ sourceLang: 'zh', targetLang: 'en' });
    expect(importLanguages({ sources: ['Ein Satz.'] })).toEqual({ sourceLang: 'und', targetLang: 'en' });
    expect(importLanguages({})).toEqual({ sourceLang: 'und', targetLang: 'en' });
    expect(importLanguages({ sourceLang: 'de', targetLang: 'en-GB', sources: ['该联盟成立。'] })).toEqual({ sourceLang: 'de', targetLang: 'en-GB' });
    expect(importLanguages({ sourceLang: 'und', sources: ['该联盟成立。'], origin: 'x.fr.txt' })).toEqual({ sourceLang: 'zh', targetLang: 'fr' });
  });

  it('are what the XLIFF declares: the recorded ones, else the guess; the MT as source stays in the target language', () => {
    const zh = articleFrom('Headline of it\nThe alliance was set up.\n', 'with-source', ['联盟成立的标题', '该联盟于1月28日成立。']);
    expect(parseXliff(articleToXliff(zh, { version: '2.0' })).srcLang).toBe('zh'); // older article: guessed from the script
    expect(parseXliff(articleToXliff({ ...zh, sourceLang: 'zh-Hant', targetLang: 'en-GB' }, { version: '1.2' }))).toMatchObject({ srcLang: 'zh-Hant', trgLang: 'en-GB' });
    expect(parseXliff(articleToXliff({ ...zh, sourceLang: 'zh' }, { version: '1.2', srcLang: 'yue', trgLang: 'en-US' }))).toMatchObject({ srcLang: 'yue', trgLang: 'en-US' });
    const latin = articleFrom('Headline of it\nThe alliance was set up.\n', 'latin-source', ['Titre', 'L’alliance a été créée.']);
    expect(parseXliff(articleToXliff(latin, { version: '2.0' })).srcLang).toBe('und');
    const noSource = articleFrom('Headline of it\nThe alliance was set up.\n', 'mt-only');
    expect(parseXliff(articleToXliff({ ...noSource, sourceLang: 'zh', targetLang: 'en' }, { version: '2.0' }))).toMatchObject({ srcLang: 'en', trgLang: 'en' });
  });
});

describe('exports over HTTP', () => {
  let app: RunningApp;
  let api: ReturnType<typeof tokenClient>;
  beforeAll(async () => {
    app = await startApp();
    api = tokenClient(app, 'admin');
  });
  afterAll(async () => app.close(true));

  async function download(path: string) {
    const res = await fetch(app.url + path, { headers: { authorization: `Bearer ${app.tokens.admin}` } });
    return { status: res.status, undecided: res.headers.get('x-postedit-undecided'), body: Buffer.from(await res.arrayBuffer()) };
  }

  async function act(id: string, pid: string, action: string, body: Record<string, unknown> = {}) {
    const p = (await api.get(`/api/articles/${id}`)).json.paragraphs.find((x: { id: string }) => x.id === pid);
    const r = await api.post(`/api/articles/${id}/paragraphs/${pid}/${action}`, { baseRevision: p.revision, ...body });
    expect(r.status, `${action} ${pid}: ${r.text}`).toBe(200);
    return r.json;
  }

  it('a WMT corpus article records zh → en and its XLIFF carries the Chinese source under source-language zh', async () => {
    const { article } = await importFile(app.services, WMT, { username: 'import', role: 'admin' });
    expect(article).toMatchObject({ sourceLang: 'zh', targetLang: 'en', hasSource: true });
    const src = (await readFile(WMT.replace(/\.txt$/, '.src.txt'), 'utf8')).trim().split('\n');
    for (const [format, lang] of [['xliff', /source-language="zh" target-language="en"/], ['xliff2', /srcLang="zh" trgLang="en"/]] as const) {
      const r = await download(`/api/articles/${article.id}/export?format=${format}`);
      expect(r.status).toBe(200);
      const xml = r.body.toString('utf8');
      expect(xml).toMatch(lang);
      const doc = parseXliff(xml);
      expect(doc.units.map((u) => u.source)).toEqual(src.map((l) => l.trim()));
      expect(doc.units.map((u) => u.mt)).toEqual(article.paragraphs.map((p) => p.mt));
    }
    expect((await api.get(`/api/articles/${article.id}`)).json).toMatchObject({ sourceLang: 'zh', targetLang: 'en' });
  });

  it('the seed (MT only) records und → en, and its XLIFF source (the MT) stays en', async () => {
    const r = await api.post('/api/articles', { text: await readFile(seedPath, 'utf8'), filename: 'baoan-smart-wearables.en.txt' });
    expect(r.json).toMatchObject({ sourceLang: 'und', targetLang: 'en', hasSource: false });
    const xml = (await download(`/api/articles/${r.json.id}/export?format=xliff2`)).body.toString();
    expect(xml).toMatch(/srcLang="en" trgLang="en"/);
  });

  it('a JSON import may name the languages; a bad tag is refused', async () => {
    const r = await api.post('/api/articles', { text: 'Headline of a story\nIts body.\n', source: '标题\n正文。\n', sourceLang: 'zh-Hant', targetLang: 'en-GB' });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({ sourceLang: 'zh-Hant', targetLang: 'en-GB' });
    const bad = await api.post('/api/articles', { text: 'Another headline here\nIts body.\n', sourceLang: '"><x' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/sourceLang: a language tag/);
  });

  it('an uploaded XLIFF keeps its declared languages through import and export', async () => {
    const xlf = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="ja.txt" source-language="ja" target-language="en-GB" datatype="plaintext"><body>
<trans-unit id="1"><source>東京のニュース</source><target state="translated">News from Tokyo</target></trans-unit>
<trans-unit id="2"><source>本文です。</source><target>This is the body.</target></trans-unit>
</body></file></xliff>`;
    const form = new FormData();
    form.append('file', new Blob([xlf]), 'tokyo.xlf');
    const res = await fetch(`${app.url}/api/articles/upload`, { method: 'POST', body: form, headers: { accept: 'application/json', authorization: `Bearer ${app.tokens.admin}` } });
    const json = (await res.json()) as { id: string };
    expect(res.status, JSON.stringify(json)).toBe(201);
    expect((await api.get(`/api/articles/${json.id}`)).json).toMatchObject({ sourceLang: 'ja', targetLang: 'en-GB' });
    expect(parseXliff((await download(`/api/articles/${json.id}/export?format=xliff`)).body.toString())).toMatchObject({ srcLang: 'ja', trgLang: 'en-GB' });
    expect((await download(`/api/articles/${json.id}/export?format=html`)).body.toString()).toContain('<html lang="en-GB">');
  });

  it('every export and the review report state how many paragraphs are undecided (kept ones are decided)', async () => {
    const { article } = await importFile(app.services, join(corpusDir, 'wmt-zhen', 'wmt23-rfi-19792.en.txt'), { username: 'import', role: 'admin' });
    const id = article.id;
    const live = article.paragraphs.length;
    await act(id, 'p1', 'edit', { text: 'An edited headline' });
    await act(id, 'p2', 'keep');
    await act(id, 'p3', 'suggest');
    const s = await act(id, 'p4', 'suggest');
    if (s.suggestion) await act(id, 'p4', 'reject');
    else await act(id, 'p4', 'keep');
    const now = (await api.get(`/api/articles/${id}`)).json.paragraphs as Array<{ status: string }>;
    expect(now[1]!.status).toBe('kept');
    const undecided = now.filter((p) => p.status === 'pending' || p.status === 'suggested').length;
    expect(undecided).toBe(live - 3);

    for (const format of ['txt', 'md', 'json', 'html', 'docx', 'xliff', 'xliff2']) {
      const r = await download(`/api/articles/${id}/export?format=${format}`);
      expect(r.status, format).toBe(200);
      expect(r.undecided, format).toBe(String(undecided));
    }
    const json = JSON.parse((await download(`/api/articles/${id}/export?format=json`)).body.toString());
    expect(json.summary).toMatchObject({ paragraphs: live, undecided, sourceLang: 'zh', targetLang: 'en' });
    expect((await download(`/api/articles/${id}/export?format=html`)).body.toString()).toContain(`<meta name="postedit-undecided" content="${undecided}">`);
    expect(await docxPart((await download(`/api/articles/${id}/export?format=docx`)).body, 'docProps/custom.xml')).toContain(`>${undecided}<`);
    expect((await download(`/api/articles/${id}/export?format=xliff2`)).body.toString()).toContain(`pe:undecided="${undecided}"`);
    expect((await download(`/api/articles/${id}/export?format=xliff`)).body.toString()).toContain(`<note from="postedit:undecided">Postedit: ${undecided} of `);
    // txt and md stay the clean text: the count is in the header only.
    expect((await download(`/api/articles/${id}/export?format=txt`)).body.toString()).not.toMatch(/undecided/i);

    for (const format of ['md', 'html']) {
      const r = await download(`/api/articles/${id}/report?format=${format}`);
      expect(r.status).toBe(200);
      expect(r.undecided).toBe(String(undecided));
      const line = `${undecided} of ${live} paragraphs undecided (`;
      expect(r.body.toString()).toContain(format === 'md' ? `| Undecided | ${line}` : `<th scope="row">Undecided</th><td>${line}`);
    }
  });
});
