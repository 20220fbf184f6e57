/**
 * The facts a rewrite must keep — numbers, proper names, quotations, negations — found in a text
 * with their character spans. Pure: text in, facts out. The fact guard (`server/checks/`) compares
 * them between a paragraph and its rewrite.
 */
export * from './facts/words.js';
export * from './facts/numbers.js';
export * from './facts/names.js';
export * from './facts/quotes.js';
export * from './facts/negation.js';
