import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alignCompanion, detectLayout, segmentArticle, segmentText, SegmentationError } from '../../server/core/segment.js';

const seed = readFileSync(new URL('../../corpus/baoan-smart-wearables.en.txt', import.meta.url), 'utf8');

describe('segmentArticle on the seed article', () => {
  const article = segmentArticle(seed, 'text', 'fallback');

  it('reads the seed as one paragraph per line despite its blank line', () => {
    expect(article.layout).toBe('lines');
    expect(article.segments).toHaveLength(seed.split('\n').filter((l) => l.trim()).length);
  });

  it('keeps each line verbatim as the MT of a paragraph', () => {
    expect(article.segments[3]!.text).toBe('Baoan smart wearable industry annual output value of 1000000000 yuan.');
  });

  it('marks short lines without final punctuation as headings', () => {
    const headings = article.segments.filter((s) => s.kind === 'heading').map((s) => s.text);
    expect(headings).toEqual([
      'Show News',
      'Established the first smart wearable industry technology innovation alliance in Baoan, Shenzhen',
      'Smart wearable Industrial Park opened in April is expected to',
      'Seize the future Baoan do well',
    ]);
  });

  it('takes the first real heading as title, skipping the two-word "Show News"', () => {
    expect(article.title).toBe('Established the first smart wearable industry technology innovation alliance in Baoan, Shenzhen');
  });
});

describe('segmentText', () => {
  it('joins hard-wrapped lines of blank-line separated paragraphs', () => {
    const text = 'First line of one\nparagraph that wraps.\n\nSecond paragraph,\nalso wrapped.\n';
    expect(detectLayout(text)).toBe('blocks');
    expect(segmentText(text).segments.map((s) => s.text)).toEqual([
      'First line of one paragraph that wraps.',
      'Second paragraph, also wrapped.',
    ]);
  });

  it('reads Markdown headings and strips their marks', () => {
    const md = '# Big title here\n\nSome body text that ends.\n\n## A subheading\n\nMore text.';
    const { segments } = segmentText(md, 'markdown');
    expect(segments).toEqual([
      { kind: 'heading', text: 'Big title here' },
      { kind: 'body', text: 'Some body text that ends.' },
      { kind: 'heading', text: 'A subheading' },
      { kind: 'body', text: 'More text.' },
    ]);
  });

  it('normalises Windows line ends and a byte-order mark', () => {
    expect(segmentText('\uFEFFOne line.\r\nTwo line.\r\n').segments.map((s) => s.text)).toEqual(['One line.', 'Two line.']);
  });

  it('refuses text with NUL bytes', () => {
    expect(() => segmentText('a\u0000b')).toThrow(SegmentationError);
  });

  it('finds no paragraph in an empty or blank text', () => {
    expect(segmentText('').segments).toEqual([]);
    expect(segmentText('  \n\n \n').segments).toEqual([]);
  });
});

describe('alignCompanion', () => {
  it('aligns a source text line by line', () => {
    expect(alignCompanion('甲\n乙\n', 'lines', 2, 'source text')).toEqual(['甲', '乙']);
  });

  it('refuses a count mismatch with a message naming both counts', () => {
    expect(() => alignCompanion('甲\n乙\n丙', 'lines', 2, 'source text')).toThrow(/source text has 3 paragraphs but the MT has 2/);
  });
});
