import { articleLanguages, undecidedSummary } from '../core/articleFacts.js';
import type { Article } from '../core/types.js';
import { BadRequestError, NotFoundError } from './errors.js';
import type { Services } from './services.js';

export const EXPORT_FORMATS = ['txt', 'md', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportedFile {
  filename: string;
  contentType: string;
  body: string;
  /** Live paragraphs still pending or suggested; routes send it as `X-Postedit-Undecided`. */
  undecided?: number;
}

/** The response header every export and the review report carry: how many live paragraphs are undecided. */
export const UNDECIDED_HEADER = 'X-Postedit-Undecided';

function liveParagraphs(article: Article) {
  return article.paragraphs.filter((p) => p.status !== 'deleted');
}

export function articleToText(article: Article): string {
  return liveParagraphs(article).map((p) => p.text).join('\n\n') + '\n';
}

export function articleToMarkdown(article: Article): string {
  let first = true;
  return (
    liveParagraphs(article)
      .map((p) => {
        if (p.kind !== 'heading') return p.text;
        const mark = first ? '#' : '##';
        first = false;
        return `${mark} ${p.text}`;
      })
      .join('\n\n') + '\n'
  );
}

/** The clean article as text or Markdown, or everything (history and suggestions too) as JSON. */
export async function exportArticle(services: Services, articleId: string, format: string): Promise<ExportedFile> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new BadRequestError(`unknown export format "${format}": use one of ${EXPORT_FORMATS.join(', ')}`);
  }
  const article = await services.store.readArticle(articleId);
  if (!article) throw new NotFoundError(`no article "${articleId}"`);
  // txt and md are the clean text, meant to be published: the count travels in the header only.
  const { undecided, live, pending, suggested } = undecidedSummary(article);
  switch (format as ExportFormat) {
    case 'txt':
      return { filename: `${article.id}.txt`, contentType: 'text/plain; charset=utf-8', body: articleToText(article), undecided };
    case 'md':
      return { filename: `${article.id}.md`, contentType: 'text/markdown; charset=utf-8', body: articleToMarkdown(article), undecided };
    case 'json': {
      const [history, suggestions] = await Promise.all([services.store.history(articleId), services.store.suggestions(articleId)]);
      const { undo: _undo, ...rest } = article;
      const summary = { paragraphs: live, undecided, pending, suggested, ...articleLanguages(article) };
      return {
        filename: `${article.id}.json`,
        contentType: 'application/json; charset=utf-8',
        // JSON.stringify escapes control characters and lone surrogates; U+FFFE and U+FFFF (valid JSON,
        // but characters XML cannot carry) are escaped too, so no export holds one raw.
        body: JSON.stringify({ format: 'postedit-article', version: 1, summary, article: rest, history, suggestions }, null, 2).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`),
        undecided,
      };
    }
  }
}
