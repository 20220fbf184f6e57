/**
 * Uploading and removing glossaries as commands (no HTTP), against a real temporary store (lowdb, or
 * PostgreSQL in the PG pass through DATABASE_URL): what is stored where, which articles each
 * language pair applies to, and the glossary an article's checks then use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleGlossary } from '../../server/commands/articleGlossary.js';
import { NotFoundError } from '../../server/commands/errors.js';
import type { Services } from '../../server/commands/services.js';
import { languagePairs, removeGlossary, uploadGlossary } from '../../server/commands/uploadGlossary.js';
import type { GlossaryEntry } from '../../server/core/glossary.js';
import { readGlossaryUpload } from '../../server/interchange/glossaryFiles.js';
import { articleScope, CORPUS_SCOPE } from '../../server/store/glossaryStore.js';
import { ada, openDesk, type Desk } from '../support/commands.js';

let desk: Desk;
let services: Services;
let zhEn: string;

beforeAll(async () => {
  desk = await openDesk();
  services = desk.services;
  // The desk's articles are zh→en.
  zhEn = await desk.article(['Wearables alliance founded in Baoan', 'The smart wearables alliance met today.'], 'Alliance');
});
afterAll(async () => desk.close());

const zhEntry: GlossaryEntry = { term: '智能穿戴', preferred: 'smart wearables', sourceLang: 'zh', targetLang: 'en' };
const esEntry: GlossaryEntry = { term: 'alianza', preferred: 'alliance', sourceLang: 'es', targetLang: 'en' };

describe('uploadGlossary', () => {
  it('stores a corpus glossary and says which articles each language pair applies to', async () => {
    const revision = services.glossaries.revision();
    const r = await uploadGlossary(services, { entries: [zhEntry, esEntry], actor: ada });
    expect(r.scope).toBe('corpus');
    expect(r.stored).toEqual([zhEntry, esEntry]);
    expect(r.languages).toEqual([
      { sourceLang: 'zh', targetLang: 'en', entries: 1, articles: 1 },
      { sourceLang: 'es', targetLang: 'en', entries: 1, articles: 0 },
    ]);
    expect(r.warnings).toEqual([expect.stringMatching(/^the es→en \(1 entry\) entries do not apply to any article \(the articles are zh→en\); the other entries do$/)]);
    expect(await services.glossaries.get(CORPUS_SCOPE)).toEqual([zhEntry, esEntry]);
    expect(services.glossaries.revision()).toBeGreaterThan(revision);
    // The article's checks see the zh→en entry, not the es→en one.
    expect(await articleGlossary(services, zhEn)).toContainEqual(zhEntry);
    expect(await articleGlossary(services, zhEn)).not.toContainEqual(esEntry);
  });

  it('stores an article\'s own glossary, replacing or merging, and refuses an unknown article without storing', async () => {
    const first = await uploadGlossary(services, { articleId: zhEn, entries: [zhEntry], actor: ada });
    expect(first).toMatchObject({ scope: { articleId: zhEn }, warnings: [] });
    const newer = { ...zhEntry, preferred: 'smart wearable devices' };
    const other: GlossaryEntry = { term: '联盟', preferred: 'alliance', sourceLang: 'zh', targetLang: 'en' };
    const merged = await uploadGlossary(services, { articleId: zhEn, entries: [newer, other], mode: 'merge', actor: ada });
    expect(merged.stored).toEqual([newer, other]);
    const replaced = await uploadGlossary(services, { articleId: zhEn, entries: [other], actor: ada });
    expect(replaced.stored).toEqual([other]);
    expect(await articleGlossary(services, zhEn)).toContainEqual(other);

    await expect(uploadGlossary(services, { articleId: 'no-such-article', entries: [zhEntry], actor: ada })).rejects.toBeInstanceOf(NotFoundError);
    expect(await services.glossaries.get(articleScope('no-such-article'))).toEqual([]);
  });

  it('warns when a glossary applies to no article at all, and stores it all the same', async () => {
    const r = await uploadGlossary(services, { articleId: zhEn, entries: [esEntry], actor: ada });
    expect(r.languages).toEqual([{ sourceLang: 'es', targetLang: 'en', entries: 1, articles: 0 }]);
    expect(r.warnings[0]).toMatch(/^this glossary is es→en \(1 entry\): it does not apply to this article \(article ".+" is zh→en\)/);
    expect(await services.glossaries.get(articleScope(zhEn))).toEqual([esEntry]);
  });

  it('takes what the file reader read: a CSV named by language', async () => {
    const parsed = readGlossaryUpload({ file: { name: 'desk.csv', data: Buffer.from('zh,en,note\n宝安,Bao\'an,district\n') } });
    const r = await uploadGlossary(services, { entries: parsed.entries, actor: ada });
    expect(r.stored).toEqual([{ term: '宝安', preferred: "Bao'an", note: 'district', sourceLang: 'zh', targetLang: 'en' }]);
    expect(languagePairs(r.stored)).toEqual([{ sourceLang: 'zh', targetLang: 'en', entries: 1 }]);
  });
});

describe('removeGlossary', () => {
  it('removes an article\'s glossary or the corpus one, and says when there is none', async () => {
    await uploadGlossary(services, { articleId: zhEn, entries: [zhEntry], actor: ada });
    expect(await removeGlossary(services, { articleId: zhEn, actor: ada })).toEqual({ deleted: { articleId: zhEn } });
    expect(await services.glossaries.get(articleScope(zhEn))).toEqual([]);
    await expect(removeGlossary(services, { articleId: zhEn, actor: ada })).rejects.toThrow(/has no uploaded glossary/);
    await uploadGlossary(services, { entries: [zhEntry], actor: ada });
    expect(await removeGlossary(services, { actor: ada })).toEqual({ deleted: 'corpus' });
    await expect(removeGlossary(services, { actor: ada })).rejects.toBeInstanceOf(NotFoundError);
  });
});
