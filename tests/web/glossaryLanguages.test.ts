/**
 * Glossaries over HTTP with their languages: an en → es glossary is accepted with a warning naming
 * its languages and is not applied to an English article (suggestions, checks, the term list); a
 * zh → en one applies to the zh → en article and the MT term check uses it.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle } from '../../server/commands/importArticle.js';
import { seedPath, startApp, tokenClient, type RunningApp } from '../support/app.js';

let app: RunningApp;
let english: string;
let chinese: string;
let admin: ReturnType<typeof tokenClient>;
const actor = { username: 'admin', role: 'admin' as const };

beforeAll(async () => {
  app = await startApp();
  admin = tokenClient(app, 'admin');
  english = (await importArticle(app.services, { text: await readFile(seedPath, 'utf8'), origin: 'baoan-smart-wearables.en.txt', actor })).article.id;
  chinese = (await importArticle(app.services, {
    text: 'The intelligent dress industry grows fast.\n\nThe mayor spoke on Monday.\n',
    source: '智能穿戴产业发展迅速。\n\n市长周一讲话。\n',
    origin: 'wearables.en.txt',
    actor,
  })).article.id;
});
afterAll(async () => app.close(true));

async function upload(name: string, data: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append('file', new Blob([data]), name);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${app.url}/api/glossaries`, { method: 'POST', headers: { authorization: `Bearer ${app.tokens.admin}` }, body: form });
  return { status: res.status, json: (await res.json()) as any };
}

describe('glossaries with languages over HTTP', () => {
  it('the articles know their languages', async () => {
    expect((await admin.get(`/api/articles/${english}`)).json).toMatchObject({ sourceLang: 'und', targetLang: 'en' });
    expect((await admin.get(`/api/articles/${chinese}`)).json).toMatchObject({ sourceLang: 'zh', targetLang: 'en' });
  });

  it('an English→Spanish glossary is accepted with a warning naming its languages, and not applied to the English article', async () => {
    const r = await upload('client.csv', 'English Term,Part of Speech,Spanish Term\nsmart wearable,noun,dispositivo vestible\nintelligent wear,noun,ropa inteligente\n');
    expect(r.status).toBe(201);
    expect(r.json.languages).toEqual([{ sourceLang: 'en', targetLang: 'es', entries: 2, articles: 0 }]);
    expect(r.json.warnings).toEqual([
      'this glossary is en→es (2 entries): it does not apply to any article (the articles are en (no source language), zh→en); it is stored and applies only to articles of its languages',
    ]);

    const g = (await admin.get(`/api/articles/${english}/glossary`)).json;
    expect(g.languages).toEqual({ sourceLang: 'und', targetLang: 'en' });
    expect(g.entries.some((e: any) => e.targetLang === 'es')).toBe(false);
    const found = g.paragraphs.flatMap((p: any) => p.terms.map((t: any) => t.preferred));
    expect(found).toContain('smart wearable');
    expect(found).not.toContain('dispositivo vestible');
    expect(found).not.toContain('ropa inteligente');

    // The offline engine applies the desk's English wording, never the Spanish.
    const p3 = await admin.post(`/api/articles/${english}/paragraphs/p3/suggest`, { baseRevision: 1 });
    expect(p3.status).toBe(200);
    expect(p3.json.suggestion.text).toContain('smart wearable industry alliance');
    expect(p3.json.suggestion.text).not.toMatch(/dispositivo|ropa/);
    // Nor do the MT checks use it.
    const flags = (await admin.get(`/api/articles/${english}/mt-flags`)).json.paragraphs.flatMap((p: any) => p.mtFlags);
    expect(flags.filter((f: any) => /dispositivo|ropa/.test(f.message))).toEqual([]);
  });

  it('a zh,en glossary applies to the zh→en article: the MT term check flags the missing English', async () => {
    const r = await upload('desk.csv', 'zh,en\n智能穿戴,smart wearable\n市长,mayor\n', { articleId: chinese });
    expect(r.status).toBe(201);
    expect(r.json.languages).toEqual([{ sourceLang: 'zh', targetLang: 'en', entries: 2, articles: 1 }]);
    expect(r.json.warnings).toEqual([]);
    const flags = (await admin.get(`/api/articles/${chinese}/mt-flags`)).json.paragraphs;
    const terms = (i: number) => flags[i].mtFlags.filter((f: any) => f.kind === 'term');
    expect(terms(0)).toEqual([expect.objectContaining({ severity: 'major', message: 'Glossary: source 智能穿戴 should read "smart wearable" in the MT', sourceSpans: [[0, 4]] })]);
    expect(terms(1)).toEqual([]);
    const g = (await admin.get(`/api/articles/${chinese}/glossary`)).json;
    expect(g.entries.map((e: any) => e.term)).toEqual(expect.arrayContaining(['智能穿戴', '市长', 'intelligent wearable']));
  });

  it('the same glossary for the English article is stored with a warning: it has no source language', async () => {
    const r = await upload('desk.csv', 'zh,en\n智能穿戴,smart wearable\n', { articleId: english });
    expect(r.status).toBe(201);
    expect(r.json.warnings).toEqual([
      `this glossary is zh→en (1 entry): it does not apply to this article (article "${english}" is en (no source language)); it is stored and applies only to articles of its languages`,
    ]);
    expect((await admin.get(`/api/articles/${english}/glossary`)).json.entries.map((e: any) => e.term)).not.toContain('智能穿戴');
  });

  it('source,target without languages is refused with what to do; with sourceLang and targetLang it is taken', async () => {
    const refused = await upload('pairs.tsv', 'source\ttarget\nmayor\talcalde\n');
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatch(/^pairs\.tsv: the source and target languages are not known: .* send sourceLang and targetLang/);
    const taken = await upload('pairs.tsv', 'source\ttarget\nmayor\talcalde\n', { sourceLang: 'en', targetLang: 'es', mode: 'merge' });
    expect(taken.status).toBe(201);
    expect(taken.json.languages).toEqual([{ sourceLang: 'en', targetLang: 'es', entries: 1, articles: 0 }]);
    expect(taken.json.count).toBe(3); // merged into the corpus glossary's two en→es entries
    const bad = await upload('pairs.tsv', 'source\ttarget\nmayor\talcalde\n', { sourceLang: 'not a tag!', targetLang: 'es' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/sourceLang must be a language tag/);
  });
});
