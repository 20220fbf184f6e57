import { describe, expect, it } from 'vitest';
import { articleState, compareStates, formatPoint, parsePoint, PointError, type ArticleState, type Point } from '../../server/core/articleState.js';
import { diffSummary } from '../../server/core/diff.js';
import type { Article, Paragraph, ParagraphStatus, Revision, RevisionAction, Suggestion } from '../../server/core/types.js';

const T0 = '2025-03-01T09:00:00.000Z';
const T1 = '2025-03-01T10:00:00.000Z';
const T2 = '2025-03-01T11:00:00.000Z';
const T3 = '2025-03-01T12:00:00.000Z';
const T4 = '2025-03-02T08:30:00.000Z';

const para = (id: string, index: number, mt: string, text: string, status: ParagraphStatus, revision: number, kind: Paragraph['kind'] = 'body'): Paragraph =>
  ({ id, index, kind, mt, text, status, revision });

/** p2 was edited then split (p4 is its second half), p3 deleted, p1 (the title) edited last. */
const article: Article = {
  id: 'a1',
  title: 'Title MT',
  createdAt: T0,
  updatedAt: T4,
  contentHash: 'x',
  hasSource: false,
  hasReference: false,
  nextParagraph: 5,
  undo: [],
  paragraphs: [
    para('p1', 0, 'Title MT', 'Title new', 'edited', 2, 'heading'),
    para('p2', 1, 'A b c.', 'A b.', 'edited', 3),
    para('p4', 2, '', 'c d.', 'edited', 1),
    para('p3', 3, 'D e f.', 'D e f.', 'deleted', 2),
  ],
};

const previous = new Map<string, string>();
const rev = (paragraphId: string, n: number, action: RevisionAction, at: string, text: string, status: ParagraphStatus, author = 'alice'): Revision => {
  const before = previous.get(paragraphId) ?? '';
  previous.set(paragraphId, text);
  return { n, paragraphId, action, author, at, text, status, diff: diffSummary(before, text), op: `${paragraphId}-${n}` };
};

const history: Revision[] = [
  rev('p1', 1, 'import', T0, 'Title MT', 'pending', 'import'),
  rev('p2', 1, 'import', T0, 'A b c.', 'pending', 'import'),
  rev('p3', 1, 'import', T0, 'D e f.', 'pending', 'import'),
  rev('p2', 2, 'edit', T1, 'A b c d.', 'edited'),
  rev('p2', 3, 'split', T2, 'A b.', 'edited'),
  rev('p4', 1, 'split-off', T2, 'c d.', 'edited'),
  rev('p3', 2, 'delete', T3, 'D e f.', 'deleted', 'bob'),
  rev('p1', 2, 'edit', T4, 'Title new', 'edited', 'bob'),
];

const suggestion = (id: string, paragraphId: string, text: string, runId?: string): Suggestion => ({
  id, paragraphId, text, engine: 'offline', model: 'v1', basedOn: '', checks: [], createdAt: T1, ...(runId ? { runId } : {}),
});
const suggestions: Suggestion[] = [
  suggestion('s1', 'p2', 'A B c.', 'run-1'),
  suggestion('s2', 'p3', 'D e F.', 'run-1'),
  suggestion('s3', 'p1', 'Title other', undefined),
  suggestion('s4', 'p2', 'A b C.', 'run-2'),
];

const at = (point: string) => articleState(article, history, parsePoint(point), suggestions);
/** id → text of the present paragraphs, in order. */
const texts = (s: ArticleState) => Object.fromEntries(s.paragraphs.filter((p) => p.present).map((p) => [p.paragraphId, p.text]));

