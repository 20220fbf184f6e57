/**
 * An article whose paragraphs carry inline codes (⟦n⟧ / ⟦/n⟧ markers with Paragraph.codes), stored
 * directly through the store: what an XLIFF import makes, without the importer.
 */
import { randomUUID } from 'node:crypto';
import type { Services } from '../../server/commands/services.js';
import type { InlineCode } from '../../server/core/inlineCodes.js';
import type { Article, Paragraph, Revision } from '../../server/core/types.js';

/** A label with markup and quotes: it must reach the page escaped. */
export const HOSTILE_LABEL = '<a href="x" onclick="alert(1)">';

export const CODED: Array<{ kind: 'heading' | 'body'; text: string; codes: InlineCode[] }> = [
  { kind: 'heading', text: 'Release ⟦1⟧notes⟦/1⟧', codes: [{ n: 1, kind: 'pair', open: '<g id="1">', close: '</g>', label: '<b>' }] },
  {
    kind: 'body',
    text: 'See section ⟦1⟧ and click ⟦2⟧here⟦/2⟧ to open the the file.',
    codes: [
      { n: 1, kind: 'standalone', open: '<ph id="1">1.0.1</ph>', label: '1.0.1' },
      { n: 2, kind: 'pair', open: '<g id="2">', close: '</g>', label: HOSTILE_LABEL },
    ],
  },
  { kind: 'body', text: 'The plant cost 12000000 yuan ⟦1⟧ in 2023.', codes: [{ n: 1, kind: 'standalone', open: '<x id="1"/>', label: '{price-note}' }] },
  { kind: 'body', text: 'A plain paragraph without codes.', codes: [] },
];

export async function createCodedArticle(services: Services, id = `coded-${randomUUID().slice(0, 8)}`, actor = 'import'): Promise<Article> {
  const at = services.now().toISOString();
  const op = randomUUID();
  const paragraphs: Paragraph[] = CODED.map((c, i) => ({
    id: `p${i + 1}`,
    index: i,
    kind: c.kind,
    mt: c.text,
    text: c.text,
    status: 'pending',
    revision: 1,
    ...(c.codes.length ? { codes: structuredClone(c.codes) } : {}),
  }));
  const article: Article = {
    id,
    title: 'Coded article',
    createdAt: at,
    updatedAt: at,
    contentHash: randomUUID(),
    hasSource: false,
    hasReference: false,
    sourceLang: 'und',
    targetLang: 'en',
    paragraphs,
    nextParagraph: paragraphs.length + 1,
    undo: [],
  };
  const revisions: Revision[] = paragraphs.map((p) => ({ n: 1, paragraphId: p.id, action: 'import', author: actor, at, text: p.text, status: 'pending', diff: { added: 0, removed: 0 }, op }));
  await services.store.createArticle(article, revisions);
  return (await services.store.getArticle(id))!;
}
