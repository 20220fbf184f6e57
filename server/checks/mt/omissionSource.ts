/**
 * The source side of the omission check: a Chinese source cut into clauses, and the content words
 * of each clause (jieba's tags, light words left out, figures merged into one token).
 */
import { splitZhClauses } from '../../core/zh/clauses.js';
import { toSimplified } from '../../core/zh/dict.js';
import { segmentZh, type ZhToken } from '../../core/zh/segment.js';

/** jieba tags of content words: nouns, verbs, adjectives, numerals, names, idioms, Latin words. */
const CONTENT_TAG = /^(n|v|a|m|t|s|j|i|l|eng|un|vn|an|nr|ns|nt|nz)/u;
/**
 * Frequent words that are tagged as content but carry little a translation must show: function-like
 * and support verbs (进行, 表示, 得到, 作出, 加以), time deixis a translation may leave to its tense
 * (目前, 近日), vague nouns (方面, 情况) and quantity words.
 */
const LIGHT = new Set(
  `的 了 在 是 和 与 也 都 将 等 有 被 把 对 为 从 向 以 于 而 及 或 但 并 又 就 还 要 会 能 可 让 使 给 这 那 其 之 所 该 个 些
  说 表示 进行 认为 称 指出 一 一个 没有 已经 正在 可以 能够 目前 当前 今年 去年 相关 方面 问题 情况 工作 时间 时候 地方 地区 一些
  这些 那些 不断 进一步 年 月 日 号 时 点 分 到 来 去 做 好 大 小 多 少 近 内 外 上 下 中 前 后 今天 现在 如今 近日 日前 此前 当天
  近年来 近期 今后 日后 未来 发生 得到 存在 需要 可能 看到 了解 告诉 作为 具有 有着 算是 在于 还有 不会 不用 不能 成为 出现 实现 开始 完
  像 达 达到 全部 所有 各 各种 各项 各类 其他 其中 部分 之一 以来 以上 以下 左右 之间 同时 一起 一样 这样 那样 如何 怎么 为何
  共有 加以 予以 给予 作出 做出 做好 做到 想要 感到 觉得 前往 即`.split(/\s+/u),
);

export interface SourceClauses {
  clauses: ReturnType<typeof splitZhClauses>;
  /** The content words of each clause. */
  clauseWords: ZhToken[][];
  /** How many clauses each content word is in. */
  clausesOf: Map<string, number>;
}

let lastSource: { source: string; clauses: SourceClauses } | undefined;

export function sourceClauses(source: string): SourceClauses {
  // One source is checked against each of its MT versions in turn.
  if (lastSource?.source === source) return lastSource.clauses;
  const simplified = toSimplified(source);
  const tokens = mergeFigures(segmentZh(simplified), simplified).map((t, i, all) => (strayPersonTag(all, i) ? { ...t, tag: 'n' } : t));
  const clauses = splitZhClauses(simplified);
  const clauseWords = clauses.map((c) => tokens.filter((t) => t.start >= c.start && t.end <= c.end && isContent(t)));
  const clausesOf = new Map<string, number>();
  for (const words of clauseWords) for (const w of new Set(words.map((t) => t.word))) clausesOf.set(w, (clausesOf.get(w) ?? 0) + 1);
  lastSource = { source, clauses: { clauses, clauseWords, clausesOf } };
  return lastSource.clauses;
}

/**
 * A one-character word jieba tags as a person with no name next to it is a surname read out of
 * context, not a name: 王 in 内容为王 ("content is king").
 */
function strayPersonTag(tokens: readonly ZhToken[], i: number): boolean {
  const t = tokens[i]!;
  if (!PERSON_TAGS.has(t.tag) || t.word.length !== 1) return false;
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  const nameNext = (o: ZhToken | undefined, touching: boolean) => !!o && touching && NAME_TAGS.has(o.tag);
  return !nameNext(prev, prev?.end === t.start) && !nameNext(next, next?.start === t.end);
}

function isContent(token: ZhToken): boolean {
  // Numeral words without digits (许多, 一起, 一家) are mostly quantity fillers.
  if (token.tag === 'm' && !/\d/u.test(token.word)) return false;
  return CONTENT_TAG.test(token.tag) && !LIGHT.has(token.word);
}

/**
 * Figures as one token: "3" "," "500" → 3,500; "2" "万人" → 2万 (the rest of the token, a measure
 * word or 人, dropped), so that the MT's "20,000" can answer for it.
 */
function mergeFigures(tokens: ZhToken[], text: string): ZhToken[] {
  const out: ZhToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!/^\d+(?:\.\d+)?$/u.test(t.word)) {
      out.push(t);
      continue;
    }
    let end = t.end;
    let j = i;
    // Thousands groups: 3,500 / 20,665.
    while (tokens[j + 1]?.word === ',' && /^\d{3}(?:\.\d+)?$/u.test(tokens[j + 2]?.word ?? '') && tokens[j + 1]!.start === end) {
      j += 2;
      end = tokens[j]!.end;
    }
    const next = tokens[j + 1];
    const scale = next && next.start === end ? /^[万亿]+/u.exec(next.word)?.[0] : undefined;
    if (scale) {
      out.push({ word: text.slice(t.start, end) + scale, start: t.start, end: end + scale.length, tag: 'm' });
      j++;
    } else out.push({ word: text.slice(t.start, end), start: t.start, end, tag: 'm' });
    i = j;
  }
  return out;
}

/** jieba tags of words that may be names: people, places, organisations, other proper nouns, abbreviations, unknown words. */
export const NAME_TAGS = new Set(['nr', 'nrfg', 'nrt', 'ns', 'nt', 'nz', 'j', 'un']);
export const ORGANISATION_TAGS = new Set(['nt', 'j', 'nz']);
export const UNCERTAIN_TAGS = new Set(['nr', 'nrfg', 'nrt', 'un']);
export const PERSON_TAGS = new Set(['nr', 'nrfg', 'nrt']);
