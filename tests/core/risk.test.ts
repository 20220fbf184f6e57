import { describe, expect, it } from 'vitest';
import { LIKELY_FINE, paragraphRisk, riskBand } from '../../server/core/risk.js';
import type { MtFlag } from '../../server/core/types.js';

const flag = (kind: MtFlag['kind'], severity: MtFlag['severity']): MtFlag => ({ start: 0, end: 1, kind, severity, message: '', check: 'x' });

describe('paragraph risk from MT flags', () => {
  it('is 0 without flags and stays in [0, 1] however many there are', () => {
    expect(paragraphRisk([])).toBe(0);
    const many = Array.from({ length: 50 }, () => flag('number', 'major'));
    expect(paragraphRisk(many)).toBeLessThanOrEqual(1);
    expect(paragraphRisk(many)).toBeGreaterThan(0.99);
  });

  it('puts one major accuracy flag above any single minor one, and makes it "high"', () => {
    const major = paragraphRisk([flag('number', 'major')]);
    const minor = paragraphRisk([flag('number', 'minor')]);
    expect(major).toBeGreaterThan(minor);
    expect(riskBand(major)).toBe('high');
    expect(riskBand(paragraphRisk([flag('name', 'major')]))).toBe('high');
  });

  it('keeps a paragraph with one minor flag "likely fine", and two minors not', () => {
    expect(paragraphRisk([flag('length', 'minor')])).toBeLessThan(LIKELY_FINE);
    expect(riskBand(paragraphRisk([flag('length', 'minor')]))).toBe('fine');
    expect(paragraphRisk([flag('length', 'minor'), flag('number', 'minor')])).toBeGreaterThanOrEqual(LIKELY_FINE);
  });

  it('grows with every further flag', () => {
    const one = paragraphRisk([flag('omission', 'major')]);
    const two = paragraphRisk([flag('omission', 'major'), flag('term', 'minor')]);
    expect(two).toBeGreaterThan(one);
  });
});
