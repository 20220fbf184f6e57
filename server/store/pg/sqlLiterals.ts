/**
 * Values written into SQL text, for statements sent as simple queries (several statements in one
 * round trip: the extended protocol takes one statement per query). Strings are quoted as pg's
 * escapeLiteral quotes them; JSON.stringify never yields a NUL byte, so JSON goes through `lit` too.
 */

/** Throws unless PostgreSQL's text can hold `value`: not NUL, as a literal or a parameter (JSON.stringify escapes it). */
export function storableText(value: string): void {
  if (value.includes('\u0000')) throw new Error('PostgreSQL cannot store a NUL character outside JSON');
}

/** Throws unless every value is a safe integer. */
export function safeIntegers(values: number[]): void {
  if (!values.every(Number.isSafeInteger)) throw new Error('not an integer');
}

/** A string as an SQL literal. */
export function lit(value: string): string {
  storableText(value);
  // As pg's escapeLiteral (quotes doubled; with a backslash, E'' and backslashes doubled), without its per-character loop.
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/** A text[] literal. */
export const texts = (values: string[]): string => `ARRAY[${values.map(lit).join(',')}]::text[]`;

/** An int[] literal; throws unless every value is a safe integer. */
/** An integer array literal, of `int` (default) or `bigint` (identity seqs). */
export function ints(values: number[], type: IntType = 'int'): string {
  safeIntegers(values);
  return `ARRAY[${values.join(',')}]::${type}[]`;
}

export type IntType = 'int' | 'bigint';
