import { describe, expect, it } from 'vitest';
import { effortReport, paragraphEfforts, traceParagraph, type ArticleInput } from '../../server/core/effort.js';
import { hterHistogram, hterStat } from '../../server/core/metrics.js';
import { diffWords } from '../../server/core/diff.js';
import { buildReport, markdownDiff, htmlDiff, mdEscape, reportToHtml, reportToMarkdown } from '../../server/commands/reviewReport.js';
import type { Article, Paragraph, ParagraphStatus, Revision, RevisionAction, Suggestion } from '../../server/core/types.js';

// A small article, built by hand. Every figure below is counted on paper from these texts.
const AT = '2025-03-01T10:00:00.000Z';

function para(id: string, index: number, mt: string, text: string, status: ParagraphStatus): Paragraph {
  return { id, index, kind: 'body', mt, text, status, revision: 1 };
}

let n = new Map<string, number>();
function rev(paragraphId: string, action: RevisionAction, text: string, status: ParagraphStatus, extra: Partial<Revision> = {}): Revision {
  const next = (n.get(paragraphId) ?? 0) + 1;
  n.set(paragraphId, next);
  return { n: next, paragraphId, action, author: 'import', at: AT, text, status, diff: { added: 0, removed: 0 }, op: `op-${paragraphId}-${next}`, ...extra };
}

function sug(id: string, paragraphId: string, engine: string, model: string, basedOn: string, text: string, runId?: string): Suggestion {
  return { id, paragraphId, engine, model, text, basedOn, checks: [], createdAt: AT, ...(runId ? { runId } : {}) };
}

function fixture(): ArticleInput {
  n = new Map();
  const s = [
    sug('s1', 'p1', 'offline', 'm1', 'a b c d', 'a b x d'),
    sug('s2', 'p2', 'openai', 'gpt', 'one two three four five', 'one two 3 four five six', 'run-1'),
    sug('s3', 'p3', 'offline', 'm1', 'the cat sat', 'the cat sat down'),
    sug('s4', 'p4', 'openai', 'gpt', 'keep this', 'keep that', 'run-1'),
    sug('s5', 'p5', 'offline', 'm1', 'undone here', 'undone there'),
  ];
  const history: Revision[] = [
    // p1: suggestion accepted whole by ed1 in 10 s. MT→final: c→x, 1 edit / 4 words.
    rev('p1', 'import', 'a b c d', 'pending'),
    rev('p1', 'suggest', 'a b c d', 'suggested', { suggestionId: 's1', author: 'ed1' }),
    rev('p1', 'accept', 'a b x d', 'accepted', { suggestionId: 's1', author: 'ed1', seconds: 10 }),
    // p2: part of a run's suggestion taken by ed2 in 20 s. MT→final three→3: 1/5; suggestion→final: "six" dropped, 1/5.
    rev('p2', 'import', 'one two three four five', 'pending'),
    rev('p2', 'suggest', 'one two three four five', 'suggested', { suggestionId: 's2', author: 'ed2' }),
    rev('p2', 'accept-partial', 'one two 3 four five', 'accepted', { suggestionId: 's2', author: 'ed2', seconds: 20 }),
    // p3: ed1 writes their own text over an open suggestion in 30 s. MT→final: the→a, +here, +today: 3/5;
    // suggestion "the cat sat down" → final: the→a, down→here, +today: 3/5.
    rev('p3', 'import', 'the cat sat', 'pending'),
    rev('p3', 'suggest', 'the cat sat', 'suggested', { suggestionId: 's3', author: 'ed1' }),
    rev('p3', 'edit', 'a cat sat here today', 'edited', { author: 'ed1', seconds: 30 }),
    // p4: ed2 rejects a run's suggestion in 4 s. MT→final 0/2; suggestion→final this/that: 1/2.
    rev('p4', 'import', 'keep this', 'pending'),
    rev('p4', 'suggest', 'keep this', 'suggested', { suggestionId: 's4', author: 'ed2' }),
    rev('p4', 'reject', 'keep this', 'rejected', { suggestionId: 's4', author: 'ed2', seconds: 4 }),
    // p5: accepted (6 s) then undone: undecided again, but the 6 s were spent. 0/2.
    rev('p5', 'import', 'undone here', 'pending'),
    rev('p5', 'suggest', 'undone here', 'suggested', { suggestionId: 's5', author: 'ed1' }),
    rev('p5', 'accept', 'undone there', 'accepted', { suggestionId: 's5', author: 'ed1', seconds: 6 }),
    rev('p5', 'undo', 'undone here', 'suggested', { author: 'ed1' }),
    // p6: untouched. 0/3.
    rev('p6', 'import', 'x y z', 'pending'),
    // p7: deleted: not counted at all.
    rev('p7', 'import', 'gone', 'pending'),
    rev('p7', 'edit', 'gone now', 'edited', { author: 'ed1', seconds: 99 }),
    rev('p7', 'delete', 'gone now', 'deleted', { author: 'ed1' }),
    // p8: ed2 edits without any suggestion, untimed (through the API). +gamma: 1/3.
    rev('p8', 'import', 'alpha beta', 'pending'),
    rev('p8', 'edit', 'alpha gamma beta', 'edited', { author: 'ed2' }),
    // p9: ed1 edits (5 s), ed2 edits (7 s), ed2 reverts to ed1's revision: ed1's edit is in effect. s→t: 1/2, 12 s.
    rev('p9', 'import', 'r s', 'pending'),
    rev('p9', 'edit', 'r t', 'edited', { author: 'ed1', seconds: 5 }),
    rev('p9', 'edit', 'r u', 'edited', { author: 'ed2', seconds: 7 }),
    rev('p9', 'revert', 'r t', 'edited', { author: 'ed2', revertedTo: 2 }),
    // p10: made by a split: no MT, so no HTER; 2 words.
    rev('p10', 'split-off', 'new part', 'edited', { author: 'ed1' }),
  ];
  const article: Article = {
    id: 'a1',
    title: 'Hand-built',
    createdAt: AT,
    updatedAt: AT,
    contentHash: 'x',
    hasSource: false,
    hasReference: false,
    nextParagraph: 11,
    undo: [],
    paragraphs: [
      para('p1', 0, 'a b c d', 'a b x d', 'accepted'),
      para('p2', 1, 'one two three four five', 'one two 3 four five', 'accepted'),
      para('p3', 2, 'the cat sat', 'a cat sat here today', 'edited'),
      para('p4', 3, 'keep this', 'keep this', 'rejected'),
      para('p5', 4, 'undone here', 'undone here', 'suggested'),
      para('p6', 5, 'x y z', 'x y z', 'pending'),
      para('p7', 6, 'gone', 'gone now', 'deleted'),
      para('p8', 7, 'alpha beta', 'alpha gamma beta', 'edited'),
      para('p9', 8, 'r s', 'r t', 'edited'),
      para('p10', 9, '', 'new part', 'edited'),
    ],
  };
  // The store hands history over oldest first per article; shuffle it to show order does not matter.
  return { article, history: [...history].reverse(), suggestions: s };
}

