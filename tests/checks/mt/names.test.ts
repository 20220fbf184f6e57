import { describe, expect, it } from 'vitest';
import { mtNamesCheck } from '../../../server/checks/mt/names.js';
import type { MtFlag } from '../../../server/core/types.js';

const run = (mt: string, source?: string): MtFlag[] => mtNamesCheck.run(mt, source, {});
const majors = (mt: string, source: string) => run(mt, source).filter((f) => f.severity === 'major').map((f) => mt.slice(f.start, f.end));
const minors = (mt: string, source: string) => run(mt, source).filter((f) => f.severity === 'minor');

describe('mtNamesCheck: MT names the source does not have', () => {
  it('flags "Fiji" for 美日菲 (US, Japan, Philippines) and says what the source names', () => {
    const source = '同抗中共 美日菲达成防卫共识';
    const mt = 'US and Fiji reach defense consensus against Communist China';
    const flags = run(mt, source).filter((f) => f.severity === 'major');
    expect(flags).toHaveLength(1);
    const [fiji] = flags;
    expect(mt.slice(fiji!.start, fiji!.end)).toBe('Fiji');
    expect(fiji!.kind).toBe('name');
    expect(fiji!.check).toBe('mt-names');
    expect(fiji!.message).toBe('"Fiji" is not in the source (source: 美日菲 = US, Japan, Philippines)');
    expect(fiji!.sourceSpans).toEqual([[5, 8]]);
  });

  it.each<[string, string, string]>([
    ['a swapped country', '中国外交部长会见了日本代表团。', 'The Chinese foreign minister met a delegation from Brazil.'],
    ['a swapped city', '记者从南京获悉，楼市出现新变化。', 'Reporters learned in Chongqing that the property market has changed.'],
    ['a romanised person the source does not name', '外交部长宋涛会见记者。', 'Foreign Minister Li Qiang met reporters.'],
    ['a dictionary person the source does not name', '与首相岸田文雄会谈。', 'held talks with Prime Minister Shinzo Abe.'],
    ['a swapped city in an exchange\'s name', '北交所发布公告。', 'The Tianjin Stock Exchange issued an announcement.'],
    ['a swapped place beside words a made-up word (中有) could begin', '北京青年报记者看到，5只新发产品中有4只来自工银理财。', 'The reporter of Taiwan Youth Daily saw that 4 of the 5 new products came from ICBC Wealth Management.'],
  ])('flags %s', (_, source, mt) => {
    expect(majors(mt, source)).toHaveLength(1);
  });

  it.each<[string, string, string]>([
    ['country abbreviations', '美日菲达成防卫共识', 'The US, Japan and the Philippines reach a defence consensus'],
    ['abbreviations inside a compound', '中日韩合作取得进展', 'China-Japan-South Korea cooperation has progressed'],
    ['aliases of the United States', '美国劳工部公布数据', 'The U.S. Department of Labor released data; America is watching'],
    ['demonyms', '菲律宾总统访问中国', 'The Philippine president visited Chinese officials'],
    ['a demonym no suffix rule reaches', '法国工会再次动员', 'French unions mobilise again'],
    ['a demonym by its consonants', '西班牙专家表示', 'A Spanish expert said'],
    ['pinyin for a person outside the dictionary', '外交部长宋涛会见记者', 'Foreign Minister Song Tao met reporters'],
    ['pinyin written as one word', '外交部长宋涛会见记者', 'Foreign Minister Songtao met reporters'],
    ['a Latin-script name copied in the source', '菲律宾总统小马科斯（Bongbong Marcos）造访日本', 'Philippine President Bongbong Marcos visited Japan'],
    ['a province the dictionary calls "Guangdong Province"', '来自广东的女生', 'a girl from Guangdong'],
    ['"our country" written as China', '我国基金投资者超过7.2亿人', 'China has more than 720 million fund investors'],
    ['an acronym of an organisation the source spells out', '中国农业银行推出新产品', 'ABC launched a new product'],
    ['a Korean name romanised its own way (朴振 = Park Jin: "Jin" is no Jin dynasty here)', '韩国外长朴振抵达北京。', 'South Korean Foreign Minister Park Jin arrived in Beijing.'],
    ['the cities stock exchanges are abbreviated by (北交所, 深交所, 上交所)', '北交所、深交所和上交所发布公告。', 'The Beijing, Shenzhen and Shanghai stock exchanges issued announcements.'],
  ])('accepts %s', (_, source, mt) => {
    expect(majors(mt, source)).toEqual([]);
  });

  it.each<[string, string, string, string]>([
    ['a demonym built on the wrong country', '越南政府总理访问新加坡。', 'The Thailandese Prime Minister visited Singapore.', 'Thailandese'],
    ['a news site named after a country the source does not name', '中新网2月11日电题：中国电商行业涌现新变量', 'Ukrainenews.com, February 11: new variables in China\'s e-commerce industry', 'Ukrainenews.com'],
  ])('flags %s', (_, source, mt, flagged) => {
    expect(majors(mt, source)).toEqual([flagged]);
  });

  it.each<[string, string, string]>([
    ['the place adjective of a country the source names', '越南政府总理访问新加坡。', 'The Vietnamese Prime Minister visited Singapore.'],
    ['a news site named after the source\'s site', '中新网2月11日电题：中国电商行业涌现新变量', 'Chinanews.com, February 11: new variables in China\'s e-commerce industry'],
    ['"domestic" (国内) written as China', '截至2022年底，国内共有公募基金管理人156家。', 'By the end of 2022, there were 156 public fund managers in China.'],
  ])('accepts %s', (_, source, mt) => {
    expect(majors(mt, source)).toEqual([]);
  });

  it('never flags titles, months, weekdays or "Communist" as names missing from the source', () => {
    const source = '2月9日周四，中共中央总书记会见了外交部长。';
    const mt = 'On Thursday, February 9, the General Secretary of the Communist Party Central Committee met the Foreign Minister.';
    expect(majors(mt, source)).toEqual([]);
  });

  it('needs a source', () => {
    expect(run('US and Fiji reach defense consensus', undefined)).toEqual([]);
    expect(run('US and Fiji reach defense consensus', '  ')).toEqual([]);
  });
});

