/**
 * Which English words the names check takes for names: the gloss of a Chinese place, person or
 * organisation in CC-CEDICT (Fiji = 斐济), a demonym made from one (Vietnamese), or a news site
 * named after one (Chinanews.com).
 */
import { headwordsForName, lookupZhWord } from '../../core/zh/dict.js';
import { segmentZh } from '../../core/zh/segment.js';

const PERSON_TAGS = new Set(['nr', 'nrfg', 'nrt']);
const NAME_TAGS = new Set([...PERSON_TAGS, 'ns', 'nt', 'nz']);
const COMMON_TAGS = new Set(['n', 'ng', 'vn', 't', 'tg', 'm', 'mq', 'q']);
const knownNames = new Map<string, KnownName | null>();

export interface KnownName {
  person: boolean;
}

/**
 * Whether an English name is the gloss of a Chinese name (a place, person or organisation as jieba
 * tags it): "Fiji" (斐济, ns) yes; "January" (一月, a time word) or "Spring Festival" no.
 */
export function knownName(english: string): KnownName | undefined {
  const cached = knownNames.get(english);
  if (cached !== undefined) return cached ?? undefined;
  let known: KnownName | null = null;
  for (const word of headwordsForName(english)) {
    const tokens = segmentZh(word);
    const tag = tokens.length === 1 ? tokens[0]!.tag : '';
    // jieba's tag decides; where jieba has no noun or time reading (首尔 comes out an adverb) the
    // word counts when every CC-CEDICT reading of it is a proper noun. 国会 (n) and 春节 (t) do not.
    const proper = lookupZhWord(word)?.proper && !COMMON_TAGS.has(tag);
    if (NAME_TAGS.has(tag) || proper || [...word].length === 1) {
      known ??= { person: false };
      known.person ||= PERSON_TAGS.has(tag);
    }
  }
  knownNames.set(english, known);
  return known ?? undefined;
}

/** Demonym endings and what may stand before them in the place's own name: Vietnam-ese, Kore(a)-an, Brazil-ian, Ital(y)-ian. */
const DEMONYM_ENDINGS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['ese', ['', 'a']],
  ['ian', ['', 'a', 'ia', 'e', 'y']],
  ['an', ['', 'a', 'e', 'o', 'y']],
  ['n', ['']],
  ['i', ['']],
  ['ish', ['', 'ey', 'land']],
];

/**
 * The place a demonym or place adjective is made from, when the dictionary has the place
 * ("Vietnamese" → vietnam, "Korean" → korea, "Canadian" → canada); undefined for other words.
 */
export function demonymPlace(norm: string): string | undefined {
  for (const [ending, stems] of DEMONYM_ENDINGS) {
    if (!norm.endsWith(ending) || norm.length - ending.length < 3) continue;
    const base = norm.slice(0, -ending.length);
    for (const add of stems) {
      // Not only places: jieba tags 乌克兰 and 莫斯科 as people.
      const place = base + add;
      if (knownName(place)) return place;
    }
  }
  return undefined;
}

/** A news site named after a place: "Chinanews.com", "Koreaherald.com" → the place. */
export function sitePlace(text: string): string | undefined {
  const m = /^(\p{L}+)\.(?:com|cn|net|org|co|gov)\b/u.exec(text);
  if (!m) return undefined;
  const label = m[1]!.toLowerCase();
  for (let len = label.length - 3; len >= 4; len--) {
    if (knownName(label.slice(0, len))) return label.slice(0, len);
  }
  return undefined;
}
