import { describe, expect, it } from 'vitest';
import { glossStems, rootOf, stemOf } from '../../../server/core/zh/glosses.js';

describe('stemOf', () => {
  it.each([
    ['women', 'woman'],
    ['paid', 'pay'],
    ['biggest', 'big'],
    ['happiest', 'happ'],
    ['interest', 'interest'],
    ['protests', 'protest'],
  ])('stems %s as %s', (word, stem) => {
    expect(stemOf(word)).toBe(stem);
  });
});

describe('rootOf', () => {
  it.each([
    ['payment', 'pay'],
    ['attendance', 'attend'],
    ['implantation', 'implant'],
    ['development', 'develop'],
  ])('finds the root of %s', (word, root) => {
    expect(rootOf(stemOf(word))).toBe(root);
  });

  it('leaves words without a derivational ending alone', () => {
    expect(rootOf(stemOf('limit'))).toBeUndefined();
    expect(rootOf(stemOf('nation'))).toBeUndefined();
  });
});

describe('glossStems', () => {
  it('keeps the content words of glosses, stemmed', () => {
    expect([...glossStems(['to carry forward', 'to push on (sth)', 'women'])]).toEqual(['carr', 'forward', 'push', 'woman']);
  });
});
