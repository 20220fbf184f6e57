import { describe, expect, it } from 'vitest';
import { OFFLINE_VERSION, OfflineEngine, readableNumber, readableNumbers } from '../../server/engines/offline.js';
import type { SuggestRequest } from '../../server/engines/types.js';

const engine = new OfflineEngine();
const glossary = [{ term: 'intelligent wear', preferred: 'smart wearable' }];

function request(text: string): SuggestRequest {
  return { paragraphId: 'p1', text, kind: 'body', level: 'minimal', context: { title: 'T', glossary } };
}

async function suggest(text: string): Promise<string> {
  return (await engine.suggest(request(text))).text;
}

describe('offline engine', () => {
  it.each([
    ['Baoan smart wearable industry annual output value of 1000000000 yuan.', 'Baoan smart wearable industry annual output value of 1 billion yuan.'],
    ['the government invested 213000000 yuan', 'the government invested 213 million yuan'],
    ['research and development investment 8560000000 yuan', 'research and development investment 8.56 billion yuan'],
    ['Total patent applications over 14000, ranking second', 'Total patent applications over 14,000, ranking second'],
    ['the the alliance', 'the alliance'],
    ['first intelligent wear industry alliance', 'first smart wearable industry alliance'],
    ['a leader ".', 'a leader.'],
    ['spaces  ,  everywhere', 'spaces, everywhere'],
  ])('cleans %s', async (input, output) => {
    expect(await suggest(input)).toBe(output);
  });

  it.each([
    'In 2014, region\'s high-tech product output value of 2927 billion yuan, increased by 12.4%, 58.4% of the total.',
    'an increase of 19.4, 17% percentage points higher than the city.',
    'Party secretary Tian Fu, mayor Wang Hongbin personally led the investigation.',
    'Baoan has 2 to 3 a week or a new company.',
    'Price 1,234,567 yuan and 3.14159 and 1234567.5 units.',
    'Call 12345678901234567890 now.',
    'Wang Wang Hongbin and Tian Tian.',
  ])('never changes a number value or a name: %s', async (input) => {
    const out = await suggest(input);
    const digits = (s: string) => (s.match(/\d+(?:[.,]\d+)*/g) ?? []).join(' ');
    const names = (s: string) => (s.match(/\b\p{Lu}\p{Ll}+\b/gu) ?? []).join(' ');
    expect(digits(out)).toBe(digits(input));
    expect(names(out)).toBe(names(input));
  });

  // Edits that moved MT away from human post-edits (MLQE-PE ru-en, ro-en): each is left alone now.
  it.each([
    ['a closing quote after the full stop, its quotation opened in an earlier sentence', 'He may be blocked for up to 24 hours. "'],
    ['a site name written with a dot', 'Kasparov.Ru published the text of our joint memorandum.'],
    ['an address', 'See www.news.Example for details.'],
    ['a number in a text with decimal commas', 'More than 31000 pupils study there, 85,7% of them in Romanian.'],
    ['a standard number', 'The plant is certified to ISO 14001 and GB 50016.'],
    ['a serial number', 'The decree No. 12345 was signed on Monday.'],
    ['"had had"', 'She had had enough of the talks.'],
    ['"that that"', 'He said that that was the only way.'],
  ])('leaves %s alone', async (_label, input) => {
    expect(await suggest(input)).toBe(input);
  });

  it('still splits sentences glued by a full stop and groups plain quantities', async () => {
    expect(await suggest('The park opened in April.The alliance was set up later.')).toBe('The park opened in April. The alliance was set up later.');
    expect(readableNumbers('more than 31000 pupils, 12.8% in Russian')).toBe('more than 31,000 pupils, 12.8% in Russian');
  });

  it.each([
    ['Intelligent wears are popular.', 'Smart wearables are popular.'],
    ["the intelligent wear's maker", "the smart wearable's maker"],
    ['intelligent wears’ makers', 'smart wearables’ makers'],
  ])('keeps the plural and possessive when it applies the glossary: %s', async (input, output) => {
    expect(await suggest(input)).toBe(output);
  });

  it('inflects the preferred wording as English does', async () => {
    const cities = [{ term: 'wisdom city', preferred: 'smart city' }, { term: 'science park', preferred: 'tech campus' }];
    const out = await engine.suggest({ ...request('Wisdom cities and science parks grew.'), context: { title: 'T', glossary: cities } });
    expect(out.text).toBe('Smart cities and tech campuses grew.');
  });

  it('writes numbers readably only when the value stays exact', () => {
    expect(readableNumber('1000000000')).toBe('1 billion');
    expect(readableNumber('1234567')).toBe('1,234,567');
  });

  it('says on every page that it is the offline engine', () => {
    expect(engine.describe()).toMatch(/offline cleanup — set OPENAI_API_KEY or OPENAI_BASE_URL/);
  });
});

