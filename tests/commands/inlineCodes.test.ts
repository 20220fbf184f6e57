/**
 * Inline codes through the commands: edits that lose, duplicate or invent a code are refused (moving
 * one is fine), suggestions keep them (the offline engine never touches them; a lossy engine's
 * suggestion is flagged and cannot be taken), split and merge move codes with their text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptSuggestion } from '../../server/commands/acceptSuggestion.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { BadRequestError } from '../../server/commands/errors.js';
import { mergeParagraph } from '../../server/commands/mergeParagraph.js';
import { splitParagraph } from '../../server/commands/splitParagraph.js';
import { suggestParagraph } from '../../server/commands/suggestParagraph.js';
import { undoLastAction } from '../../server/commands/undoLastAction.js';
import { markerSequence } from '../../server/core/codeText.js';
import { hter } from '../../server/core/metrics.js';
import type { Engine } from '../../server/engines/types.js';
import { CODED, createCodedArticle } from '../support/codedArticle.js';
import { startApp, type RunningApp } from '../support/app.js';

let app: RunningApp;
const editor = { username: 'editor', role: 'editor' as const };

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => app.close(true));

const stored = async (articleId: string, pid: string) => (await app.services.store.getArticle(articleId))!.paragraphs.find((p) => p.id === pid)!;

/** An engine that rewrites the text with a function: to make lossy or moving suggestions. */
function engineOf(rewrite: (text: string) => string): Engine {
  return { id: 'test', model: 'test-1', describe: () => 'test engine', suggest: async (r) => ({ text: rewrite(r.text), model: 'test-1' }) };
}

describe('edits', () => {
  let id: string;
  beforeAll(async () => {
    id = (await createCodedArticle(app.services)).id;
  });

  it.each([
    ['loses', 'See section and click ⟦2⟧here⟦/2⟧ to open the file.', 'code ⟦1⟧ (1.0.1) was lost'],
    ['duplicates', 'See section ⟦1⟧ and click ⟦2⟧here⟦/2⟧ ⟦1⟧ to open the file.', 'code ⟦1⟧ (1.0.1) appears 2 times'],
    ['invents', 'See section ⟦1⟧ and click ⟦2⟧here⟦/2⟧ to open ⟦9⟧ the file.', 'code ⟦9⟧ is not in the original'],
    ['breaks a pair', 'See section ⟦1⟧ and click ⟦/2⟧here⟦2⟧ to open the file.', 'code ⟦/2⟧ comes before ⟦2⟧'],
  ])('refuses an edit that %s a code, naming it, and stores nothing', async (_what, text, named) => {
    const attempt = editParagraph(app.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text, actor: editor });
    await expect(attempt).rejects.toBeInstanceOf(BadRequestError);
    await expect(attempt).rejects.toThrow(named);
    await expect(attempt).rejects.toThrow(/the edit would break the paragraph's inline codes/);
    expect((await stored(id, 'p2')).revision).toBe(1);
  });

  it('allows moving a code; the move counts as no word changed', async () => {
    const text = 'Click ⟦2⟧here⟦/2⟧ to open the file in section ⟦1⟧.';
    const p = await editParagraph(app.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, text, actor: editor });
    expect(p).toMatchObject({ text, status: 'edited', revision: 2 });
    // Against the MT the fact guard says the codes moved (the export keeps them all).
    expect(p.findings?.map((f) => f.message)).toContain('The inline codes are in a different order than in the original.');
    const history = await app.services.store.history(id, 'p2');
    const moved = await editParagraph(app.services, { articleId: id, paragraphId: 'p2', baseRevision: 2, text: 'Click here⟦2⟧⟦/2⟧ to open the file in section ⟦1⟧.', actor: editor });
    expect(moved.revision).toBe(3);
    expect((await app.services.store.history(id, 'p2')).at(-1)!.diff).toEqual({ added: 0, removed: 0 });
    expect(history.at(-1)!.action).toBe('edit');
    expect(hter(CODED[1]!.text, moved.text)).toBeGreaterThan(0);
  });
});

