/**
 * What leaves the desk, on its own against a real temporary store: the article exported as text,
 * Markdown and JSON, and the review report as Markdown and HTML. Both follow the editors' and
 * reviewers' decisions: edited and accepted texts, no deleted paragraph, who changed and approved
 * what, and how many paragraphs nobody has decided on yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptSuggestion } from '../../server/commands/acceptSuggestion.js';
import { deleteParagraph } from '../../server/commands/deleteParagraph.js';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { BadRequestError, NotFoundError } from '../../server/commands/errors.js';
import { exportArticle } from '../../server/commands/exportArticle.js';
import { keepParagraph } from '../../server/commands/keepParagraph.js';
import { reviewParagraph } from '../../server/commands/reviewParagraph.js';
import { reviewReport } from '../../server/commands/reviewReport.js';
import { splitParagraph } from '../../server/commands/splitParagraph.js';
import { suggestParagraph } from '../../server/commands/suggestParagraph.js';
import { ed, mtOf, NEWS, openDesk, rita, type Desk } from '../support/commands.js';

let desk: Desk;
let id: string;
const P2 = 'The alliance was founded in the national incubator on 28 January.';
const P3 = 'Output of the industry reached 1 billion yuan in 2014.';

/**
 * The worked article: p1 (heading) kept, p2 edited by ed and approved by rita, p3 suggested and
 * accepted then sent back with a reason, p4 deleted, p5 untouched, p6 with an open suggestion.
 */
beforeAll(async () => {
  desk = await openDesk();
  const s = desk.services;
  id = await desk.article(NEWS, 'Baoan wearables');
  await keepParagraph(s, { articleId: id, paragraphId: 'p1', baseRevision: 1, actor: ed });
  const e = await editParagraph(s, { articleId: id, paragraphId: 'p2', baseRevision: 1, text: P2, actor: ed, seconds: 30 });
  await reviewParagraph(s, { articleId: id, paragraphId: 'p2', baseRevision: e.revision, action: 'approve', actor: rita });
  const sg = await suggestParagraph(s, { articleId: id, paragraphId: 'p3', actor: ed });
  const a = await acceptSuggestion(s, { articleId: id, paragraphId: 'p3', baseRevision: sg.revision, suggestionId: sg.suggestion!.id, actor: ed });
  await reviewParagraph(s, { articleId: id, paragraphId: 'p3', baseRevision: a.revision, action: 'send-back', actor: rita, comment: 'Check the figure <in the source>.' });
  await deleteParagraph(s, { articleId: id, paragraphId: 'p4', baseRevision: 1, actor: ed });
  await suggestParagraph(s, { articleId: id, paragraphId: 'p6', actor: ed });
});
afterAll(async () => desk?.close());

