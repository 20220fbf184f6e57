import { describe, expect, it } from 'vitest';
import {
  extractNames,
  extractNumbers,
  extractQuotes,
  findNegations,
  findPhrase,
  normalizeWord,
  sameNumber,
  type NumberFact,
} from '../../server/core/facts.js';

const one = (text: string): NumberFact => {
  const found = extractNumbers(text);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('extractNumbers', () => {
  it.each<[string, string, number, NumberFact['kind'], string?]>([
    ['output value of 1000000000 yuan.', '1000000000 yuan', 1e9, 'money', 'CNY'],
    ['about 1,000,000,000 people', '1,000,000,000', 1e9, 'number'],
    ['some 1 000 000 visitors', '1 000 000', 1e6, 'number'],
    ['grew 3.6 times', '3.6', 3.6, 'number'],
    ['worth 2.5 million', '2.5 million', 2.5e6, 'number'],
    ['3 thousand workers', '3 thousand', 3000, 'number'],
    ['1,000 million', '1,000 million', 1e9, 'number'],
    ['a 1bn fund', '1bn', 1e9, 'number'],
    ['a $5m grant', '$5m', 5e6, 'money', 'USD'],
    ['awarded a US$20 billion deal', 'US$20 billion', 2e10, 'money', 'USD'],
    ['invested RMB 213 million', 'RMB 213 million', 2.13e8, 'money', 'CNY'],
    ['€3bn of bonds', '€3bn', 3e9, 'money', 'EUR'],
    ['£4.5m in fines', '£4.5m', 4.5e6, 'money', 'GBP'],
    ['5 billion Hong Kong dollars', '5 billion Hong Kong dollars', 5e9, 'money', 'HKD'],
    ['产值2927亿元', '2927亿元', 2.927e11, 'money', 'CNY'],
    ['wiped out (RM4,765 million)', 'RM4,765 million', 4.765e9, 'money', 'MYR'],
    ['fined 500 ringgit', '500 ringgit', 500, 'money', 'MYR'],
    ['tickets cost MOP$120', 'MOP$120', 120, 'money', 'MOP'],
    ['a grant of 300 patacas', '300 patacas', 300, 'money', 'MOP'],
    ['up 12.4%.', '12.4%', 12.4, 'percent'],
    ['up 12.4 percent', '12.4 percent', 12.4, 'percent'],
    ['up 12.4 per cent', '12.4 per cent', 12.4, 'percent'],
    ['17% percentage points higher', '17% percentage points', 17, 'percentage-points'],
    ['3 percentage points', '3 percentage points', 3, 'percentage-points'],
    ['in 2014,', '2014', 2014, 'year'],
    ['300 km away', '300 km', 300, 'unit', 'km'],
    ['a 300-kilometre road', '300-kilometre', 300, 'unit', 'km'],
    ['more than 30 years', '30 years', 30, 'unit', 'year'],
    ['it was 20°C', '20°C', 20, 'unit', '°C'],
    ['twenty-five staff', 'twenty-five', 25, 'number'],
    ['two hundred and fifty firms', 'two hundred and fifty', 250, 'number'],
    ['a billion yuan', 'a billion yuan', 1e9, 'money', 'CNY'],
    ['ranking second in the city', 'second', 2, 'ordinal'],
    ['the 21st century', '21st', 21, 'ordinal'],
    ['the 1990s', '1990s', 1990, 'number'],
  ])('%s → %s', (text, expected, value, kind, unit) => {
    const n = one(text);
    expect(text.slice(...n.span)).toBe(expected);
    expect(n.text).toBe(expected);
    expect(n.value).toBeCloseTo(value, 6);
    expect(n.kind).toBe(kind);
    expect(n.unit).toBe(unit);
  });

  it.each([
    ['5G networks'],
    ['the G20 summit'],
    ['a 3D printer'],
    ['a second-hand car is not "a second"'],
  ])('finds no stray numbers in %s', (text) => {
    expect(extractNumbers(text).filter((n) => n.kind !== 'ordinal')).toEqual([]);
  });

  it('reads a seed sentence in order, with spans', () => {
    const text = "In 2014, region's high-tech product output value of 2927 billion yuan, increased by 12.4%, 58.4% of the total; 213000000 yuan, 2 to 3 a week";
    expect(extractNumbers(text).map((n) => [n.text, n.kind])).toEqual([
      ['2014', 'year'], ['2927 billion yuan', 'money'], ['12.4%', 'percent'], ['58.4%', 'percent'],
      ['213000000 yuan', 'money'], ['2', 'number'], ['3', 'number'],
    ]);
  });

  it('marks a bare "one" as weak', () => {
    expect(extractNumbers('one of the closest bases')).toMatchObject([{ value: 1, weak: true }]);
    expect(extractNumbers('one billion yuan')[0]!.weak).toBeUndefined();
  });
});

describe('sameNumber', () => {
  it.each([
    ['1000000000', '1,000,000,000'],
    ['1000000000', '1 billion'],
    ['1 billion', '1,000 million'],
    ['1000000000 yuan', '1 billion yuan'],
    ['1000000000 yuan', 'RMB1 billion'],
    ['1000000000 yuan', 'a billion'],
    ['12.4%', '12.4 percent'],
    ['12.4 per cent', '12.4 pct'],
    ['8560000000 yuan', '8.56 billion yuan'],
    ['2927 billion', '2.927 trillion'],
    ['2014', '2014'],
    ['two', '2'],
    ['the five session', 'the fifth session'],
    ['$20 billion', '20 billion US dollars'],
    ['300 km', '300 kilometres'],
  ])('%s = %s', (a, b) => {
    expect(sameNumber(one(a), one(b))).toBe(true);
  });

  it.each([
    ['2927 billion', '292.7 billion'],
    ['21%', '12%'],
    ['12.4%', '12.4'],
    ['3 percentage points', '3%'],
    ['$20 billion', '20 billion yuan'],
    ['300 km', '300 miles'],
    ['2014', '2015'],
  ])('%s ≠ %s', (a, b) => {
    expect(sameNumber(one(a), one(b))).toBe(false);
  });
});

describe('extractNames', () => {
  const names = (text: string, context: string[] = []) => extractNames(text, context).map((n) => n.text);

  it.each<[string, string[]]>([
    ['Party secretary Tian Fu, mayor Wang Hongbin personally led the investigation.', ['Tian Fu', 'Wang Hongbin']],
    ['Although Baoan District Intelligent wear industry is still young, it grows.', ['Baoan District Intelligent']],
    ['Baoan District Wang Hongbin highly affirmed the approach.', ['Baoan District Wang Hongbin']],
    ['Industry is expected to grow. It is reported that sales rose.', []],
    ['According to reports, at present, China\'s smart wear industry grew.', ['China']],
    ['The mayor of Shenzhen met Mayor Wang Hongbin in April.', ['Shenzhen', 'Wang Hongbin', 'April']],
    ['The Industry Alliance held a meeting in the Technology Park.', []],
    ['Marcos Jr. visited the U.S. and signed a US$20 billion deal.', ['Marcos Jr', 'U.S']],
    ['Seize The Future Of The Industry Now', []],
  ])('%s', (text, expected) => {
    expect(names(text)).toEqual(expected);
  });

  it('counts a sentence-initial word known as a name elsewhere', () => {
    expect(names('Baoan smart wearable industry grew.')).toEqual([]);
    expect(names('Baoan smart wearable industry grew.', ['The industry of Baoan grew.'])).toEqual(['Baoan']);
  });

  it('gives spans, a normalised form and the identifying words', () => {
    const text = "Officials said Baoan District's output rose.";
    const [n] = extractNames(text);
    expect(text.slice(...n!.span)).toBe('Baoan District');
    expect(n!.norm).toBe('baoan district');
    expect(n!.core.map((w) => w.norm)).toEqual(['baoan']);
  });
});

describe('extractQuotes', () => {
  it.each<[string, string[]]>([
    ['He said "we will win" today.', ['we will win']],
    ['He said “we will win” today.', ['we will win']],
    ["the 'Baotuan' approach and China's workers' rights", ['Baotuan']],
    ['the ‘Baotuan’ approach, China’s plan', ['Baotuan']],
    ['他说「我们会赢」。', ['我们会赢']],
    ['as the industry leader ".', []],
    ['"1 + 5" and "seize the future".', ['1 + 5', 'seize the future']],
  ])('%s', (text, expected) => {
    const quotes = extractQuotes(text);
    expect(quotes.map((q) => q.text)).toEqual(expected);
    for (const q of quotes) expect(text.slice(...q.innerSpan)).toBe(q.text);
  });

  it('normalises case, spacing and edge punctuation for comparison', () => {
    const text = '“The  government will Support the industry,” he said.';
    const [a] = extractQuotes(text);
    const [b] = extractQuotes('He said: "the government will support the industry."');
    expect(a!.norm).toBe(b!.norm);
    expect(a!.norm).toBe('the government will support the industry');
    expect(text.slice(...a!.span)).toBe('“The  government will Support the industry,”');
  });
});

describe('findNegations', () => {
  it.each<[string, string[]]>([
    ['The industry has not entered a new stage.', ['not']],
    ["He didn't go and can't stay; they cannot agree.", ['not', 'not', 'not']],
    ['No company has never failed to deny it.', ['no', 'never', 'fail to', 'deny']],
    ['Neither the city nor the district paid.', ['neither']],
    ['Nor did the district pay.', ['nor']],
    ['without support, none of them, nobody and nothing', ['without', 'none', 'nobody', 'nothing']],
    ['The park will not only attract firms but also create jobs.', []],
    ['No. 1 plant, no more than 5 firms, no doubt.', []],
    ['Notably, the notion of a knot is nothing new.', ['nothing']],
  ])('%s', (text, expected) => {
    const found = findNegations(text);
    expect(found.map((n) => n.cue)).toEqual(expected);
    for (const n of found) expect(text.slice(...n.span)).toBe(n.text);
  });
});

describe('word helpers', () => {
  it.each([
    ["Baoan's", 'baoan'],
    ["Bao'an", 'baoan'],
    ['BAOAN', 'baoan'],
    ['Zürich', 'zurich'],
  ])('normalizeWord(%s) = %s', (word, norm) => {
    expect(normalizeWord(word)).toBe(norm);
  });

  it('finds a phrase as whole words whatever the case and spacing', () => {
    expect(findPhrase('in Baoan  district, Shenzhen', 'Baoan District')).toEqual([3, 18]);
    expect(findPhrase('in Baoanxi', 'Baoan')).toBeUndefined();
  });
});
