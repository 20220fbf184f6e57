import { describe, expect, it } from 'vitest';
import { magnitudeCheck } from '../../../server/checks/mt/magnitude.js';
import { mtNumbersCheck } from '../../../server/checks/mt/numbers.js';

const run = (mt: string, source?: string) => mtNumbersCheck.run(mt, source, {});

describe('mtNumbersCheck', () => {
  it('flags 亿 read as billion, with the corrected figure and the source span', () => {
    const source = '2014年，全区高新技术产品产值2927亿元，增长12.4%';
    const mt = 'In 2014, output value of 2927 billion yuan, increased by 12.4%';
    const flags = run(mt, source);
    expect(flags).toHaveLength(1);
    const [f] = flags;
    expect(mt.slice(f!.start, f!.end)).toBe('2927 billion yuan');
    expect(f).toMatchObject({ kind: 'number', severity: 'major', check: 'mt-numbers', fix: '292.7 billion yuan' });
    expect(f!.message).toContain('亿 read as billion');
    expect(source.slice(...f!.sourceSpans![0]!)).toBe('2927亿');
  });

  it('flags 万 read as million and says what the source has', () => {
    const flags = run('The population is 33.06 million', '常住人口33.06万人');
    expect(flags.map((f) => [f.message, f.fix])).toEqual([
      ['source: 33.06万 = 330,600; MT: 33.06 million (×100: 万 read as million?)', '330,600'],
    ]);
  });

  it.each<[string, string]>([
    ['坚持九二共识', 'adhere to the 1992 Consensus'],
    ['上世纪90年代', 'in the 1990s'],
    ['上世纪九十年代', 'in the 1990s'],
    ['十二个鸡蛋', 'a dozen eggs'],
    ['一万六七千人', '16,000 to 17,000 people'],
    ['排名第一', 'ranked No. 1'],
    ['走了十英里', 'walked ten miles'],
    ['排名第一', 'ranked first'],
    ['2月9日', 'On February 9'],
    ['三成的人', '30% of people'],
    ['一万六七千人参加', 'About 16,500 people attended'],
    ['产值1.2万亿元', 'output of 1.2 trillion yuan'],
    ['收入可达138亿至143亿新元', 'revenue of S$13.8 to S$14.3 billion'],
    ['尚有500余万的缺口', 'a gap of more than 5 million'],
    ['应对新冠疫情冲击', 'to cope with the impact of COVID-19'],
    ['风险等级为三级', 'the risk level is 3'],
  ])('matches %s with "%s"', (source, mt) => {
    expect(run(mt, source)).toEqual([]);
  });

  it('flags an MT number the source lacks', () => {
    const mt = 'Sales rose 15%';
    const flags = run(mt, '销售额增长25%');
    expect(flags.filter((f) => f.severity === 'major').map((f) => mt.slice(f.start, f.end))).toEqual(['15%']);
  });

  it.each<[string, string, string]>([
    ['失业率降至3.4%', 'unemployment fell to 3.407%', '3.407%'],
    ['基准为3.70 % - 4.20 %', 'benchmarks of 3.70% - 4.27%', '4.27%'],
    ['为近50年来最低', 'the lowest in 44% of cases', '44%'],
    ['超过一百万人参加', 'more than 1.4 million people took part', '1.4 million'],
  ])('flags a figure the source does not support: %s → "%s"', (source, mt, figure) => {
    const flags = run(mt, source).filter((f) => f.severity === 'major');
    expect(flags.map((f) => mt.slice(f.start, f.end))).toEqual([figure]);
  });

  it.each<[string, string]>([
    ['约有1196万人', 'about 12 million people'],
    ['基准为3.70 % - 4.20 %', 'benchmarks of 3.70% - 4.20%'],
    ['100人左右', 'around 100 people'],
    ['30多年历史', 'a history of more than 30 years'],
  ])('accepts rounding and approximations: %s → "%s"', (source, mt) => {
    expect(run(mt, source).filter((f) => f.severity === 'major')).toEqual([]);
  });

  it('marks a non-trivial source number missing from the MT as a minor point at the end', () => {
    const mt = 'Sales rose sharply.';
    const flags = run(mt, '销售额增长25%');
    expect(flags).toMatchObject([{ start: mt.length, end: mt.length, severity: 'minor', sourceSpans: [[5, 8]] }]);
  });

  it('does not report an article 一 as missing', () => {
    expect(run('He held a meeting.', '他召开了一次会议')).toEqual([]);
  });

  it('stays silent on sources that are not Chinese', () => {
    expect(run('Hello 7 times in 2020', 'Привет 5 раз в 2019 году')).toEqual([]);
    expect(run('Hello 7 times', undefined)).toEqual([]);
  });
});

describe('magnitudeCheck', () => {
  const mag = (mt: string, source?: string) => magnitudeCheck.run(mt, source, {});

  it('flags a thousand-plus billion as a misread 亿', () => {
    const mt = 'output value of 2927 billion yuan, up 12.4%';
    const flags = mag(mt);
    expect(flags.map((f) => mt.slice(f.start, f.end))).toEqual(['2927 billion yuan']);
    expect(flags[0]!.message).toBe('"2927 billion yuan" is implausible — 2927亿 would be 292.7 billion yuan');
  });

  it('flags a thousand-plus million as a misread 万', () => {
    expect(mag('a budget of 1500 million dollars')[0]!.message).toContain('1500万 would be 15 million dollars');
  });

  it.each(['1000000000 yuan', '292.7 billion yuan', '1,500 million yuan', '900 billion yuan'])('leaves "%s" alone', (mt) => {
    expect(mag(mt)).toEqual([]);
  });

  it('leaves the work to the numbers check when the source is Chinese', () => {
    expect(mag('2927 billion yuan', '2927亿元')).toEqual([]);
    expect(mag('2927 billion yuan', 'Some English source')).toHaveLength(1);
  });
});