describe('export', () => {
  it('text: the live paragraphs as decided, in order; the deleted one is gone, an open suggestion is not taken', async () => {
    const f = await exportArticle(desk.services, id, 'txt');
    expect(f).toMatchObject({ filename: `${id}.txt`, contentType: 'text/plain; charset=utf-8', undecided: 2 });
    expect(f.body).toBe(`${[mtOf(1), P2, P3, mtOf(5), mtOf(6)].join('\n\n')}\n`);
  });

  it('Markdown: the first heading is the title (#), later ones are sections (##)', async () => {
    const other = await desk.article([{ kind: 'heading', text: 'Title here' }, 'Intro.', { kind: 'heading', text: 'A section' }, 'Body.']);
    const f = await exportArticle(desk.services, other, 'md');
    expect(f).toMatchObject({ filename: `${other}.md`, contentType: 'text/markdown; charset=utf-8', undecided: 4 });
    expect(f.body).toBe('# Title here\n\nIntro.\n\n## A section\n\nBody.\n');
    expect((await exportArticle(desk.services, id, 'md')).body).toBe(`${[`# ${mtOf(1)}`, P2, P3, mtOf(5), mtOf(6)].join('\n\n')}\n`);
  });

  it('a split shows as two paragraphs in the export, holding the whole text', async () => {
    const other = await desk.article();
    await splitParagraph(desk.services, { articleId: other, paragraphId: 'p5', baseRevision: 1, at: 'The park lies'.length, actor: ed });
    const body = (await exportArticle(desk.services, other, 'txt')).body;
    expect(body.split('\n\n')).toHaveLength(7);
    expect(body).toContain('The park lies\n\nnear the river.');
  });

  it('JSON: everything, history and suggestions included, with a summary of what is undecided', async () => {
    const f = await exportArticle(desk.services, id, 'json');
    expect(f).toMatchObject({ filename: `${id}.json`, contentType: 'application/json; charset=utf-8', undecided: 2 });
    const doc = JSON.parse(f.body);
    expect(doc).toMatchObject({ format: 'postedit-article', version: 1, summary: { paragraphs: 5, undecided: 2, pending: 1, suggested: 1, sourceLang: 'zh', targetLang: 'en' } });
    expect(doc.article.undo).toBeUndefined();
    expect(doc.article.paragraphs.map((p: { id: string; status: string }) => `${p.id}:${p.status}`)).toEqual(['p1:kept', 'p2:edited', 'p3:accepted', 'p4:deleted', 'p5:pending', 'p6:suggested']);
    expect(doc.article.paragraphs[1]).toMatchObject({ text: P2, mt: mtOf(2), review: 'approved', approval: { by: 'rita' } });
    const byAction = (action: string) => doc.history.filter((r: { action: string }) => r.action === action);
    expect(byAction('edit')).toMatchObject([{ paragraphId: 'p2', author: 'ed', text: P2, seconds: 30 }]);
    expect(byAction('approve')).toMatchObject([{ paragraphId: 'p2', author: 'rita' }]);
    expect(byAction('delete')).toMatchObject([{ paragraphId: 'p4', author: 'ed' }]);
    expect(doc.suggestions.map((s: { paragraphId: string }) => s.paragraphId)).toEqual(['p3', 'p6']);
  });

  it('refuses an unknown format and an unknown article', async () => {
    const bad = exportArticle(desk.services, id, 'pdf');
    await expect(bad).rejects.toBeInstanceOf(BadRequestError);
    await expect(bad).rejects.toThrow('unknown export format "pdf": use one of txt, md, json');
    await expect(exportArticle(desk.services, 'no-such-article', 'txt')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('review report', () => {
  it('Markdown: the status, what is undecided, and each changed or reviewed paragraph with who did what', async () => {
    const f = await reviewReport(desk.services, id, 'md');
    expect(f).toMatchObject({ filename: `${id}-review.md`, contentType: 'text/markdown; charset=utf-8', undecided: 2 });
    const md = f.body;
    expect(md).toMatch(/^# Review report: Baoan wearables\n/);
    expect(md).toContain('| Review status | changes requested |');
    expect(md).toContain('| Undecided | 2 of 5 paragraphs undecided (1 pending, 1 with a suggestion not yet decided) |');
    expect(md).toContain('| Paragraphs | 5 live · 2 changed from the MT · 1 deleted · 1 approved |');
    // p2, p3 and p4 changed; p1 (kept), p5 (untouched) and p6 (only suggested) did not.
    expect(md).toContain('## Changed and reviewed paragraphs (3)');
    const section = (n: number) => md.split(/^### /m).find((s) => s.startsWith(`¶${n} `)) ?? '';
    expect(section(2)).toMatch(/^¶2 · Edited · Approved/);
    expect(section(2)).toContain('  - ed: edited (revision 2');
    expect(section(2)).toMatch(/- Approved by: rita \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(section(2)).toContain('> The alliance was founded in the ~~the~~ national incubator on ~~January~~ 28 **January**.');
    expect(section(2)).toContain('- Decision: edited by ed');
    expect(section(2)).toContain('- Time to edit: 30 s');
    expect(section(3)).toMatch(/^¶3 · Accepted · Sent back/);
    expect(section(3)).toContain('ed: accepted the suggestion');
    expect(section(3)).toMatch(/ {2}- rita sent back \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\): Check the figure \\<in the source\\>\./);
    expect(section(3)).toContain('- Approved by: nobody yet');
    expect(section(4)).toMatch(/^¶4 · Deleted/);
    expect(section(4)).toContain('_(deleted)_');
    expect(section(5)).toBe('');
    expect(section(6)).toBe('');
  });

  it('HTML: a standalone page where every text is escaped and the diff is marked up', async () => {
    const other = await desk.article(NEWS, 'Report <b>title</b>');
    const e = await editParagraph(desk.services, { articleId: other, paragraphId: 'p5', baseRevision: 1, text: 'The park lies near the <script>alert(1)</script> river.', actor: ed });
    await reviewParagraph(desk.services, { articleId: other, paragraphId: 'p5', baseRevision: e.revision, action: 'approve', actor: rita });
    const f = await reviewReport(desk.services, other, 'html');
    expect(f).toMatchObject({ filename: `${other}-review.html`, contentType: 'text/html; charset=utf-8', undecided: 5 });
    const html = f.body;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>Review report: Report &#60;b&#62;title&#60;/b&#62;</title>');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>title');
    expect(html).toContain('The park lies near the <ins>&#60;script&#62;alert(1)&#60;/script&#62; </ins>river.');
    expect(html).toMatch(/<span class="tag approved">Approved<\/span>/);
    expect(html).toContain('<li>Approved by: <strong>rita</strong>');
  });

  it('says so when nothing has changed yet, and refuses an unknown format or article', async () => {
    const fresh = await desk.article();
    const md = (await reviewReport(desk.services, fresh, 'md')).body;
    expect(md).toContain('No paragraph has changed from the MT yet.');
    expect(md).toContain('| Review status | not started |');
    await expect(reviewReport(desk.services, fresh, 'pdf')).rejects.toThrow('unknown report format "pdf": use one of md, html');
    await expect(reviewReport(desk.services, 'no-such-article', 'md')).rejects.toBeInstanceOf(NotFoundError);
  });
});
