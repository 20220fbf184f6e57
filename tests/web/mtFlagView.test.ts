import { describe, expect, it } from 'vitest';
import type { MtFlag } from '../../server/core/types.js';
import { mtPieces, sourcePieces } from '../../server/web/mtFlagView.js';

const mt = 'US and Fiji reach defense consensus';
const source = '美日菲达成防卫共识';
const fiji: MtFlag = { start: 7, end: 11, kind: 'name', severity: 'major', message: '"Fiji" is not in the source', check: 'mt-names', sourceSpans: [[2, 3]] };
const missing: MtFlag = { start: 11, end: 11, kind: 'name', severity: 'minor', message: 'source: 日 = Japan', check: 'mt-names', sourceSpans: [[1, 2]] };

describe('the MT cut at its flags', () => {
  it('marks the flagged span and keeps the rest as plain text, losing no character', () => {
    const pieces = mtPieces(mt, [fiji]);
    expect(pieces.map((p) => p.text).join('')).toBe(mt);
    const marked = pieces.filter((p) => p.flags.length);
    expect(marked).toEqual([{ text: 'Fiji', flags: [0], severity: 'major' }]);
  });

  it('shows a point flag as an empty piece at its place', () => {
    const pieces = mtPieces(mt, [fiji, missing]);
    expect(pieces.map((p) => p.text).join('')).toBe(mt);
    const at = pieces.findIndex((p) => p.point);
    expect(pieces[at]).toMatchObject({ text: '', flags: [1], point: true, severity: 'minor' });
    expect(pieces[at - 1]!.text).toBe('Fiji');
  });

  it('gives overlapping flags to the overlap, the worst severity winning', () => {
    const wide: MtFlag = { ...missing, start: 0, end: 11, message: 'wide' };
    const pieces = mtPieces(mt, [wide, fiji]);
    expect(pieces.find((p) => p.text === 'Fiji')).toMatchObject({ flags: [0, 1], severity: 'major' });
    expect(pieces.find((p) => p.text === 'US and ')).toMatchObject({ flags: [0], severity: 'minor' });
  });

  it('ignores spans outside the text instead of throwing', () => {
    const bad: MtFlag = { ...fiji, start: 90, end: 99 };
    expect(mtPieces(mt, [bad]).map((p) => p.text).join('')).toBe(mt);
  });

  it('cuts the source at the flags\u2019 counterparts', () => {
    const pieces = sourcePieces(source, [fiji, missing]);
    expect(pieces.map((p) => p.text).join('')).toBe(source);
    expect(pieces.filter((p) => p.flags.length).map((p) => [p.text, p.flags])).toEqual([['日', [1]], ['菲', [0]]]);
  });
});