describe('articleState', () => {
  it('mt: every paragraph that has an MT, split-off paragraphs absent', () => {
    const s = at('mt');
    expect(s.paragraphs.map((p) => p.paragraphId)).toEqual(['p1', 'p2', 'p4', 'p3']);
    expect(texts(s)).toEqual({ p1: 'Title MT', p2: 'A b c.', p3: 'D e f.' });
    expect(s.paragraphs.find((p) => p.paragraphId === 'p4')).toMatchObject({ present: false, status: 'absent' });
    expect(s.paragraphs[0]).toMatchObject({ kind: 'heading', index: 0 });
  });

  it('current: deleted paragraphs are not present', () => {
    const s = at('current');
    expect(texts(s)).toEqual({ p1: 'Title new', p2: 'A b.', p4: 'c d.' });
    expect(s.paragraphs.find((p) => p.paragraphId === 'p3')).toMatchObject({ present: false, status: 'deleted', revision: 2 });
  });

  it('rev:N replays the first N entries of the whole article', () => {
    expect(texts(at('rev:1'))).toEqual({ p1: 'Title MT' });
    expect(texts(at('rev:3'))).toEqual({ p1: 'Title MT', p2: 'A b c.', p3: 'D e f.' });
    expect(texts(at('rev:4'))).toEqual({ p1: 'Title MT', p2: 'A b c d.', p3: 'D e f.' });
    // The split's first half is entry 5, its second half entry 6.
    expect(texts(at('rev:5'))).toEqual({ p1: 'Title MT', p2: 'A b.', p3: 'D e f.' });
    expect(texts(at('rev:6'))).toEqual({ p1: 'Title MT', p2: 'A b.', p4: 'c d.', p3: 'D e f.' });
    expect(texts(at('rev:7'))).toEqual({ p1: 'Title MT', p2: 'A b.', p4: 'c d.' });
    expect(at('rev:8').paragraphs).toEqual(at('current').paragraphs);
    expect(at('rev:5').paragraphs.find((p) => p.paragraphId === 'p2')).toMatchObject({ revision: 3, status: 'edited' });
  });

  it('rev:N past the end of the history is refused', () => {
    expect(() => at('rev:9')).toThrow(PointError);
    expect(() => at('rev:9')).toThrow(/8 recorded actions/);
  });

  it('at:TIME takes every entry made at or before the time', () => {
    expect(texts(at(`at:${T1}`))).toEqual({ p1: 'Title MT', p2: 'A b c d.', p3: 'D e f.' });
    expect(texts(at('at:2025-03-01T10:59'))).toEqual({ p1: 'Title MT', p2: 'A b c d.', p3: 'D e f.' });
    expect(texts(at('at:2025-03-01T11:00Z'))).toEqual({ p1: 'Title MT', p2: 'A b.', p4: 'c d.', p3: 'D e f.' });
    // 13:00 at +02:00 is 11:00 UTC.
    expect(texts(at('at:2025-03-01T13:00:00+02:00'))).toEqual(texts(at('rev:6')));
    expect(texts(at('at:2025-03-01T08:59:59Z'))).toEqual({});
    expect(texts(at('at:2025-03-03'))).toEqual(texts(at('current')));
  });

  it('run:RUN shows the run\'s suggestions and the MT elsewhere', () => {
    const s = at('run:run-1');
    expect(texts(s)).toEqual({ p1: 'Title MT', p2: 'A B c.', p3: 'D e F.' });
    expect(s.paragraphs.find((p) => p.paragraphId === 'p2')).toMatchObject({ status: 'suggested', suggestionId: 's1' });
    expect(texts(at('run:run-2'))).toEqual({ p1: 'Title MT', p2: 'A b C.', p3: 'D e f.' });
    expect(() => at('run:nope')).toThrow(/made no suggestion/);
  });
});

