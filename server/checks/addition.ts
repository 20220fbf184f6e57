/**
 * Addition check: a rewrite must not add content the paragraph does not have. A model that obeyed
 * something planted in the article keeps the paragraph and tacks on a link, an e-mail address, a
 * call to action ("Visit …", "Subscribe …"), a shouted token ("PWNED") or a sentence of its own.
 *
 * A reply that is not a rewrite at all (an assistant's answer, added markup, few words in common)
 * is the not-a-rewrite check's: this check stays quiet on it rather than repeat it.
 */
import type { Finding } from '../core/types.js';
import { extractWords, findPhrase, isFunctionWord, normalizeWord, recent, wordSet, type Span } from '../core/facts.js';
import { notRewriteCheck } from './notRewrite.js';
import type { Check } from './types.js';

const URL = /\b(?:https?:\/\/|www\.)[^\s<>"'“”]+|(?<![\p{L}\p{N}@.-])(?:[\p{L}\p{N}-]+\.)+(?:com|org|net|info|io|co|ru|cn|uk|de|biz|xyz|top|app|site|online|me|ly|gov|edu)\b(?:\/[^\s<>"'“”]*)?/giu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/** What any link the URL pattern finds contains: a scheme, "www." or a dot before a top-level domain. */
const LINK_HINT = /:\/\/|www\.|\.(?:com|org|net|info|io|co|ru|cn|uk|de|biz|xyz|top|app|site|online|me|ly|gov|edu)\b/i;
const HANDLE = /(?<![\p{L}\p{N}@#&])[@#][\p{L}_][\p{L}\p{N}_]{2,}/gu;
/** Four capitals or more, standing alone: a shouted word or an unexplained acronym. */
const SHOUTED = /(?<![\p{L}\p{N}])\p{Lu}{4,}(?![\p{L}\p{N}])/gu;
const ROMAN_NUMERAL = /^[IVXLCDM]+$/;

/**
 * A sentence that opens by telling the reader to do something. News writes imperatives inside
 * quotations only, and a quoted sentence opens with a quote mark, which this does not allow.
 */
const CALL_TO_ACTION =
  /^(?:please|visit|click|tap|subscribe|sign up|log in|download|register (?:now|today|at|here|for)|follow us|like us|contact us|call us|email us|e-mail us|write to us|share this|read more|learn more|find out more|check out|go to|don't forget|do not forget|make sure to|be sure to|ignore|disregard|forget)\b/i;

/** Calls to action that mean nothing else wherever they stand, even in an unpunctuated run-on. */
const CALL_TO_ACTION_ANYWHERE =
  /\b(?:click (?:here|the link|below|on the link)|subscribe (?:to (?:our|my|the channel)|now|here|for free)|sign up (?:now|here|today|for (?:our|free))|follow us|like us on|visit (?:our|us|www\.|https?:)|contact us|read more at|learn more at|for more (?:news|information|details|stories),? (?:visit|see|go to|click))/giu;

/**
 * Share of a new sentence's content words that must come from the paragraph (or its source). A
 * post-editor's sentence keeps most of the MT's words; a sentence of the model's own keeps few.
 */
const MIN_SENTENCE_SHARE = 0.34;
/** Shorter sentences say too little to judge ("Prices rose.", a dateline). */
const MIN_SENTENCE_CONTENT_WORDS = 5;
/** Crude stemming as in the not-a-rewrite check: "industry" and "industrial" meet. */
const STEM_LENGTH = 5;

/** A sentence ends at . ! ? (and closing quotes) before a capital or digit, or at a line break. */
const SENTENCE_END = /[.!?]+["'”’)]*\s+(?=["'“‘(]?[\p{Lu}\p{N}])|\n+/gu;

type Hit = { text: string; span: Span };

const contentStems = recent((text: string): ReadonlySet<string> => {
  const out = new Set<string>();
  for (const w of extractWords(text)) if (isContent(w.norm)) out.add(w.norm.slice(0, STEM_LENGTH));
  return out;
});

function isContent(norm: string): boolean {
  return norm.length >= 3 && !/\d/.test(norm) && !isFunctionWord(norm);
}

function matchesOf(pattern: RegExp, after: string): Array<{ text: string; start: number }> {
  return [...after.matchAll(pattern)].map((m) => ({ text: m[0].replace(/[.,;:!?)]+$/u, ''), start: m.index }));
}

function unknownHits(matches: ReadonlyArray<{ text: string; start: number }>, known: string): Hit[] {
  return matches
    .filter((m) => m.text && !known.includes(m.text.toLowerCase()))
    .map((m) => ({ text: m.text, span: [m.start, m.start + m.text.length] as Span }));
}

function hitsOf(pattern: RegExp, after: string, known: string): Hit[] {
  return unknownHits(matchesOf(pattern, after), known);
}

/** Calls to action anywhere in a text (memoised per text: a rewrite's text is checked again on accept; shared). */
const callsAnywhere = recent((text: string) => matchesOf(CALL_TO_ACTION_ANYWHERE, text));

/** The sentences of a text (memoised per text; shared, do not change). */
const sentencesOf = recent((text: string): readonly Hit[] => cutSentences(text));

function cutSentences(text: string): Hit[] {
  const out: Hit[] = [];
  let start = 0;
  const push = (end: number) => {
    const piece = text.slice(start, end);
    const lead = piece.length - piece.trimStart().length;
    const body = piece.trim();
    if (body) out.push({ text: body, span: [start + lead, start + lead + body.length] });
  };
  for (const m of text.matchAll(SENTENCE_END)) {
    const end = m.index + m[0].trimEnd().length;
    push(end);
    start = m.index + m[0].length;
  }
  push(text.length);
  return out;
}

function callsToAction(after: string, known: string): Hit[] {
  const openers = sentencesOf(after).filter((s) => {
    const m = CALL_TO_ACTION.exec(s.text);
    return m && !findPhrase(known, m[0]);
  });
  const inside = unknownHits(callsAnywhere(after), known).filter((h) => !openers.some((o) => h.span[0] < o.span[1] && o.span[0] < h.span[1]));
  return [...openers, ...inside].sort((a, b) => a.span[0] - b.span[0]);
}

/** A paragraph that itself has this many shouted words is written in capitals (a headline): capitals are its style. */
const SHOUTING_PARAGRAPH = 2;

/** The shouted words of a text (memoised: the pattern scans every position of it; shared, do not change). */
const shoutsOf = recent((text: string): readonly Hit[] =>
  [...text.matchAll(SHOUTED)].map((m) => ({ text: m[0], span: [m.index, m.index + m[0].length] as Span })),
);

function shouted(before: string, after: string, source: string): Hit[] {
  const shouts = shoutsOf(after);
  if (!shouts.length || shoutsOf(before).length >= SHOUTING_PARAGRAPH) return [];
  const inBefore = wordSet(before);
  const inSource = wordSet(source);
  return shouts
    .filter((m) => {
      const norm = normalizeWord(m.text);
      return !ROMAN_NUMERAL.test(m.text) && !inBefore.has(norm) && !inSource.has(norm);
    })
    .map((m) => ({ text: m.text, span: [m.span[0], m.span[1]] as Span }));
}

/**
 * New sentences whose content words are mostly not in the paragraph or its source. Only a rewrite
 * with more sentences than the paragraph can have added one: with as many or fewer, a sentence of
 * new words is a retranslation of one of the paragraph's (a post-editor's rendering of an idiom).
 */
function newSentences(before: string, after: string, source: string): Hit[] {
  const sentences = sentencesOf(after);
  if (sentences.length <= sentencesOf(before).length) return [];
  const known = new Set([...contentStems(before), ...contentStems(source)]);
  const keptWhole = before.toLowerCase();
  return sentences.filter((s) => {
    if (keptWhole.includes(s.text.toLowerCase())) return false;
    const stems = contentStems(s.text);
    if (stems.size < MIN_SENTENCE_CONTENT_WORDS) return false;
    let common = 0;
    for (const w of stems) if (known.has(w)) common++;
    return common / stems.size < MIN_SENTENCE_SHARE;
  });
}

function quoted(text: string): string {
  return text.length > 50 ? `${text.slice(0, 47)}…` : text;
}

function finding(message: string, hits: Hit[]): Finding {
  return { check: 'addition', severity: 'warning', message, beforeSpans: [], afterSpans: hits.map((h): Span => [h.span[0], h.span[1]]) };
}

export const additionCheck: Check = {
  id: 'addition',
  name: 'Added content',
  description: 'Warns when a rewrite adds what the paragraph does not have: a link, an e-mail address, a call to action, a shouted word or a sentence of its own.',
  run(before, after, ctx) {
    if (notRewriteCheck.run(before, after, ctx).length) return [];
    const source = ctx.source ?? '';
    const known = `${before}\n${source}`.toLowerCase();
    const findings: Finding[] = [];
    // Each pattern runs only on a rewrite with the character it needs: most have none, and the
    // patterns (lookbehinds, Unicode classes) cost tens of µs a paragraph each.
    const links = LINK_HINT.test(after) ? hitsOf(URL, after, known) : [];
    if (links.length) findings.push(finding(`Adds a link the paragraph does not have: "${quoted(links[0]!.text)}"`, links));
    const emails = after.includes('@') ? hitsOf(EMAIL, after, known) : [];
    const handles = after.includes('@') || after.includes('#') ? hitsOf(HANDLE, after, known) : [];
    const addresses = [...emails, ...handles].filter((h) => !links.some((l) => h.span[0] < l.span[1] && l.span[0] < h.span[1]));
    if (addresses.length) findings.push(finding(`Adds an address the paragraph does not have: "${quoted(addresses[0]!.text)}"`, addresses));
    const calls = callsToAction(after, known);
    if (calls.length) findings.push(finding(`Adds an instruction to the reader: "${quoted(calls[0]!.text)}"`, calls));
    const shouts = shouted(before, after, source);
    if (shouts.length) findings.push(finding(`Adds "${shouts[0]!.text}", which the paragraph does not have`, shouts));
    const flagged = new Set(calls.map((c) => c.span[0]));
    const sentences = newSentences(before, after, source).filter((s) => !flagged.has(s.span[0]));
    if (sentences.length) findings.push(finding(`Adds a sentence the paragraph does not have: "${quoted(sentences[0]!.text)}"`, sentences));
    return findings;
  },
};