describe('offline engine with the grammar pass', () => {
  it('applies the safe Harper fixes after its own cleanup', async () => {
    const { safeFixes } = await import('../../server/checks/grammar.js');
    const polished = new OfflineEngine({ polish: safeFixes });
    expect(polished.model).toBe(`${OFFLINE_VERSION}+grammar`);
    const out = await polished.suggest(request('Baoan has a  industry of 1000000000 yuan , and it it grows.'));
    expect(out.text).toContain('1 billion yuan,');
    expect(out.text).toContain('Baoan');
    expect(out.text).not.toMatch(/\bit it\b/);
  }, 20000);

  // That Harper answers the same on its worker thread as in-process: tests/checks/grammarWorker.test.ts.
  it('is what engineFromEnv gives without an LLM, with Harper on its worker thread', async () => {
    const { engineFromEnv } = await import('../../server/engines/index.js');
    const { grammarRunsOffThread } = await import('../../server/checks/grammar.js');
    const app = engineFromEnv({});
    expect(app.model).toBe(`${OFFLINE_VERSION}+grammar`);
    const cases: Array<[string, string]> = [
      // Its own cleanup (spaces, the number) and Harper's ("were", the doubled "the").
      ['We was there in Baoan  with 200 enterprises , and the the output reached 1000000000 yuan.', 'We were there in Baoan with 200 enterprises, and the output reached 1 billion yuan.'],
      // Harper's "an" and the glossary's preferred term.
      ['Tian Fu said it was a important step for intelligent wear.', 'Tian Fu said it was an important step for smart wearable.'],
    ];
    for (const [text, expected] of cases) expect((await app.suggest(request(text))).text).toBe(expected);
    expect(grammarRunsOffThread()).toBe(true);
  }, 30000);
});

describe('inline codes (⟦n⟧, ⟦/n⟧) are never touched', () => {
  const ask = (engine: OfflineEngine, text: string, glossary: Array<{ term: string; preferred: string }> = []) =>
    engine.suggest({ paragraphId: 'p1', text, kind: 'body', level: 'minimal', context: { title: 'T', glossary } });

  it('cleans up around them and keeps each in place, even against rules that would match their digits', async () => {
    const engine = new OfflineEngine();
    const text = 'Version ⟦1⟧  is out ,see ⟦2⟧the the notes⟦/2⟧ for 12000000 users ⟦3⟧ .';
    const out = (await ask(engine, text, [{ term: '1', preferred: 'one' }, { term: '2', preferred: 'two' }])).text;
    expect(out).toBe('Version ⟦1⟧ is out, see ⟦2⟧the notes⟦/2⟧ for 12 million users ⟦3⟧.');
  });

  it('gives back the codes as they came even when a later pass would lose one', async () => {
    const dropping = new OfflineEngine({ polish: async (t) => t.replace(/[\u{F0000}-\u{FFFFD}]/gu, '') });
    expect((await ask(dropping, 'Click ⟦1⟧here⟦/1⟧  now.')).text).toBe('Click ⟦1⟧here⟦/1⟧ now.');
  });
});
