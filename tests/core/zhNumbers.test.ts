import { describe, expect, it } from 'vitest';
import { extractZhNumbers, parseZhNumeral } from '../../server/core/zhNumbers.js';

/**
 * Each number as [text, kind, its readings of that kind]: a value, "min-max" for a vague range,
 * values joined by "|" for the ends of a range; "~" before an approximate number (约, 多, 左右).
 */
const read = (text: string) =>
  extractZhNumbers(text).map((n) => {
    const values = n.readings.filter((r) => r.kind === n.kind).map((r) => (r.min === r.max ? r.min : `${r.min}-${r.max}`));
    const shown = values.length === 1 && !n.approximate ? values[0]! : `${n.approximate ? '~' : ''}${values.join('|')}`;
    return [n.text, n.kind, shown];
  });

describe('extractZhNumbers', () => {
  it.each<[string, Array<[string, string, number | string]>]>([
    ['产值2927亿元', [['2927亿', 'number', 292_700_000_000]]],
    ['33.06万人', [['33.06万', 'number', 330_600]]],
    ['1.2万亿元', [['1.2万亿', 'number', 1_200_000_000_000]]],
    ['共1,234人', [['1,234', 'number', 1234]]],
    ['增长２０％', [['２０％', 'percent', 20]]],
    ['增长12.4%', [['12.4%', 'percent', 12.4]]],
    ['百分之五十', [['百分之五十', 'percent', 50]]],
    ['三成的人', [['三成', 'percent', 30]]],
    ['提高1.5个百分点', [['1.5个百分点', 'points', 1.5]]],
    ['翻了两倍', [['两倍', 'multiple', 2]]],
    ['一百二十三', [['一百二十三', 'number', 123]]],
    ['三千五百万', [['三千五百万', 'number', 35_000_000]]],
    ['一万六七千人', [['一万六七千', 'number', '16000|17000|16500']]],
    ['三四个人', [['三四', 'number', '3|4|3.5']]],
    ['十几年', [['十几', 'number', '10-19']]],
    ['3-5年', [['3-5', 'number', '3|5']]],
    ['3至5个', [['3至5', 'number', '3|5']]],
    ['300多人', [['300多', 'number', '~300']]],
    ['十多年', [['十多', 'number', '~10']]],
    ['三十多万人', [['三十多万', 'number', '~300000']]],
    ['约100人', [['100', 'number', '~100']]],
    ['100人左右', [['100人左右', 'number', '~100']]],
    ['增长3.70 %', [['3.70 %', 'percent', 3.7]]],
    ['2023年', [['2023年', 'year', 2023]]],
    ['二〇二三年', [['二〇二三年', 'year', 2023]]],
    ['90年代', [['90年代', 'decade', '90|1990']]],
    ['2月3日', [['2月', 'month', 2], ['3日', 'day', 3]]],
    ['第一次', [['第一', 'ordinal', 1]]],
    ['十英里', [['十', 'number', 10]]],
    ['3千人', [['3千', 'number', 3000]]],
    ['5千米', [['5', 'number', 5]]],
    ['百人考察团', [['百', 'number', 100]]],
    ['尚有500余万', [['500余万', 'number', '~5000000']]],
    ['近5亿新元', [['5亿', 'number', '~500000000']]],
    ['超过3,500人', [['3,500', 'number', '~3500']]],
    ['9万到12万人', [['9万到12万', 'number', '90000|120000']]],
    ['2023-2027年', [['2023-2027年', 'year', '2023|2027']]],
    ['增长百分之三点五', [['百分之三点五', 'percent', 3.5]]],
    ['一点五亿元', [['一点五亿', 'number', 150_000_000]]],
    ['零点五个百分点', [['零点五个百分点', 'points', 0.5]]],
    ['七点八级地震', [['七点八', 'number', 7.8]]],
    ['三分之一的人', [['三分之一', 'fraction', 1 / 3]]],
    ['千分之五', [['千分之五', 'percent', 0.5]]],
    ['2023-02-11 13:09', [['2023', 'year', 2023], ['02', 'month', 2], ['11', 'day', 11], ['13', 'number', 13], ['09', 'number', 9]]],
    ['2023.2.11', [['2023', 'year', 2023], ['2', 'month', 2], ['11', 'day', 11]]],
    ['万余人', [['万余', 'number', '~10000']]],
    ['近万人', [['万', 'number', '~10000']]],
    ['“90后”女生', [['90后', 'decade', '90|1990']]],
    ['00后', [['00后', 'decade', '0|1900|2000']]],
    ['五六十年代', [['五六十年代', 'decade', '50|60|1950|1960']]],
    ['“十四五”规划', [['十四五', 'ordinal', 14]]],
    ['十四五个人', [['十四五', 'number', '14|15|14.5']]],
    ['下午三点半', [['三', 'number', 3], ['半', 'number', 30]]],
    ['三点五分', [['三', 'number', 3], ['五分', 'number', 5]]],
    ['十大', [['十', 'number', 10]]],
  ])('%s', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  it('reads 九二 in 九二共识 as the year 1992 too', () => {
    const [n] = extractZhNumbers('坚持九二共识');
    expect(n!.readings.some((r) => r.kind === 'year' && r.min === 1992)).toBe(true);
  });

  it.each<[string, number[]]>([
    ['17时30分', [17, 5]],
    ['十七时', [17, 5]],
    ['零时', [0, 12]],
    ['增长19倍', [19, 1900]],
    ['三分之一', [0.333333, 33.333333]],
  ])('reads %s also the way English writes it', (text, values) => {
    expect(extractZhNumbers(text)[0]!.readings.map((r) => Number(r.min.toFixed(6)))).toEqual(values);
  });

  it('gives UTF-16 spans into the original text', () => {
    const text = '全区产值2927亿元';
    const [n] = extractZhNumbers(text);
    expect(text.slice(...n!.span)).toBe('2927亿');
  });

  it.each(['一些人', '一起去', '一样', '统一', '万一', '一直', '一定', '一般', '唯一', '十分重要', '千万不要', '百分之', '周三一度急挫', '成为第', '一点一滴'])('%s is not a number', (text) => {
    expect(read(text).filter(([, kind]) => kind !== 'ordinal')).toEqual([]);
  });
});

describe('parseZhNumeral', () => {
  it.each<[string, [number, number] | undefined]>([
    ['十', [10, 10]],
    ['二十五', [25, 25]],
    ['一万零五', [10005, 10005]],
    ['两亿三千万', [230_000_000, 230_000_000]],
    ['一万六', [16000, 16000]],
    ['三千五', [3500, 3500]],
    ['一百零五', [105, 105]],
    ['两千零二十三', [2023, 2023]],
    ['万一', undefined],
    ['十几', [10, 19]],
    ['二十几', [20, 29]],
    ['几十', [10, 90]],
  ])('%s', (run, expected) => {
    expect(parseZhNumeral(run)).toEqual(expected);
  });
});
