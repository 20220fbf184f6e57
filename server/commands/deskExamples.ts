/**
 * "Learning from the desk": recent editor corrections (MT → final text) given to an LLM as examples,
 * so it follows the desk's choices. This article first; then, from the most recently worked
 * articles, only corrections a trusted editor wrote (POSTEDIT_TRUSTED_EDITORS) or a reviewer
 * approved — so text one editor plants in one article cannot reach every other article's prompt.
 */
import type { Article, Paragraph, Revision } from '../core/types.js';
import type { DeskExample } from '../engines/types.js';
import type { Store } from '../store/types.js';

export const MAX_EXAMPLES = 3;
/** Corrections longer than this make the prompt expensive for little gain. */
const MAX_EXAMPLE_CHARS = 1200;
/** How many other articles are searched. */
const OTHER_ARTICLES = 5;
/** Actions whose result is text an editor wrote or chose. */
const WRITES = new Set(['edit', 'accept', 'accept-partial']);

export interface PickedExample extends DeskExample {
  articleId: string;
  paragraphId: string;
}

export interface ExamplePolicy {
  /** Usernames whose corrections may serve as examples in other articles. */
  trusted: ReadonlySet<string>;
}

/** The usernames of POSTEDIT_TRUSTED_EDITORS (comma- or space-separated). */
export function trustedEditorsFromEnv(env: NodeJS.ProcessEnv): ReadonlySet<string> {
  return new Set((env.POSTEDIT_TRUSTED_EDITORS ?? '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean));
}

function candidates(article: Article, except?: string): Paragraph[] {
  return article.paragraphs
    .filter((p: Paragraph) => p.id !== except && (p.status === 'edited' || p.status === 'accepted') && p.mt && p.text !== p.mt)
    .filter((p) => p.mt.length + p.text.length <= MAX_EXAMPLE_CHARS);
}

const asExample = (article: Article, p: Paragraph): PickedExample => ({ articleId: article.id, paragraphId: p.id, mt: p.mt, final: p.text });

/** Who wrote the paragraph's current text: the latest edit or accept that produced it. */
export function textAuthor(p: Paragraph, history: Revision[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const r = history[i]!;
    if (r.paragraphId !== p.id) continue;
    if (WRITES.has(r.action)) return r.text === p.text ? r.author : undefined;
  }
  return undefined;
}

export async function pickDeskExamples(
  store: Store,
  article: Article,
  paragraphId: string,
  policy: ExamplePolicy = { trusted: new Set() },
  max = MAX_EXAMPLES,
): Promise<PickedExample[]> {
  const picked = candidates(article, paragraphId).slice(-max).map((p) => asExample(article, p));
  if (picked.length >= max) return picked;
  const others = (await store.listArticles())
    .filter((a) => a.id !== article.id && ((a.counts.edited ?? 0) > 0 || (a.counts.accepted ?? 0) > 0))
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, OTHER_ARTICLES);
  for (const summary of others) {
    const other = await store.readArticle(summary.id);
    if (!other) continue;
    const list = candidates(other);
    if (!list.length) continue;
    const history = list.some((p) => p.review !== 'approved') && policy.trusted.size ? await store.history(other.id) : [];
    const vouched = list.filter((p) => {
      if (p.review === 'approved') return true;
      const author = textAuthor(p, history);
      return author !== undefined && policy.trusted.has(author);
    });
    picked.push(...vouched.slice(-(max - picked.length)).map((p) => asExample(other, p)));
    if (picked.length >= max) break;
  }
  return picked;
}
