import { describe, expect, it } from 'vitest';
import { applyGlossary, parseGlossary } from '../../server/core/glossary.js';

const glossary = [
  { term: 'intelligent wear', preferred: 'smart wearable' },
  { term: 'smart wear', preferred: 'smart wearable' },
];

describe('applyGlossary', () => {
  it.each([
    ['the city\'s first intelligent wear industry alliance', 'the city\'s first smart wearable industry alliance'],
    ['Intelligent wear industry is still young', 'Smart wearable industry is still young'],
    ['Shenzhen smart wear chain enterprises', 'Shenzhen smart wearable chain enterprises'],
    ['smart wearable products', 'smart wearable products'],
    ['intelligent   wear', 'smart wearable'],
  ])('%s → %s', (input, output) => {
    expect(applyGlossary(input, glossary)).toBe(output);
  });
});

describe('parseGlossary', () => {
  it('names the bad entry', () => {
    expect(() => parseGlossary([{ term: 'x', preferred: 'y' }, { term: 3 }])).toThrow(/entry 2/);
  });
});
