/** Reading numeric command-line options. */
import { fail } from './fail.js';

export function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a whole number ≥ 1, not "${value}"`, 2);
  return n;
}
