/**
 * File exports over HTTP: XLIFF (written back into the uploaded file when there is one), DOCX, HTML.
 *
 *   GET    /api/articles/:id/export?format=xliff|xliff2|docx|html[&srcLang=zh&trgLang=en]
 *          (other formats fall through to the API router's txt/md/json export)
 */
import type { NextFunction, Response, Router } from 'express';
import { BadRequestError, NotFoundError } from '../commands/errors.js';
import { UNDECIDED_HEADER } from '../commands/exportArticle.js';
import type { Services } from '../commands/services.js';
import { undecidedSummary } from '../core/articleFacts.js';
import type { Article } from '../core/types.js';
import { articleToDocx, DOCX_CONTENT_TYPE } from '../interchange/docx.js';
import { articleToHtml } from '../interchange/html.js';
import { exportXliff, isLanguageTag, XliffError } from '../interchange/xliff.js';
import { invalidCharsWarning } from '../interchange/xml.js';
import { authorize } from './session.js';

export const INTERCHANGE_EXPORT_FORMATS = ['xliff', 'xliff2', 'docx', 'html'] as const;
/** Export warnings (characters left out, codes not paired …), one per line, in this header. */
export const WARNINGS_HEADER = 'X-Postedit-Warnings';
type InterchangeFormat = (typeof INTERCHANGE_EXPORT_FORMATS)[number];

function send(res: Response, filename: string, contentType: string, body: string | Buffer, warnings: string[] = []) {
  // Header values must be printable ASCII: anything else becomes "?".
  if (warnings.length) res.set(WARNINGS_HEADER, warnings.map((w) => w.replace(/[^\x20-\x7e]/g, '?')).join(' | '));
  res.attachment(filename);
  res.type(contentType);
  res.send(body);
}

/** The warning for characters an HTML or DOCX export leaves out, if any. */
function charsWarning(article: Article): string[] {
  const w = invalidCharsWarning([article.title, ...article.paragraphs.filter((p) => p.status !== 'deleted').map((p) => p.text)]);
  return w ? [w] : [];
}

/** The export route, on `r`. */
export function exportRoutes(r: Router, services: Services): void {
  r.get('/api/articles/:id/export', (req, res, next) => {
    const format = String(req.query.format ?? '');
    // Not ours: skip this route, on to the API router's txt/md/json export (and its 400 for unknown formats).
    if (!(INTERCHANGE_EXPORT_FORMATS as readonly string[]).includes(format)) return next('route');
    authorize('export')(req, res, next as NextFunction);
  }, async (req, res) => {
    const format = String(req.query.format) as InterchangeFormat;
    const article = await services.store.readArticle(req.params.id);
    if (!article) throw new NotFoundError(`no article "${req.params.id}"`);
    const lang = (name: 'srcLang' | 'trgLang') => {
      const v = req.query[name];
      if (v === undefined || v === '') return undefined;
      if (typeof v !== 'string' || !isLanguageTag(v)) throw new BadRequestError(`${name} must be a language tag such as zh, en or en-GB`);
      return v;
    };
    const srcLang = lang('srcLang');
    const trgLang = lang('trgLang');
    res.set(UNDECIDED_HEADER, String(undecidedSummary(article).undecided));
    switch (format) {
      case 'xliff':
      case 'xliff2': {
        const version = format === 'xliff' ? '1.2' : '2.0';
        let out;
        try {
          out = exportXliff(article, { version, ...(srcLang ? { srcLang } : {}), ...(trgLang ? { trgLang } : {}) });
        } catch (e) {
          if (e instanceof XliffError) throw new BadRequestError(e.message);
          throw e;
        }
        // Written into the uploaded file: it goes back under its own name.
        const filename = out.lossless && article.origin && /\.(xlf|xliff|sdlxliff|mqxliff)$/i.test(article.origin) ? article.origin : format === 'xliff' ? `${article.id}.xlf` : `${article.id}.xliff2.xlf`;
        return send(res, filename, out.contentType, out.body, out.warnings);
      }
      case 'docx':
        return send(res, `${article.id}.docx`, DOCX_CONTENT_TYPE, await articleToDocx(article), charsWarning(article));
      case 'html':
        return send(res, `${article.id}.html`, 'text/html; charset=utf-8', articleToHtml(article, trgLang ? { lang: trgLang } : {}), charsWarning(article));
    }
  });
}
