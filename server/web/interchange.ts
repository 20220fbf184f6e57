/**
 * Interchange routes: XLIFF / DOCX / HTML export, file upload with preview, glossary files.
 *
 *   GET    /api/articles/:id/export?format=xliff|xliff2|docx|html[&srcLang=zh&trgLang=en]
 *          (other formats fall through to the API router's txt/md/json export)
 *   POST   /api/articles/upload[?preview=1]   multipart: file (+ source, reference; title, preview)
 *   POST   /api/articles                      multipart only (same as /upload); JSON falls through
 *   GET    /api/articles/:id/glossary         the glossary that applies and the terms each paragraph holds
 *   GET    /api/glossaries[?articleId=ID]     uploaded glossaries
 *   POST   /api/glossaries                    multipart (file, articleId?, mode?) or JSON {articleId?, entries | text+format, mode?}
 *   DELETE /api/glossaries?articleId=ID       (no articleId: the uploaded corpus glossary)
 *
 * Mounted before the API router. CSRF: the app's csrfProtect runs before any router, when a
 * multipart body is not parsed yet, so it only sees the `x-csrf-token` header. The upload page
 * therefore uploads with fetch and that header (public/upload.js); there is no multipart no-JS form
 * (the paste form stays the no-JS import). API-token clients need no CSRF token.
 */
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { BadRequestError, NotFoundError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import type { Article } from '../core/types.js';
import { undecidedSummary } from '../core/articleFacts.js';
import { UNDECIDED_HEADER } from '../commands/exportArticle.js';
import { glossaryTermsIn } from '../checks/glossary.js';
import { articleToDocx, DOCX_CONTENT_TYPE } from '../interchange/docx.js';
import { GLOSSARY_FORMATS, glossaryFormatOf, GlossaryFileError, parseGlossaryFile, validateEntries, type GlossaryFormat } from '../interchange/glossaryFiles.js';
import { articleToHtml } from '../interchange/html.js';
import { decodeText, importPrepared, MAX_UPLOAD_BYTES, prepareUpload, safeName, UPLOAD_EXTENSIONS, type UploadedFile } from '../interchange/upload.js';
import { articleToXliff, isLanguageTag, XliffError } from '../interchange/xliff.js';
import { FileTooComplexError } from '../interchange/limits.js';
import { XmlTooComplexError } from '../interchange/xml.js';
import { articleScope, CORPUS_SCOPE, effectiveGlossary, type GlossaryStore } from '../store/glossaryStore.js';
import { HttpError } from './errors.js';
import { presentArticle } from './presenters.js';
import { actorOf, authorize } from './session.js';

export const INTERCHANGE_EXPORT_FORMATS = ['xliff', 'xliff2', 'docx', 'html'] as const;
type InterchangeFormat = (typeof INTERCHANGE_EXPORT_FORMATS)[number];

export interface InterchangeOptions {
  /** Where uploaded glossaries live; default `DATA_DIR/glossaries.json` beside the article store. */
  glossaries?: GlossaryStore;
}

const MB = MAX_UPLOAD_BYTES / (1024 * 1024);

/** Runs a multer middleware and turns its errors into answers that say what to do. */
function multipart(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    handler(req, res, (err?: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        const file = (err as multer.MulterError & { filename?: string }).filename;
        const named = file ? `${safeName(file)}: ` : '';
        switch (err.code) {
          case 'LIMIT_FILE_SIZE':
            return next(new HttpError(413, `${named}the file is larger than ${MB} MB, the most that can be uploaded`));
          case 'LIMIT_UNEXPECTED_FILE':
            return next(new HttpError(400, `unexpected file field "${err.field ?? ''}": send the article as "file" (and optionally "source" and "reference"), one file each`));
          case 'LIMIT_FILE_COUNT':
          case 'LIMIT_PART_COUNT':
          case 'LIMIT_FIELD_COUNT':
            return next(new HttpError(400, 'too many parts in the upload: send one article file, and at most one source and one reference file'));
          default:
            return next(new HttpError(400, `the upload could not be read: ${err.message}`));
        }
      }
      // busboy's own complaints (a cut-off or malformed multipart body).
      if (err instanceof Error && !(err instanceof HttpError)) return next(new HttpError(400, `the upload could not be read: ${err.message}`));
      next(err);
    });
  };
}

