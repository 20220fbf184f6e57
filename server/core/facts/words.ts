/** Words of a text with their spans, function words, and the memo the fact extractors share. */

/**
 * Memoises a function of one text for the last RECENT_TEXTS texts. A paragraph's MT comes back with
 * every edit, suggestion and accept of that paragraph, and the checks of one rewrite ask for the
 * same two texts several times. Results are shared: callers must not change them.
 */
export function recent<T>(fn: (text: string) => T): (text: string) => T {
  const memo = new Map<string, T>();
  return (text) => {
    const known = memo.get(text);
    if (known !== undefined) return known;
    const value = fn(text);
    if (memo.size >= RECENT_TEXTS) memo.delete(memo.keys().next().value!);
    memo.set(text, value);
    return value;
  };
}

const RECENT_TEXTS = 256;

/** Character range [start, end) in a text. */
export type Span = [number, number];

// ---------------------------------------------------------------------------------------------
// Words

/** Words that are never names and carry no content: articles, pronouns, connectives, auxiliaries. */
export const FUNCTION_WORDS = new Set(`
a an the this that these those there here it its it's i me my we us our you your he him his she her
they them their who whom whose which what where when why how whether
and or but nor so yet for if then than as because since while although though unless until once
of in on at to from by with without into onto over under about above below between among through
during before after against across along around behind beyond near off out up down upon within via
per be is are was were been being am have has had having do does did doing done will would shall
should can could may might must ought not no never also just only even still already very too quite
more most less least much many some any all each every both either neither few several such other
another same own again further however meanwhile moreover furthermore therefore thus hence indeed
besides instead otherwise nevertheless nonetheless according regarding concerning including
currently recently previously earlier later now today yesterday tomorrow finally first firstly
secondly lastly last next overall generally usually often sometimes always
mr mrs ms dr prof sir madam said says say
`.split(/\s+/).filter(Boolean));

export function isFunctionWord(word: string): boolean {
  return FUNCTION_WORDS.has(normalizeWord(word));
}

/**
 * The comparable form of a word: lowercase, accents, possessive and inner apostrophes or dots
 * removed, so `Baoan's`, `Bao'an` and `BAOAN` meet.
 */
const PLAIN_WORD = /^[A-Za-z0-9]+$/;

export function normalizeWord(word: string): string {
  // Most words are plain ASCII letters and digits: lowercasing is all they need.
  if (PLAIN_WORD.test(word)) return word.toLowerCase();
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/['’]s$/iu, '')
    .replace(/['’.]/gu, '')
    .toLowerCase();
}

const WORD = /[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu;

export interface WordFact {
  text: string;
  span: Span;
  norm: string;
}

/**
 * The checks ask for the words of the same two texts several times per rewrite; the last few answers
 * are kept. Callers must not change the arrays they get (they are shared).
 */
export function extractWords(text: string): readonly WordFact[] {
  return recentWords(text);
}

const recentWords = recent<readonly WordFact[]>((text) => wordsOf(text));

function wordsOf(text: string): WordFact[] {
  const out: WordFact[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    out.push({ text: m[0], span: [start, start + m[0].length], norm: normalizeWord(m[0]) });
  }
  return out;
}

/** The normalised words of a text, for "does the other text mention it" questions (shared: do not change). */
export const wordSet = recent((text: string): ReadonlySet<string> => new Set(extractWords(text).map((w) => w.norm)));

/**
 * The pattern of a phrase, by phrase and case rule: the checks look for the same few phrases (aliases,
 * glossary terms, calls to action) in every rewrite, and compiling one cost more than running it.
 * The patterns have no `g` or `y` flag, so a shared one keeps no state between calls.
 */
const phrasePatterns = new Map<string, RegExp | null>();
const PHRASE_PATTERNS = 2048;

function phrasePattern(phrase: string, ignoreCase: boolean): RegExp | null {
  const key = `${ignoreCase ? 'i' : 'c'}${phrase}`;
  let re = phrasePatterns.get(key);
  if (re !== undefined) return re;
  const words = phrase.replace(/’/g, "'").trim().split(/\s+/).filter(Boolean);
  const body = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\u00a0-]+');
  re = words.length ? new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, ignoreCase ? 'iu' : 'u') : null;
  if (phrasePatterns.size >= PHRASE_PATTERNS) phrasePatterns.delete(phrasePatterns.keys().next().value!);
  phrasePatterns.set(key, re);
  return re;
}

/** Where a phrase occurs in a text as whole words, ignoring spacing, apostrophe style and (by default) case. */
export function findPhrase(text: string, phrase: string, ignoreCase = true): Span | undefined {
  const re = phrasePattern(phrase, ignoreCase);
  if (!re) return undefined;
  const m = re.exec(text.includes('’') ? text.replace(/’/g, "'") : text);
  return m ? [m.index, m.index + m[0].length] : undefined;
}
