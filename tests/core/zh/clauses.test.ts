import { describe, expect, it } from 'vitest';
import { splitZhClauses } from '../../../server/core/zh/clauses.js';

const texts = (s: string): string[] => splitZhClauses(s).map((c) => c.text);

describe('splitZhClauses', () => {
  it.each([
    ['欧盟峰会为难民政策争论，欧盟官员：接收过程步步瓶颈', ['欧盟峰会为难民政策争论', '欧盟官员', '接收过程步步瓶颈']],
    ['他说；我们走吧！好吗？', ['他说', '我们走吧', '好吗']],
    ['苹果、香蕉和梨。', ['苹果', '香蕉和梨']],
    ['他说：“我们会来，也会走。”然后离开了', ['他说', '我们会来', '也会走', '然后离开了']],
    ['中新网（记者，张三）报道，今天下雨', ['中新网（记者，张三）报道', '今天下雨']],
    ['《我们，他们》上映了，很好看', ['《我们，他们》上映了', '很好看']],
    ['收入达3,000元，增长12:30', ['收入达3,000元', '增长12:30']],
    ['', []],
    ['，。', []],
  ])('%s', (text, expected) => {
    expect(texts(text)).toEqual(expected);
  });

  it('gives spans into the text', () => {
    const text = '他说：“我们会来，也会走。”';
    for (const c of splitZhClauses(text)) expect(text.slice(c.start, c.end)).toBe(c.text);
  });
});
