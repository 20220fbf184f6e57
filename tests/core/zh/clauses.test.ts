import { describe, expect, it } from 'vitest';
import { newsFurniture, splitZhClauses } from '../../../server/core/zh/clauses.js';

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

describe('newsFurniture', () => {
  const furniture = (text: string) => newsFurniture(text).map((f) => text.slice(f.start, f.end));

  it.each<[string, string[]]>([
    ['首批个人养老金理财产品开售-中新网', ['-中新网']],
    ['习近平回信勉励医疗队队员- 滚动新闻- 湖南日报网- 华声在线', ['- 滚动新闻- 湖南日报网- 华声在线']],
    ['新华社北京2月11日电题：推进中国式现代化是一个系统工程', ['新华社北京2月11日电题：']],
    ['央视网消息：种植牙是很多缺牙患者的理想选择', ['央视网消息：']],
    ['扬子晚报讯(记者马祚波)记者10日在采访中发现', ['扬子晚报讯', '(记者马祚波)']],
    ['【环球时报驻比利时特派记者牛瑞飞】据法新社2月10日报道', ['【环球时报驻比利时特派记者牛瑞飞】']],
    ['（综合11日电）新加坡旅游局近日公布', ['（综合11日电）']],
    ['越通社河内——越通社特派记者报道', ['越通社河内——']],
    ['中新财经记者夏宾', ['中新财经记者夏宾']],
    ['2023-02-11 13:09:10 [来源:新华社] [责编:李絮枫] 字体:【大中小】', ['2023-02-11 13:09:10', '[来源:新华社]', '[责编:李絮枫]', '字体:【大中小】']],
  ])('finds the furniture of %s', (text, expected) => {
    expect(furniture(text)).toEqual(expected);
  });

  it.each<[string]>([['报道引述中国天目新闻消息指，精子库印有宣传海报'], ['系统工程——四论深刻领会重要讲话'], ['中国电商行业涌现新变量，带货如何做到内容为王']])('finds none in %s', (text) => {
    expect(furniture(text)).toEqual([]);
  });
});