describe('mtNamesCheck: source names missing from the MT', () => {
  it('marks a dropped country as a minor point with its source span', () => {
    const source = '菲律宾总统访问日本';
    const mt = 'The Philippine president made a visit.';
    const flags = minors(mt, source);
    expect(flags).toHaveLength(1);
    const [flag] = flags;
    expect(flag!.start).toBe(flag!.end);
    expect(flag!.message).toBe('Source name not in the MT: 日本 = Japan');
    expect(flag!.sourceSpans).toEqual([[7, 9]]);
  });

  it('marks a dropped person by pinyin', () => {
    const flags = minors('The foreign minister met reporters.', '外交部长宋涛会见记者。');
    expect(flags.map((f) => f.message)).toEqual(['Source name not in the MT: 宋涛 = Song Tao']);
  });

  it('stays quiet when the names are there, in any form', () => {
    expect(minors('Foreign Minister Song Tao met the Philippine president in Tokyo.', '外交部长宋涛在东京会见菲律宾总统。')).toEqual([]);
    // A foreign name transliterated into Chinese (马科斯 ma-ke-si) meets its English spelling.
    expect(minors('President Marcos spoke.', '总统马科斯发表讲话。')).toEqual([]);
  });

  it.each<[string, string, string]>([
    ['a name the dictionary has over two of jieba\'s words (德国之声 = Deutsche Welle)', '（德国之声中文网）距离土耳其和叙利亚部分地区发生地震已经过去数日。', '(Deutsche Welle) Days have passed since the earthquake in parts of Turkey and Syria.'],
    ['a foreign title jieba cuts up (阿亚图拉 = ayatollah), not a row of country abbreviations', '稍早最高领袖阿亚图拉·阿里·哈梅内伊(Ayatollah Ali Khamenei) 发布了一项大赦令。', 'Earlier, Supreme Leader Ayatollah Ali Khamenei issued an amnesty.'],
    ['a place that only qualifies a Latin-script name', '欧洲Euractiv网站称，欧盟官员承认存在瓶颈。', 'According to Euractiv, EU officials admitted there were bottlenecks.'],
    ['names in a byline and a dateline', '【环球时报驻比利时特派记者牛瑞飞】据法新社2月10日报道，欧盟领导人同意出台更严格的政策。', 'According to AFP on February 10, EU leaders agreed to introduce stricter policies.'],
    ['the site named after a headline', '河南省规范整合口腔种植医疗服务价格-中新网', 'Henan province to regulate prices for oral implant services'],
    ['a foreign name transliterated into a Chinese place name (莱西 ≈ Raisi)', '莱西的强硬派政府面临挑战。', 'Raisi\'s hardline government faces a challenge.'],
    ['a Spanish J read as h (胡里奥 ≈ Julio), with the rest of the dotted name', '中国政策观察网名誉顾问胡里奥·里奥斯表示。', 'Julio Ríos, honorary adviser to China Policy Watch, said.'],
    ['a Vietnamese name read syllable by syllable (范明政 ≈ Pham Minh Chinh)', '范明政总理参加了30多项活动。', 'Prime Minister Pham Minh Chinh took part in more than 30 events.'],
    ['a surname after a form of address (孙先生 ≈ Mr. Son)', '孙先生表示，这是一份协议。', 'Mr. Son said that this was an agreement.'],
    ['a Korean name jieba does not know (韩德洙 = Han Duck-soo), not Korea and Germany', '韩国总理韩德洙表示欢迎。', 'South Korean Prime Minister Han Duck-soo welcomed it.'],
  ])('stays quiet about %s', (_, source, mt) => {
    expect(minors(mt, source).map((f) => f.message)).toEqual([]);
  });

  it('points at the MT word that most likely renders the missing name', () => {
    const mt = 'On February 10, the SEC announced that the app was available in public trial.';
    const flags = minors(mt, '2月10日，证监会公告称，“基金E账户”APP在各手机应用商店上架并开展公开试运行。');
    expect(flags.map((f) => f.message)).toEqual(['Source name not in the MT: 证监会 = China Securities Regulatory Commission']);
    expect(flags[0]!.start).toBe(mt.indexOf('SEC'));
  });

  it('does not repeat what a major flag already cites', () => {
    const flags = run('US and Fiji reach defense consensus', '美日菲达成防卫共识');
    expect(flags.filter((f) => f.severity === 'minor')).toEqual([]);
  });
});
