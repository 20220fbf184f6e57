/**
 * One spelling per username, for logins, account commands and the login limiter's key: padding a
 * name with spaces, NBSP or a BOM, adding zero-width characters, using full-width letters or changing
 * case all name the same account (and share one failure budget).
 */

/** Characters that print as nothing: zero-width space/joiners, word joiner, invisible operators, BOM, soft hyphen, bidi controls. */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/gu;

/** Trim, NFKC, case-fold, drop invisible characters, NBSP (and other spaces) → space, trim again. */
export function normaliseUsername(raw: unknown): string {
  const s = String(raw ?? '').trim().normalize('NFKC');
  // toUpperCase then toLowerCase folds what toLowerCase alone leaves apart (ß → ss, ﬁ → fi).
  const folded = s.toUpperCase().toLowerCase().normalize('NFKC');
  return folded.replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}
