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

  it.each<[string, string]>([
    ['增长百分之三点五', 'up 3.5%'],
    ['营收一点五亿元', 'revenue of 150 million yuan'],
    ['三分之一的人', '33% of people'],
    ['增长19倍', 'up 1,900%'],
    ['入境旅客增长19倍', 'inbound travelers up 19x'],
    ['当地时间17时30分', 'at 5:30 p.m. local time'],
    ['下午三点半', 'at 3:30 pm'],
    ['三点五分', 'at 3:05'],
    ['上世纪五六十年代', 'in the 1950s and 1960s'],
    ['万余人参加', 'more than 10,000 people took part'],
    ['近万人参加', 'nearly 10,000 people took part'],
    ['50万人参加', 'half a million people took part'],
    ['“95后”女生', 'a post-95s girl'],
    ['恢复到2019年新冠疫情前的水平', 'recovered to pre-2019 levels'],
    ['“十四五”规划', 'the 14th Five-Year Plan'],
    ['十几年来', 'for more than 10 years'],
    ['2023-02-11 发布', 'released on February 11, 2023'],
    ['2022年营收增长', 'revenue grew last year'],
    ['新冠疫情', 'the COVID-19 pandemic'],
    ['保护未成年人', 'protecting under-18s'],
    ['土耳其死亡人数为20,665 人', 'the death toll in Turkey was 20,670'],
    ['价格约为一万六七千元', 'about 16,000 to 17,000 yuan'],
    ['400万至600万人次', '4 to 6 million visitors'],
    ['60万到80万之间', 'between 800,000 and 600,000'],
    ['入选十大', 'among the top 10'],
  ])('matches %s with "%s"', (source, mt) => {
    expect(run(mt, source)).toEqual([]);
  });

  it.each<[string, string, string[]]>([
    // A hedged source figure is matched as written, not by anything near it.
    ['政府宣布拨款近5亿新元', 'a grant of nearly S$600 million', ['S$600 million']],
    ['叙利亚死亡人数超过3,500 人', 'in Syria more than 3,550', ['3,550']],
    ['有着30多年历史', 'more than 35 years of history', ['35 years']],
    ['十余年未见', 'not seen for more than 16 years', ['16 years']],
    ['超过一百万人参加，警方预期在60万到80万之间', 'more than one million; police expect between 600,000 and 720,000', ['720,000']],
    // A range is read end by end, in order.
    ['价格大概要一万六七千元左右', 'about 16,020 to 17,000 yuan', ['16,020']],
    ['价格大概要一万六七千元左右', 'about 17,000 to 7,000 yuan', ['17,000', '7,000 yuan']],
    ['预估的400万至600万人次', 'an estimate of 6 to 6 million', ['6']],
    ['《2023-2027年行动计划》', 'the 2023-2020 action plan', ['2020']],
    // Names and generations.
    ['应对新冠疫情冲击', 'the impact of the COVID-89 pandemic', ['89']],
    ['“90后”女生', 'a "post-90,000s" girl', ['90,000s']],
    ['“90后”女生', 'a girl of 90 years', ['90 years']],
    // Dates: a day next to a month name is one of the source's days.
    ['1月31日的首次罢工', 'the first strike on 01 January', ['01']],
    ['2023-02-11 13:09:10 [来源:新华社]', 'February 13, 2023, 13:09:10 [Source: Xinhua]', ['13']],
    ['2023-02-11 13:09:10 [来源:新华社]', '2023-09-11 13:09:10 [Source: Xinhua]', ['09']],
    // Rounding is half up.
    ['土耳其死亡人数为20,665 人', 'the death toll in Turkey was 20,660', ['20,660']],
    ['增长19倍', 'up 29x', ['29x']],
    ['三分之一的人', '43% of people', ['43%']],
    ['当地时间17时30分', 'at 6:30 p.m. local time', ['6']],
    ['上世纪五六十年代', 'in the 1950s and 1970s', ['1970s']],
    ['市值蒸发1100亿美元（约4765亿令吉）', 'wiped out $110 billion (RM4,765 million)', ['RM4,765 million']],
  ])('flags %s → "%s"', (source, mt, figures) => {
    const flags = run(mt, source).filter((f) => f.severity === 'major');
    expect(flags.map((f) => mt.slice(f.start, f.end))).toEqual(figures);
  });

  it.each<[string, string, number]>([
    ['将法定退休年龄从目前的62岁推迟到64岁', 'raising the retirement age from 64 to 64', 'raising the retirement age from '.length],
    [
      '其中新发产品5只、存续产品2只，除1只产品为混合类产品外，其余6只产品',
      'including 5 new products, 2 existing products, except for 6 mixed product, the remaining 6 products',
      'including 5 new products, 2 existing products, except for '.length,
    ],
  ])('flags the repeat that took a source number\'s place: %s', (source, mt, at) => {
    const flags = run(mt, source);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ start: at, severity: 'major' });
    expect(flags[0]!.message).toContain('repeated');
  });

  it('says once that a source number became a wrong MT figure', () => {
    const source = '入境旅客从2021年的33.06万人次增长';
    const mt = 'inbound travelers rose from 336,000 in 2021';
    const flags = run(mt, source);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ severity: 'major', message: 'MT: 336,000 — the source has 33.06万 = 330,600' });
    expect(source.slice(...flags[0]!.sourceSpans![0]!)).toBe('33.06万');
  });

  it('says when per cent stands for percentage points', () => {
    const mt = 'up 0.5 percent';
    expect(run(mt, '提高了0.5个百分点')).toMatchObject([{ severity: 'minor', start: 3, end: mt.length }]);
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
