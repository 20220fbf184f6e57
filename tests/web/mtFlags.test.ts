/**
 * The MT checked against its source, over HTTP: paragraph JSON carries `mtFlags` and `risk`, the
 * flags endpoint sorts by risk, the editor page marks the spans with their reasons and filters by
 * risk, and the offline engine proposes the figure the source proves.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { corpusDir, seedPath, startApp, tokenClient, type RunningApp } from '../support/app.js';

let app: RunningApp;
let api: ReturnType<typeof tokenClient>;
let admin: ReturnType<typeof tokenClient>;
const rfi = 'wmt23-rfi-19792-en';
const actor = { username: 'import', role: 'admin' as const };

interface Flag { start: number; end: number; kind: string; severity: string; message: string; sourceSpans?: Array<[number, number]>; fix?: string }
interface P { id: string; index: number; mt: string; source?: string; mtFlags?: Flag[]; risk?: number }

beforeAll(async () => {
  app = await startApp();
  api = tokenClient(app, 'editor');
  admin = tokenClient(app, 'admin');
  await importFile(app.services, join(corpusDir, 'wmt-zhen', 'wmt23-rfi-19792.en.txt'), actor);
  await importFile(app.services, seedPath, actor);
});
afterAll(async () => app.close(true));

const spanText = (p: P, f: Flag) => p.mt.slice(f.start, f.end);

describe('MT flags over HTTP', () => {
  it('marks "Fiji" in the headline as a name the source (美日菲) does not have, and makes the paragraph risky', async () => {
    const r = await api.get(`/api/articles/${rfi}`);
    expect(r.status).toBe(200);
    const headline: P = r.json.paragraphs[0];
    expect(headline.mt).toContain('US and Fiji');
    const fiji = headline.mtFlags!.find((f) => f.kind === 'name' && spanText(headline, f) === 'Fiji');
    expect(fiji, JSON.stringify(headline.mtFlags)).toBeDefined();
    expect(fiji!.severity).toBe('major');
    expect(fiji!.message).toMatch(/Fiji/);
    expect(headline.risk).toBeGreaterThanOrEqual(0.5);
    for (const p of r.json.paragraphs as P[]) {
      expect(p.risk).toBeGreaterThanOrEqual(0);
      expect(p.risk).toBeLessThanOrEqual(1);
      for (const f of p.mtFlags!) {
        expect(f.start).toBeGreaterThanOrEqual(0);
        expect(f.end).toBeLessThanOrEqual(p.mt.length);
      }
    }
  });

  it('marks the seed\'s "2927 billion yuan" though the seed has no source', async () => {
    const r = await api.get('/api/articles/baoan-smart-wearables-en');
    const p: P = r.json.paragraphs.find((x: P) => x.mt.includes('2927 billion'));
    const flag = p.mtFlags!.find((f) => spanText(p, f).includes('2927'));
    expect(flag, JSON.stringify(p.mtFlags)).toBeDefined();
    expect(flag!.message).toMatch(/292\.7 billion/);
  });

  it('lists every paragraph\'s flags riskiest first', async () => {
    const r = await api.get(`/api/articles/${rfi}/mt-flags?sort=risk`);
    expect(r.status).toBe(200);
    expect(r.json.pending).toBe(0);
    const risks = r.json.paragraphs.map((p: P) => p.risk);
    expect(risks).toEqual([...risks].sort((a: number, b: number) => b - a));
    expect(r.json.paragraphs[0].risk).toBeGreaterThan(r.json.paragraphs.at(-1).risk);
  });

  it('answers an action with the paragraph\'s flags too', async () => {
    const r = await api.post(`/api/articles/${rfi}/paragraphs/p1/reject`, {});
    // Nothing to reject yet (no suggestion): the refusal is a clear 4xx; a comment works and carries the flags.
    expect(r.status).toBeGreaterThanOrEqual(400);
    const c = await api.post(`/api/articles/${rfi}/paragraphs/p1/comment`, { text: 'Japan is missing here' });
    expect(c.status).toBe(200);
    expect(c.json.mtFlags.some((f: Flag) => f.kind === 'name')).toBe(true);
    expect(c.json.risk).toBeGreaterThan(0);
  });

  it('shows the marks with their reasons in the page, the source beside the MT, and filters by risk', async () => {
    const page = await api.get(`/articles/${rfi}`);
    expect(page.status).toBe(200);
    const html: string = page.text;
    expect(html).toMatch(/<section class="paragraphs with-source">/);
    expect(html).toMatch(/<mark class="mtflag mtflag-major" tabindex="0" data-flags="\d+" data-tip="[^"]*Fiji[^"]*" aria-describedby="mtf-p1-\d+">Fiji<\/mark>/);
    expect(html).toMatch(/<li id="mtf-p1-\d+" class="mtflag-item mtflag-item-major"/);
    expect(html).toMatch(/class="badge risk risk-high"/);

    const sorted = await api.get(`/articles/${rfi}?sort=risk`);
    const order = [...sorted.text.matchAll(/data-risk="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(order.length).toBeGreaterThan(3);
    expect(order).toEqual([...order].sort((a, b) => b - a));

    const fine = await api.get(`/articles/${rfi}?risk=fine`);
    const fineRisks = [...fine.text.matchAll(/data-risk="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(fineRisks.every((x) => x < 0.2)).toBe(true);
    expect(fine.text).not.toContain('id="p1"');
  });

  it('counts flagged paragraphs on the article list', async () => {
    const html = (await api.get('/')).text;
    expect(html).toMatch(new RegExp(`href="/articles/${rfi}\\?risk=flagged&amp;sort=risk"[^>]*>\\d+ flagged`));
  });

  it('escapes model- and article-supplied text in marks and reasons', async () => {
    const evil = await admin.post('/api/articles', { title: 'evil', text: 'The <img src=x onerror=alert(1)> army of Fiji "quoted" arrived.', source: '军队抵达了。' });
    expect(evil.status).toBe(201);
    const html = (await api.get(`/articles/${evil.json.id}`)).text;
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('makes the offline engine propose the figure the source proves (33.06万 is 330,600)', async () => {
    const created = await admin.post('/api/articles', { title: 'numbers', text: 'The county had 33.06 million residents last year.', source: '该县去年有33.06万居民。' });
    const id = created.json.id;
    const p: P = created.json.paragraphs[0];
    const r = await api.post(`/api/articles/${id}/paragraphs/${p.id}/suggest`, {});
    expect(r.status).toBe(200);
    expect(r.json.suggestion.text).toContain('330,600');
    expect(r.json.suggestion.text).not.toContain('33.06 million');
  });
});
