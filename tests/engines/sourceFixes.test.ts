import { describe, expect, it } from 'vitest';
import type { MtFlag } from '../../server/core/types.js';
import { applySourceFixes } from '../../server/engines/sourceFixes.js';

const text = 'Output reached 2927 billion yuan, up 12% from 33.06 million.';
const numberFix = (start: number, end: number, fix: string): MtFlag => ({ start, end, kind: 'number', severity: 'major', message: '', check: 'mt-numbers', fix });

describe('fixes the source proves', () => {
  it('replaces each fixed number, right to left so offsets stay valid', () => {
    const a = text.indexOf('2927 billion yuan');
    const b = text.indexOf('33.06 million');
    const out = applySourceFixes(text, [numberFix(a, a + 17, '292.7 billion yuan'), numberFix(b, b + 13, '330,600')]);
    expect(out).toBe('Output reached 292.7 billion yuan, up 12% from 330,600.');
  });

  it('applies only number fixes, and nothing without a fix', () => {
    const a = text.indexOf('Output');
    const name: MtFlag = { ...numberFix(a, a + 6, 'Exports'), kind: 'name' };
    const bare: MtFlag = { ...numberFix(a, a + 6, ''), fix: undefined } as MtFlag;
    expect(applySourceFixes(text, [name, bare])).toBe(text);
  });

  it('keeps one of two overlapping fixes and never produces a garbled text', () => {
    const a = text.indexOf('2927');
    const out = applySourceFixes(text, [numberFix(a, a + 12, '292.7 billion'), numberFix(a, a + 17, '292.7 billion yuan')]);
    expect(out).toBe('Output reached 292.7 billion yuan, up 12% from 33.06 million.');
  });
});
