/**
 * Chinese sentences cut into clauses on their punctuation (，。；：！？、 and ASCII , ; : ! ?), with
 * UTF-16 spans. Punctuation inside parentheses and book-title marks (（…） 《…》 【…】) does not cut:
 * an aside or a title stays with its clause. Quotes do cut (a quote can hold whole sentences), but
 * quote marks and punctuation are trimmed from the edges of each clause.
 */

export interface ZhClause {
  text: string;
  /** UTF-16 offsets into the split text; the clause without its edge punctuation and spaces. */
  start: number;
  end: number;
}

const CUT = new Set([...'，。；：！？、,;:!?…']);
const OPEN = new Set([...'（(《【〔[']);
const CLOSE = new Set([...'）)》】〕]']);
/** Trimmed from a clause's edges: spaces, quotes, dashes and the cutting marks. */
const EDGE = /[\s"'“”‘’「」『』—\-·，。；：！？、,;:!?…]/u;

export function splitZhClauses(text: string): ZhClause[] {
  const clauses: ZhClause[] = [];
  let depth = 0;
  let from = 0;
  const close = (to: number): void => {
    let start = from;
    let end = to;
    while (start < end && EDGE.test(text[start]!)) start++;
    while (end > start && EDGE.test(text[end - 1]!)) end--;
    if (end > start) clauses.push({ text: text.slice(start, end), start, end });
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (OPEN.has(ch)) depth++;
    else if (CLOSE.has(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && CUT.has(ch) && !isNumberPunctuation(text, i)) {
      close(i);
      from = i + 1;
    }
  }
  close(text.length);
  return clauses;
}

/** "3,000" and "12:30": a comma or colon between digits is part of a number. */
function isNumberPunctuation(text: string, i: number): boolean {
  const ch = text[i];
  return (ch === ',' || ch === ':') && /\d/u.test(text[i - 1] ?? '') && /\d/u.test(text[i + 1] ?? '');
}

/**
 * News furniture of a Chinese source, which translations often shorten or leave out (raters
 * sometimes count that as an omission, sometimes not): the site named after a headline (…-中新网, - 经济观察网－ 专业财经新闻网站), datelines and
 * agency credits at the start (新华社北京2月10日电, 央视网消息：, 扬子晚报讯, 越通社河内——,
 * （综合11日电）, 新华社评论员：), bylines and source notes in brackets ((记者马祚波), 【…特派记者…】,
 * [来源:新华社]), a bare byline (中新财经记者夏宾), time stamps and page widgets. UTF-16 spans, in order.
 */
export function newsFurniture(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  const add = (start: number, end: number) => {
    if (end > start) spans.push({ start, end });
  };
  // At the start, any number of them in a row: 【…】据…, （综合11日电）新加坡…
  let at = 0;
  for (let found = true; found; ) {
    found = false;
    const rest = text.slice(at);
    for (const re of LEADING) {
      // A line that is only a byline is one from its start.
      if (re === BYLINE_LINE && at > 0) continue;
      const m = re.exec(rest);
      if (m && m[0].length) {
        if (m[0].trim()) add(at, at + m[0].length);
        at += m[0].length;
        found = true;
        break;
      }
    }
  }
  for (const re of ANYWHERE) for (const m of text.matchAll(re)) add(m.index, m.index + m[0].length);
  const site = SITE_SUFFIX.exec(text);
  if (site && site[0].split(SITE_SEPARATOR).filter((s) => s.trim()).every((s) => SITE_WORD.test(s))) add(site.index, text.length);
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  return spans.filter((s, i) => i === 0 || s.start >= spans[i - 1]!.end);
}

/** Words that make a credit a news outlet's: 网 site, 报 paper, 社 agency, 台 station. */
const OUTLET = '(?:网|报|社|台|新闻|在线|频道)';
const NO_BREAK = '[^，。：；！？“”"\\s]';
/** A whole line that is only a byline: 中新财经记者夏宾 */
const BYLINE_LINE = /^[^，。：；！？“”\s]{0,12}记者\p{Script=Han}{2,3}\s*$/u;
const LEADING: readonly RegExp[] = [
  /^\s+/u,
  // A bracketed credit: （德国之声中文网） （综合11日电） 【环球时报驻比利时特派记者牛瑞飞】
  /^[（(【[][^）)】\]]{1,30}(?:电|网|社|报|台|记者|讯|摄)[^）)】\]]{0,20}[）)】\]]/u,
  // Agency, place and date: 新华社北京2月11日电题： 中新网2月11日电
  new RegExp(`^${NO_BREAK}{0,20}?(?:\\d{1,2}月)?\\d{1,2}日电(?:题?[:：])?`, 'u'),
  // 扬子晚报讯, 央视网消息： 新华社评论员：
  new RegExp(`^${NO_BREAK}{0,10}${OUTLET}(?:讯|(?:消息|评论员)[:：])`, 'u'),
  // 越通社河内——
  new RegExp(`^${NO_BREAK}{0,10}社${NO_BREAK}{0,6}——`, 'u'),
  BYLINE_LINE,
];
const ANYWHERE: readonly RegExp[] = [
  // (记者马祚波) [来源:新华社] [责编:李絮枫]
  /[（(【[][^）)】\]]{0,30}(?:记者|通讯员|编辑|责编|来源|摄影|供图|特派)[^）)】\]]{0,30}[）)】\]]/gu,
  // 2023-02-11 13:09:10, 字体:【大中小】
  /\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?/gu,
  /字体[:：]?\s*【大中小】/gu,
  // A photo credit: 图自越通社
  /(?<=^|[。！？\s])图(?:自|片来源|源|片)[:：]?[^，。！？\s]{1,12}(?=$|[。！？\s])/gu,
];
const SITE_SEPARATOR = /[-－–|｜]/u;
/** Site names after a headline, each after a dash: -中新网, - 滚动新闻- 湖南日报网- 华声在线. */
const SITE_SUFFIX = /(?:\s*[-－–|｜]\s*[^-－–|｜，。！？“”\s]{2,16})+\s*$/u;
const SITE_WORD = new RegExp(`${OUTLET}|网站|客户端`, 'u');
