/**
 * Not-a-rewrite check: the reply should be the paragraph rewritten, not an answer to someone. A model
 * that obeyed an instruction planted in the article ("ignore previous instructions and…") answers
 * instead of rewriting: it shares few words with the paragraph, talks like an assistant, or adds markup.
 */
import type { Finding } from '../core/types.js';
import { extractWords, isFunctionWord, recent, type Span } from '../core/facts.js';
import type { Check } from './types.js';

/**
 * Share of the reply's content words found in the paragraph. Human post-edits of MT (MLQE-PE) keep
 * 0.6 or more in 95% of cases and independent human translations of the same source 0.4 or more;
 * replies to planted instructions keep under 0.2.
 */
const MIN_CONTAINMENT = 0.3;
/** Too few content words make the share meaningless (headings, one-liners). */
const MIN_CONTENT_WORDS = 5;
/** Crude stemming: words sharing their first letters ("industry", "industrial") count as one. */
const STEM_LENGTH = 5;

const ASSISTANT_CUES: RegExp[] = [
  // "Sure!", "Certainly, here…", but not a sentence that opens with "Of course, Baoan…".
  /^[\s"'“*#>-]*(?:sure|certainly|of course|absolutely|okay|ok|alright|great question|happy to help)(?:\s*[!.:]|,\s*(?:here|I\b|I'|let|below))/i,
  /\bas an (?:ai|artificial intelligence|assistant|language model)\b/i,
  /\blanguage model\b/i,
  /\bI(?:'m| am)? (?:cannot|can ?not|can't|unable to|won't be able to|am not able to)\b/i,
  /\bhere(?:'s| is| are)\b[^.!?\n]{0,40}\b(?:rewrite|rewritten|revised|revision|version|translation|edit|edited|poem|story|text|paragraph|answer|response|summary)\b/i,
  /\b(?:previous|prior|above|earlier|original|system|my|your) (?:instructions?|prompts?)\b/i,
  /\binstructions?\b/i,
  /\bsystem prompt\b/i,
  /```/,
  /\bI hope (?:this|that|it) helps\b/i,
  /\blet me know\b/i,
  /\b(?:rewritten|revised|edited|improved|corrected) (?:paragraph|text|version)\b/i,
  /^\s*(?:rewrite|revised|translation|output|answer)\s*:/im,
];

const TAG = /<\/?([a-z][a-z0-9-]*)\b[^<>]*>|\bjavascript:/gi;

/** Shared (memoised per text): do not change the set. */
const contentStems = recent((text: string): ReadonlySet<string> => stemsOf(text));

function stemsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of extractWords(text)) {
    if (w.norm.length < 3 || /\d/.test(w.norm) || isFunctionWord(w.norm)) continue;
    out.add(w.norm.slice(0, STEM_LENGTH));
  }
  return out;
}

/** Share of `after`'s content words that come from `before`; undefined when there are too few to tell. */
export function containment(before: string, after: string): number | undefined {
  const b = contentStems(before);
  const a = contentStems(after);
  if (b.size < MIN_CONTENT_WORDS || a.size < MIN_CONTENT_WORDS) return undefined;
  let common = 0;
  for (const w of a) if (b.has(w)) common++;
  return common / a.size;
}

/** The assistant cues a text holds, by cue (memoised per text: a rewrite comes back on accept; shared). */
const cuesOf = recent((after: string): ReadonlyArray<{ text: string; start: number }> => {
  const out: Array<{ text: string; start: number }> = [];
  for (const cue of ASSISTANT_CUES) {
    const m = cue.exec(after);
    if (!m) continue;
    const text = m[0].trim().replace(/^[\s"'“*#>-]+/, '');
    if (text) out.push({ text, start: m.index + m[0].indexOf(text) });
  }
  return out;
});

function assistantCues(before: string, after: string): Array<{ text: string; span: Span }> {
  const cues = cuesOf(after);
  if (!cues.length) return [];
  const seen = before.toLowerCase();
  // The article itself may say it (a quoted "I cannot accept"); the rewrite then keeps it.
  return cues
    .filter((c) => !seen.includes(c.text.toLowerCase().replace(/s$/, '')))
    .map((c) => ({ text: c.text, span: [c.start, c.start + c.text.length] as Span }));
}

function newMarkup(before: string, after: string): Array<{ text: string; span: Span }> {
  const known = new Set([...before.matchAll(TAG)].map((m) => (m[1] ?? m[0]).toLowerCase()));
  return [...after.matchAll(TAG)]
    .filter((m) => !known.has((m[1] ?? m[0]).toLowerCase()))
    .map((m) => ({ text: m[0], span: [m.index, m.index + m[0].length] as Span }));
}

/** Share of the letters that are Latin: a reply in another script is an answer or a translation. */
function latinShare(text: string): number {
  // ASCII letters are counted in the loop; only the rest (a few quote marks and dashes in English
  // news) goes through the Unicode regexes, which cost ~0.1 ms on a whole paragraph.
  let ascii = 0;
  let other = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) ascii++;
    } else other += text[i];
  }
  if (!other) return 1;
  const letters = ascii + other.replace(NOT_LETTER, '').length;
  if (!letters) return 1;
  return (ascii + other.replace(NOT_LATIN_LETTER, '').length) / letters;
}

const NOT_LETTER = /\P{L}+/gu;
const NOT_LATIN_LETTER = /[^\p{L}]+|(?:(?!\p{Script=Latin})\p{L})+/gu;

/**
 * The last answer, by its texts: the addition check asks the same question right after the runner
 * did (it stays quiet on a reply that is not a rewrite), and answering twice cost ~0.15 ms a rewrite.
 */
let last: { before: string; after: string; findings: Finding[] } | undefined;

function finding(message: string, afterSpans: Span[]): Finding {
  return { check: 'not-a-rewrite', severity: 'warning', message, beforeSpans: [], afterSpans };
}

export const notRewriteCheck: Check = {
  id: 'not-a-rewrite',
  name: 'Not a rewrite',
  description: 'Warns when the reply is not a rewrite of its paragraph: an assistant-style answer, added HTML, or few words in common.',
  run(before, after) {
    if (last?.before === before && last.after === after) return last.findings.map((f) => ({ ...f, afterSpans: [...f.afterSpans] }));
    const findings = findingsOf(before, after);
    last = { before, after, findings: findings.map((f) => ({ ...f, afterSpans: [...f.afterSpans] })) };
    return findings;
  },
};

function findingsOf(before: string, after: string): Finding[] {
  const findings: Finding[] = [];
  const cues = assistantCues(before, after);
  if (cues.length) {
    const first = cues[0]!.text.length > 40 ? `${cues[0]!.text.slice(0, 37)}…` : cues[0]!.text;
    findings.push(finding(`Reply reads like an assistant's answer, not a rewrite: "${first}"`, cues.map((c) => c.span)));
  }
  const tags = newMarkup(before, after);
  if (tags.length) findings.push(finding(`Reply adds markup not in the paragraph: "${tags[0]!.text.slice(0, 40)}"`, tags.map((t) => t.span)));
  if (latinShare(before) >= 0.8 && latinShare(after) < 0.5) {
    findings.push(finding('Reply is mostly not in the Latin script of the paragraph: is it a rewrite of it?', []));
  }
  const share = containment(before, after);
  if (share !== undefined && share < MIN_CONTAINMENT) {
    findings.push(finding(`Reply shares few words with the paragraph (${Math.round(share * 100)}%): is it a rewrite of it?`, []));
  }
  return findings;
}