describe('paragraph effort', () => {
  const rows = paragraphEfforts(fixture());
  const row = (id: string) => rows.find((r) => r.paragraphId === id)!;

  it('leaves deleted paragraphs out', () => {
    expect(rows.map((r) => r.paragraphId)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p8', 'p9', 'p10']);
  });

  it('computes MT → final edits and HTER (edits ÷ final words)', () => {
    expect([row('p1').edits, row('p1').words, row('p1').hter]).toEqual([1, 4, 0.25]);
    expect([row('p2').edits, row('p2').words, row('p2').hter]).toEqual([1, 5, 0.2]);
    expect([row('p3').edits, row('p3').words, row('p3').hter]).toEqual([3, 5, 0.6]);
    expect([row('p4').edits, row('p4').hter]).toEqual([0, 0]);
    expect(row('p8').hter).toBeCloseTo(1 / 3, 12);
    expect([row('p10').edits, row('p10').hter, row('p10').words]).toEqual([null, null, 2]);
  });

  it('finds the decision in effect, who made it and the suggestion it concerned', () => {
    expect(row('p1').decision).toMatchObject({ action: 'accept', author: 'ed1' });
    expect(row('p1').suggestion).toMatchObject({ id: 's1', engine: 'offline', model: 'm1', edits: 0, hter: 0 });
    expect(row('p2').decision).toMatchObject({ action: 'accept-partial', author: 'ed2' });
    expect(row('p2').suggestion).toMatchObject({ id: 's2', runId: 'run-1', edits: 1, hter: 0.2 });
    // An edit counts against the suggestion open at the time.
    expect(row('p3').decision).toMatchObject({ action: 'edit', author: 'ed1' });
    expect(row('p3').suggestion).toMatchObject({ id: 's3', edits: 3, hter: 0.6 });
    expect(row('p4').suggestion).toMatchObject({ id: 's4', edits: 1, hter: 0.5 });
    // Undone: no decision in effect.
    expect(row('p5').decision).toBeUndefined();
    expect(row('p6').decision).toBeUndefined();
    expect(row('p8').decision).toMatchObject({ action: 'edit', author: 'ed2' });
    expect(row('p8').suggestion).toBeUndefined();
    // Reverted to ed1's revision 2: ed1's edit is in effect again.
    expect(row('p9').decision).toMatchObject({ action: 'edit', author: 'ed1', revision: 2 });
    expect(row('p10').decision).toBeUndefined();
  });

  it('sums seconds over all decision revisions, null when none was timed', () => {
    expect(rows.map((r) => [r.paragraphId, r.seconds])).toEqual([
      ['p1', 10], ['p2', 20], ['p3', 30], ['p4', 4], ['p5', 6], ['p6', null], ['p8', null], ['p9', 12], ['p10', null],
    ]);
  });

  it('traces an undo back to the decision before the undone action', () => {
    n = new Map();
    const t = traceParagraph([
      rev('q', 'import', 'm', 'pending'),
      rev('q', 'edit', 'e1', 'edited', { author: 'ann', seconds: 3 }),
      rev('q', 'suggest', 'e1', 'edited', { suggestionId: 'sx' }),
      rev('q', 'accept', 'sx text', 'accepted', { author: 'bob', suggestionId: 'sx', seconds: 2 }),
      rev('q', 'undo', 'e1', 'edited', { author: 'bob' }),
    ]);
    expect(t.decision?.rev).toMatchObject({ action: 'edit', author: 'ann', n: 2 });
    expect(t.seconds).toBe(5);
  });
});

describe('aggregated effort', () => {
  const report = effortReport([fixture()]);

  it('totals every live paragraph', () => {
    const t = report.totals;
    expect([t.paragraphs, t.decided, t.changed, t.words]).toEqual([9, 6, 6, 28]);
    expect(t.decisions).toEqual({ accept: 1, 'accept-partial': 1, edit: 3, reject: 1, keep: 0, total: 6 });
    expect(t.rates).toEqual({ accept: 1 / 6, 'accept-partial': 1 / 6, edit: 3 / 6, reject: 1 / 6, keep: 0 });
    // MT → final over the 8 paragraphs with MT: Σ edits 1+1+3+0+0+0+1+1 = 7, Σ words 4+5+5+2+2+3+3+2 = 26.
    expect(t.hter).toMatchObject({ n: 8, edits: 7, words: 26 });
    expect(t.hter!.corpus).toBeCloseTo(7 / 26, 12);
    expect(t.hter!.mean).toBeCloseTo((0.25 + 0.2 + 0.6 + 0 + 0 + 0 + 1 / 3 + 0.5) / 8, 12);
    // Suggestion → final over p1..p4: (0 + 1 + 3 + 1) ÷ (4 + 5 + 5 + 2).
    expect(t.suggestionHter).toMatchObject({ n: 4, edits: 5, words: 16 });
    expect(t.suggestionHter!.mean).toBeCloseTo((0 + 0.2 + 0.6 + 0.5) / 4, 12);
    // Timed: p1 10 s/4 w, p2 20/5, p3 30/5, p4 4/2, p5 6/2, p9 12/2 → 82 s over 20 words.
    expect(t.time).toEqual({ seconds: 82, words: 20, paragraphs: 6, secondsPerWord: 4.1 });
  });

  it('per editor: the paragraphs whose decision is theirs', () => {
    expect(report.editors.map((e) => e.key)).toEqual(['ed1', 'ed2']);
    const [ed1, ed2] = report.editors;
    expect(ed1!.decisions).toEqual({ accept: 1, 'accept-partial': 0, edit: 2, reject: 0, keep: 0, total: 3 });
    expect(ed1!.rates).toEqual({ accept: 1 / 3, 'accept-partial': 0, edit: 2 / 3, reject: 0, keep: 0 });
    expect(ed1!.hter).toMatchObject({ edits: 5, words: 11 }); // p1 1/4, p3 3/5, p9 1/2
    expect(ed1!.time).toEqual({ seconds: 52, words: 11, paragraphs: 3, secondsPerWord: 52 / 11 });
    expect(ed2!.decisions).toEqual({ accept: 0, 'accept-partial': 1, edit: 1, reject: 1, keep: 0, total: 3 });
    expect(ed2!.hter).toMatchObject({ edits: 2, words: 10, corpus: 0.2 }); // p2 1/5, p4 0/2, p8 1/3
    // p8 was not timed: only p2 (20 s, 5 words) and p4 (4 s, 2 words) count.
    expect(ed2!.time).toEqual({ seconds: 24, words: 7, paragraphs: 2, secondsPerWord: 24 / 7 });
  });

  it('per engine and per run: decided paragraphs whose decision concerned their suggestions', () => {
    expect(report.engines.map((e) => [e.key, e.decisions.total])).toEqual([['offline · m1', 2], ['openai · gpt', 2]]);
    const [offline, openai] = report.engines;
    expect(offline!.decisions).toMatchObject({ accept: 1, edit: 1 });
    expect(offline!.rates).toMatchObject({ accept: 0.5, edit: 0.5, reject: 0 });
    expect(offline!.suggestionHter!.corpus).toBeCloseTo(3 / 9, 12);
    expect(openai!.decisions).toMatchObject({ 'accept-partial': 1, reject: 1 });
    expect(openai!.suggestionHter!.corpus).toBeCloseTo(2 / 7, 12);
    expect(report.runs).toHaveLength(1);
    expect(report.runs[0]).toMatchObject({ key: 'run-1', detail: 'openai · gpt', decisions: { 'accept-partial': 1, reject: 1, total: 2 } });
    expect(report.runs[0]!.time).toEqual({ seconds: 24, words: 7, paragraphs: 2, secondsPerWord: 24 / 7 });
  });

  it('per article, and the HTER histogram of decided paragraphs in bins of 0.1', () => {
    expect(report.articles).toHaveLength(1);
    expect(report.articles[0]).toMatchObject({ key: 'a1', label: 'Hand-built', paragraphs: 9, decided: 6 });
    // p4 0 · p2 0.2, p1 0.25 · p8 0.33 · p9 0.5 · p3 0.6
    expect(report.histogram.map((b) => b.count)).toEqual([1, 0, 2, 1, 0, 1, 1, 0, 0, 0, 0]);
    expect(report.histogram[10]).toEqual({ from: 1, to: null, count: 0 });
  });
});

describe('metric helpers', () => {
  it('bins HTER values, boundaries opening their bin, ≥ 1 in the last', () => {
    const bins = hterHistogram([0, 0.1, 0.3, 0.999, 1, 1.5, 0.7]);
    expect(bins).toHaveLength(11);
    expect(bins[3]).toEqual({ from: 0.3, to: 0.4, count: 1 });
    expect(bins.map((b) => b.count)).toEqual([1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 2]);
  });

  it('gives mean and corpus HTER', () => {
    expect(hterStat([])).toBeNull();
    expect(hterStat([{ edits: 1, words: 4 }, { edits: 3, words: 1 }, { edits: 0, words: 0 }])).toEqual({ n: 3, edits: 4, words: 5, mean: (0.25 + 3 + 0) / 3, corpus: 0.8 });
  });
});

describe('report diff formatting', () => {
  it('marks deletions and insertions in Markdown, edge spaces outside the marks', () => {
    expect(markdownDiff(diffWords('output of 1000000000 yuan', 'output of 1 billion yuan'))).toBe('output of ~~1000000000~~**1 billion** yuan');
    expect(markdownDiff(diffWords('a b c', 'a c'))).toMatch(/^a ~~b~~ ?c$/);
    expect(markdownDiff(diffWords('x *y*', 'x y'))).toBe('x ~~\\*~~y~~\\*~~');
  });

  it('escapes Markdown and HTML in text', () => {
    expect(mdEscape('<b>bold</b> | 2*3 # x')).toBe('\\<b\\>bold\\</b\\> \\| 2\\*3 # x');
    expect(htmlDiff(diffWords('a <b>', 'a <i>'))).toBe('a &#60;<del>b</del><ins>i</ins>&#62;');
  });
});

describe('review report of the hand-built article', () => {
  const f = fixture();
  const model = buildReport(f.article, f.history, f.suggestions, new Date(AT));

  it('lists changed paragraphs only, deleted and split-made ones included', () => {
    expect(model.paragraphs.map((p) => p.id)).toEqual(['p1', 'p2', 'p3', 'p7', 'p8', 'p9', 'p10']);
    expect(model.summary.decisions.total).toBe(6);
    expect([model.live, model.deleted, model.approved]).toEqual([9, 1, 0]);
  });

  it('writes the metrics, the diff and who changed what', () => {
    const md = reportToMarkdown(model);
    expect(md).toContain('| HTER MT → final | 0.269 (7 word edits ÷ 26 final words) · mean per paragraph 0.235 |');
    expect(md).toContain('| Time | 1 min 22 s over 6 timed paragraphs · 4.10 s per word |');
    expect(md).toContain('> a b ~~c~~**x** d');
    expect(md).toContain('> ~~gone~~');
    expect(md).toContain('> _(deleted)_');
    expect(md).toContain('> _(none: made by a split)_');
    expect(md).toContain('- Decision: edited by ed1');
    expect(md).toMatch(/- ed2: reverted to revision 2 \(revision 4, 2025-03-01 10:00 UTC\)/);
    expect(md).toContain('- Approved by: nobody yet');
    const html = reportToHtml(model);
    expect(html).toContain('a b <del>c</del><ins>x</ins> d');
    expect(html).toContain('<em>(deleted)</em>');
  });
});
