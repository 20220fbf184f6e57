/**
 * Values written into SQL text, for statements sent as simple queries (several statements in one
 * round trip: the extended protocol takes one statement per query). Strings are quoted as pg's
 * escapeLiteral quotes them; JSON.stringify never yields a NUL byte, so JSON goes through `lit` too.
 */

/** A string as an SQL literal. */
export function lit(value: string): string {
  // PostgreSQL's text cannot hold NUL (a parameter would be refused the same way).
  if (value.includes('\u0000')) throw new Error('PostgreSQL cannot store a NUL character outside JSON');
  // As pg's escapeLiteral (quotes doubled; with a backslash, E'' and backslashes doubled), without its per-character loop.
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/** A text[] literal. */
export const texts = (values: string[]): string => `ARRAY[${values.map(lit).join(',')}]::text[]`;

/** An int[] literal; throws unless every value is a safe integer. */
export function ints(values: number[]): string {
  if (!values.every(Number.isSafeInteger)) throw new Error('not an integer');
  return `ARRAY[${values.join(',')}]::int[]`;
}