describe('suggestions', () => {
  let id: string;
  beforeAll(async () => {
    id = (await createCodedArticle(app.services)).id;
  });

  it('the offline engine cleans up around the codes and keeps every one in place', async () => {
    const p2 = await suggestParagraph(app.services, { articleId: id, paragraphId: 'p2', actor: editor });
    expect(p2.suggestion!.text).toBe('See section ⟦1⟧ and click ⟦2⟧here⟦/2⟧ to open the file.');
    expect(p2.suggestion!.checks.filter((c) => c.check === 'codes')).toEqual([]);
    const p3 = await suggestParagraph(app.services, { articleId: id, paragraphId: 'p3', actor: editor });
    expect(p3.suggestion!.text).toBe('The plant cost 12 million yuan ⟦1⟧ in 2023.');
    expect(markerSequence(p3.suggestion!.text)).toBe(markerSequence(CODED[2]!.text));
  });

  it('a suggestion that loses codes is flagged, and cannot be accepted, confirmed or not', async () => {
    const lossy = engineOf((t) => t.replace(/⟦\/?\d+⟧/g, '').replace(/\s+/g, ' '));
    const p = await suggestParagraph(app.services, { articleId: id, paragraphId: 'p1', actor: editor, engine: lossy, force: true });
    const codes = p.suggestion!.checks.filter((c) => c.check === 'codes');
    expect(codes.map((c) => [c.severity, c.message])).toEqual([
      ['warning', 'Inline code ⟦1⟧ (<b>) was lost.'],
      ['warning', 'Inline code ⟦/1⟧ (<b>) was lost.'],
    ]);
    expect(codes[0]!.beforeSpans).toEqual([[8, 11]]);
    const accept = acceptSuggestion(app.services, { articleId: id, paragraphId: 'p1', baseRevision: p.revision, suggestionId: p.suggestion!.id, confirmWarnings: true, actor: editor });
    await expect(accept).rejects.toThrow(/accepting this suggestion would break the paragraph's inline codes: code ⟦1⟧ \(<b>\) was lost/);
  });

  it('taking only one half of a moved code is refused; taking both is fine', async () => {
    const mover = engineOf((t) => t.replace('click ⟦2⟧here⟦/2⟧ to open', 'click here to open ⟦2⟧⟦/2⟧').replace('See section ⟦1⟧ and', 'See ⟦1⟧ section and'));
    const p = await suggestParagraph(app.services, { articleId: id, paragraphId: 'p2', actor: editor, engine: mover, force: true });
    const base = { articleId: id, paragraphId: 'p2', suggestionId: p.suggestion!.id, confirmWarnings: true, actor: editor };
    // Span 4 inserts ⟦2⟧⟦/2⟧ at their new place; spans 2 and 3 take them away from the old one.
    const partial = acceptSuggestion(app.services, { ...base, baseRevision: p.revision, spans: [4] });
    await expect(partial).rejects.toThrow(/taking only those changes would break the paragraph's inline codes: code ⟦2⟧ .* appears 2 times/);
    await expect(acceptSuggestion(app.services, { ...base, baseRevision: p.revision, spans: [0, 1, 2, 3] })).rejects.toThrow(/code ⟦2⟧ .* was lost/);
    const all = await acceptSuggestion(app.services, { ...base, baseRevision: p.revision });
    expect(all.text).toBe(p.suggestion!.text);
    expect(all.status).toBe('accepted');
  });
});

describe('split and merge move codes with their text', () => {
  it('refuses a split inside a marker or between the two ends of a pair', async () => {
    const { id } = await createCodedArticle(app.services);
    const text = CODED[1]!.text;
    await expect(splitParagraph(app.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, at: text.indexOf('⟦1⟧') + 1, actor: editor })).rejects.toThrow(/cannot split inside the inline code ⟦1⟧/);
    await expect(splitParagraph(app.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, at: text.indexOf('ere⟦/2⟧'), actor: editor })).rejects.toThrow(/would cut the paired code ⟦2⟧…⟦\/2⟧ \(<a href="x" onclick="alert\(1\)">\) apart/);
  });

  it('a split gives the new paragraph the codes of its text; undo puts it back', async () => {
    const { id } = await createCodedArticle(app.services);
    const text = CODED[1]!.text;
    const p = await splitParagraph(app.services, { articleId: id, paragraphId: 'p2', baseRevision: 1, at: text.indexOf(' and click'), actor: editor });
    expect(p.text).toBe('See section ⟦1⟧');
    const after = (await app.services.store.getArticle(id))!;
    const q = after.paragraphs[2]!;
    expect(q.text).toBe('and click ⟦2⟧here⟦/2⟧ to open the the file.');
    expect(q.codes).toEqual([CODED[1]!.codes[1]]);
    // Editing the new paragraph is held to its own codes.
    await expect(editParagraph(app.services, { articleId: id, paragraphId: q.id, baseRevision: q.revision, text: 'and click here.', actor: editor })).rejects.toThrow(/code ⟦2⟧ .* was lost/);
    await undoLastAction(app.services, { articleId: id, actor: editor });
    expect((await stored(id, 'p2')).text).toBe(text);
  });

  it('a merge numbers the next paragraph\'s codes after the first one\'s and keeps their XML; undo restores both', async () => {
    const { id } = await createCodedArticle(app.services);
    const p = await mergeParagraph(app.services, { articleId: id, paragraphId: 'p1', baseRevision: 1, actor: editor });
    expect(p.text).toBe('Release ⟦1⟧notes⟦/1⟧ See section ⟦2⟧ and click ⟦3⟧here⟦/3⟧ to open the the file.');
    expect(p.codes).toEqual([
      CODED[0]!.codes[0],
      { ...CODED[1]!.codes[0], n: 2 },
      { ...CODED[1]!.codes[1], n: 3 },
    ]);
    expect((p.findings ?? []).filter((f) => f.check === 'codes')).toEqual([]);
    // The merged text is held to all its codes.
    await expect(editParagraph(app.services, { articleId: id, paragraphId: 'p1', baseRevision: p.revision, text: 'Release ⟦1⟧notes⟦/1⟧ See section ⟦2⟧.', actor: editor })).rejects.toThrow(/code ⟦3⟧ .* was lost/);
    await undoLastAction(app.services, { articleId: id, actor: editor });
    expect((await stored(id, 'p1')).text).toBe(CODED[0]!.text);
    expect(await stored(id, 'p2')).toMatchObject({ text: CODED[1]!.text, codes: CODED[1]!.codes, status: 'pending' });
    // The first paragraph's own text is held to its own codes again.
    const again = await editParagraph(app.services, { articleId: id, paragraphId: 'p1', baseRevision: (await stored(id, 'p1')).revision, text: 'Release ⟦1⟧notes⟦/1⟧ today', actor: editor });
    expect(again.status).toBe('edited');
  });
});