const upload = multer({
  storage: multer.memoryStorage(),
  // Browsers send UTF-8 file names without saying so.
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 3, fields: 10, fieldSize: 64 * 1024, parts: 16 },
});

function fileOf(req: Request, field: string): UploadedFile | undefined {
  const files = req.files as Record<string, Express.Multer.File[]> | undefined;
  const f = files?.[field]?.[0];
  return f ? { name: f.originalname, data: f.buffer } : undefined;
}

function flag(value: unknown): boolean {
  return value === '1' || value === 'true' || value === 'yes' || value === true;
}

function send(res: Response, filename: string, contentType: string, body: string | Buffer) {
  res.attachment(filename);
  res.type(contentType);
  res.send(body);
}

async function loadArticle(services: Services, id: string): Promise<Article> {
  const article = await services.store.getArticle(id);
  if (!article) throw new NotFoundError(`no article "${id}"`);
  return article;
}

export function interchangeRouter(services: Services, options: InterchangeOptions = {}): Router {
  const r = Router();
  const glossaries = () => Promise.resolve(options.glossaries ?? services.glossaries);

  // ----- export -------------------------------------------------------------------------------
  r.get('/api/articles/:id/export', (req, res, next) => {
    const format = String(req.query.format ?? '');
    // Not ours: skip this route, on to the API router's txt/md/json export (and its 400 for unknown formats).
    if (!(INTERCHANGE_EXPORT_FORMATS as readonly string[]).includes(format)) return next('route');
    authorize('export')(req, res, next as NextFunction);
  }, async (req, res) => {
    const format = String(req.query.format) as InterchangeFormat;
    const article = await loadArticle(services, req.params.id);
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
        let xml: string;
        try {
          xml = articleToXliff(article, { version, ...(srcLang ? { srcLang } : {}), ...(trgLang ? { trgLang } : {}) });
        } catch (e) {
          if (e instanceof XliffError) throw new BadRequestError(e.message);
          throw e;
        }
        return send(res, format === 'xliff' ? `${article.id}.xlf` : `${article.id}.xliff2.xlf`, `application/${format === 'xliff' ? 'x-xliff' : 'xliff'}+xml; charset=utf-8`, xml);
      }
      case 'docx':
        return send(res, `${article.id}.docx`, DOCX_CONTENT_TYPE, await articleToDocx(article));
      case 'html':
        return send(res, `${article.id}.html`, 'text/html; charset=utf-8', articleToHtml(article, trgLang ? { lang: trgLang } : {}));
    }
  });

  // ----- upload -------------------------------------------------------------------------------
  const fields = upload.fields([{ name: 'file', maxCount: 1 }, { name: 'source', maxCount: 1 }, { name: 'reference', maxCount: 1 }]);
  const handleUpload: RequestHandler = async (req, res) => {
    const main = fileOf(req, 'file');
    if (!main) {
      throw new BadRequestError(
        req.is('multipart/form-data')
          ? `no file: send the article as the multipart field "file" (${UPLOAD_EXTENSIONS.join(', ')})`
          : 'send the file as multipart/form-data with the field "file"',
      );
    }
    const source = fileOf(req, 'source');
    const reference = fileOf(req, 'reference');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const title = typeof body.title === 'string' ? body.title.slice(0, 300) : undefined;
    const prepared = await prepareUpload(main, { ...(source ? { source } : {}), ...(reference ? { reference } : {}) });
    const { plan: _plan, contentHash, ...shown } = prepared;
    if (flag(req.query.preview) || flag(body.preview)) {
      // `existing`: the article an import would answer with instead of creating one.
      const existing = await services.store.findArticleByHash(contentHash);
      res.json({
        preview: true,
        ...shown,
        ...(title?.trim() ? { title: title.trim() } : {}),
        truncated: prepared.count > prepared.paragraphs.length,
        ...(existing ? { existing } : {}),
      });
      return;
    }
    const { article, created } = await importPrepared(services, prepared, actorOf(res), title);
    res.status(created ? 201 : 200).json({ ...presentArticle(article), created, format: prepared.format, warnings: prepared.warnings });
  };
  r.post('/api/articles/upload', authorize('import'), multipart(fields), handleUpload);
  r.post('/api/articles', (req, _res, next) => (req.is('multipart/form-data') ? next() : next('route')), authorize('import'), multipart(fields), handleUpload);

  // ----- glossaries ---------------------------------------------------------------------------
  r.get('/api/articles/:id/glossary', authorize('read'), async (req, res) => {
    const article = await loadArticle(services, req.params.id);
    const entries = await effectiveGlossary(services.glossary, await glossaries(), article.id);
    res.json({
      entries,
      paragraphs: article.paragraphs
        .filter((p) => p.status !== 'deleted')
        .map((p) => ({ id: p.id, terms: glossaryTermsIn(p.text, entries) })),
    });
  });

  const scopeOf = async (articleId: unknown): Promise<string> => {
    if (articleId === undefined || articleId === null || articleId === '') return CORPUS_SCOPE;
    if (typeof articleId !== 'string') throw new BadRequestError('articleId must be a string');
    await loadArticle(services, articleId);
    return articleScope(articleId);
  };

  r.get('/api/glossaries', authorize('read'), async (req, res) => {
    const store = await glossaries();
    const articleId = typeof req.query.articleId === 'string' && req.query.articleId ? req.query.articleId : undefined;
    if (articleId) {
      await loadArticle(services, articleId);
      res.json({
        articleId,
        entries: await store.get(articleScope(articleId)),
        effective: await effectiveGlossary(services.glossary, store, articleId),
      });
      return;
    }
    res.json({ desk: services.glossary, corpus: await store.get(CORPUS_SCOPE), effective: await effectiveGlossary(services.glossary, store) });
  });

  const glossaryUpload = multipart(upload.single('file'));
  const jsonGlossary = z.object({
    articleId: z.string().max(200).optional(),
    mode: z.enum(['replace', 'merge']).optional(),
    entries: z.array(z.unknown()).max(10_000).optional(),
    text: z.string().optional(),
    format: z.enum(GLOSSARY_FORMATS as [GlossaryFormat, ...GlossaryFormat[]]).optional(),
  });
  r.post('/api/glossaries', authorize('import'), (req, res, next) => (req.is('multipart/form-data') ? glossaryUpload(req, res, next) : next()), async (req, res) => {
    const body = jsonGlossary.parse(req.body ?? {});
    const name = req.file ? safeName(req.file.originalname) : 'glossary';
    let result;
    try {
      if (req.file) {
        const text = decodeText({ name, data: req.file.buffer });
        const format = body.format ?? glossaryFormatOf(name, text);
        if (!format) throw new GlossaryFileError('the format is not known from the file name: use .csv, .tsv, .tbx or .json, or send "format"');
        result = parseGlossaryFile(text, format);
      } else if (body.entries) {
        result = parseGlossaryFile(JSON.stringify(validateEntries(body.entries)), 'json');
      } else if (body.text !== undefined) {
        if (!body.format) throw new GlossaryFileError('send "format" (csv, tsv, tbx or json) with "text"');
        result = parseGlossaryFile(body.text, body.format);
      } else {
        throw new BadRequestError('send a glossary: a multipart "file", or JSON with "entries" or "text" and "format"');
      }
    } catch (e) {
      if (e instanceof GlossaryFileError && e.cause instanceof XmlTooComplexError) throw new FileTooComplexError(`${name}: ${e.message}`);
      if (e instanceof GlossaryFileError) throw new BadRequestError(`${name}: ${e.message}`);
      throw e;
    }
    const scope = await scopeOf(body.articleId);
    const actor = actorOf(res);
    const stored = await (await glossaries()).put(scope, result.entries, { at: services.now().toISOString(), username: actor.username }, body.mode ?? 'replace');
    res.status(201).json({ scope: body.articleId ? { articleId: body.articleId } : 'corpus', count: stored.length, received: result.entries.length, entries: stored, warnings: result.warnings });
  });

  r.delete('/api/glossaries', authorize('import'), async (req, res) => {
    const articleId = typeof req.query.articleId === 'string' && req.query.articleId ? req.query.articleId : undefined;
    const scope = articleId ? articleScope(articleId) : CORPUS_SCOPE;
    const removed = await (await glossaries()).remove(scope);
    if (!removed) throw new HttpError(404, articleId ? `article "${articleId}" has no uploaded glossary` : 'there is no uploaded corpus glossary');
    res.json({ deleted: articleId ? { articleId } : 'corpus' });
  });

  return r;
}
