/**
 * An article's review report, as Markdown or as a standalone HTML page (a download, with its own
 * <style>): the article's status and effort figures, then every paragraph that changed with its MT,
 * its final text, the word diff between them, who made each change, who approved it, and comments.
 */
import { BadRequestError, NotFoundError } from './errors.js';
import type { ExportedFile } from './exportArticle.js';
import { reportToHtml } from './reviewReport/html.js';
import { reportToMarkdown } from './reviewReport/markdown.js';
import { buildReport } from './reviewReport/model.js';
import type { Services } from './services.js';

export { htmlDiff, htmlEscape, reportToHtml } from './reviewReport/html.js';
export { markdownDiff, mdEscape, reportToMarkdown } from './reviewReport/markdown.js';
export { buildReport, type ReportChange, type ReportModel, type ReportParagraph } from './reviewReport/model.js';
export { duration } from './reviewReport/text.js';

export const REPORT_FORMATS = ['md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report of one article as a file to download. */
export async function reviewReport(services: Services, articleId: string, format: string): Promise<ExportedFile> {
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new BadRequestError(`unknown report format "${format}": use one of ${REPORT_FORMATS.join(', ')}`);
  }
  const article = await services.store.readArticle(articleId);
  if (!article) throw new NotFoundError(`no article "${articleId}"`);
  const [history, suggestions] = await Promise.all([services.store.history(articleId), services.store.suggestions(articleId)]);
  const model = buildReport(article, history, suggestions, services.now());
  const undecided = model.undecided.undecided;
  return format === 'html'
    ? { filename: `${article.id}-review.html`, contentType: 'text/html; charset=utf-8', body: reportToHtml(model), undecided }
    : { filename: `${article.id}-review.md`, contentType: 'text/markdown; charset=utf-8', body: reportToMarkdown(model), undecided };
}