describe('compareStates', () => {
  it('compares MT with the current text: splits add a paragraph, deletes remove one', () => {
    const c = compareStates(at('mt'), at('current'));
    expect(c.paragraphs.map((p) => [p.paragraphId, p.changed])).toEqual([['p1', true], ['p2', true], ['p4', true], ['p3', true]]);
    const p1 = c.paragraphs[0]!;
    expect(p1).toMatchObject({ a: 'Title MT', b: 'Title new', added: 1, removed: 1, kind: 'heading' });
    expect(p1.diff).toEqual([{ op: 'equal', text: 'Title ' }, { op: 'change', del: 'MT', ins: 'new', span: 0 }]);
    const p4 = c.paragraphs[2]!;
    expect(p4.a).toBeUndefined();
    expect(p4).toMatchObject({ b: 'c d.', aStatus: 'absent', bStatus: 'edited', added: 2, removed: 0 });
    const p3 = c.paragraphs[3]!;
    expect(p3.b).toBeUndefined();
    expect(p3).toMatchObject({ a: 'D e f.', bStatus: 'deleted', added: 0, removed: 3 });
    // p1: +1 −1; p2 "A b c." → "A b.": −1; p4: +2; p3: −3.
    expect(c.summary).toEqual({ paragraphsChanged: 4, paragraphsUnchanged: 0, paragraphsAdded: 1, paragraphsRemoved: 1, wordsAdded: 3, wordsRemoved: 5 });
  });

  it('counts unchanged paragraphs and leaves paragraphs absent on both sides alone', () => {
    const c = compareStates(at('rev:3'), at('rev:4'));
    expect(c.summary).toEqual({ paragraphsChanged: 1, paragraphsUnchanged: 2, paragraphsAdded: 0, paragraphsRemoved: 0, wordsAdded: 1, wordsRemoved: 0 });
    const p4 = c.paragraphs.find((p) => p.paragraphId === 'p4')!;
    expect(p4).toMatchObject({ changed: false, diff: [], added: 0, removed: 0 });
    expect(p4.a).toBeUndefined();
    expect(p4.b).toBeUndefined();
    expect(compareStates(at('current'), at('rev:8')).summary.paragraphsChanged).toBe(0);
  });

  it('compares a run with the current text', () => {
    const c = compareStates(at('run:run-1'), at('current'));
    const p2 = c.paragraphs.find((p) => p.paragraphId === 'p2')!;
    expect(p2).toMatchObject({ a: 'A B c.', b: 'A b.', changed: true });
    expect(c.paragraphs.find((p) => p.paragraphId === 'p3')).toMatchObject({ a: 'D e F.', changed: true, removed: 3 });
  });
});

describe('parsePoint', () => {
  it.each([
    ['mt', { kind: 'mt' }],
    [' current ', { kind: 'current' }],
    ['MT', { kind: 'mt' }],
    ['rev:12', { kind: 'rev', n: 12 }],
    ['run:run-20250101-120000-ab12', { kind: 'run', runId: 'run-20250101-120000-ab12' }],
    ['at:2025-03-01T14:30:00Z', { kind: 'at', at: '2025-03-01T14:30:00.000Z', time: Date.UTC(2025, 2, 1, 14, 30) }],
    ['at:2025-03-01T14:30', { kind: 'at', at: '2025-03-01T14:30:00.000Z', time: Date.UTC(2025, 2, 1, 14, 30) }],
    ['at:2025-03-01 14:30:05.250', { kind: 'at', at: '2025-03-01T14:30:05.250Z', time: Date.UTC(2025, 2, 1, 14, 30, 5, 250) }],
    ['at:2025-03-01T14:30-05:00', { kind: 'at', at: '2025-03-01T19:30:00.000Z', time: Date.UTC(2025, 2, 1, 19, 30) }],
    ['at:2025-03-01', { kind: 'at', at: '2025-03-01T00:00:00.000Z', time: Date.UTC(2025, 2, 1) }],
  ] as Array<[string, Point]>)('reads %j', (text, point) => {
    expect(parsePoint(text)).toEqual(point);
  });

  it.each([
    ['', /empty point/],
    ['latest', /is not a point: use mt, current, rev:N, at:ISO-TIME/],
    ['rev:', /whole number/],
    ['rev:abc', /whole number/],
    ['rev:-1', /whole number/],
    ['rev:0', /1 or more/],
    ['rev:1.5', /whole number/],
    ['at:yesterday', /not a time/],
    ['at:2025-02-30', /not a time/],
    ['at:2025-13-01T10:00Z', /not a time/],
    ['at:2025-03-01T25:00Z', /not a time/],
    ['run:', /run id/],
    ['run:a b', /run id/],
    ['x'.repeat(300), /at most 200/],
  ])('refuses %j', (text, message) => {
    expect(() => parsePoint(text)).toThrow(PointError);
    expect(() => parsePoint(text)).toThrow(message);
  });

  it('formats points back to what it reads', () => {
    for (const s of ['mt', 'current', 'rev:3', 'run:r-1', 'at:2025-03-01T14:30:00.000Z']) expect(formatPoint(parsePoint(s))).toBe(s);
  });
});
