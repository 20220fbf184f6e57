/**
 * Interchange routes: XLIFF / DOCX / HTML export, file upload with preview, glossary files.
 *
 *   GET    /api/articles/:id/export?format=xliff|xliff2|docx|html[&srcLang=zh&trgLang=en]
 *          (other formats fall through to the API router's txt/md/json export)
 *   POST   /api/articles/upload[?preview=1]   multipart: file (+ source, reference; title, preview)
 *   POST   /api/articles                      multipart only (same as /upload); JSON falls through
 *   GET    /api/articles/:id/glossary         the glossary that applies and the terms each paragraph holds
 *   GET    /api/glossaries[?articleId=ID]     uploaded glossaries
 *   POST   /api/glossaries                    multipart (file, articleId?, mode?, sourceLang?, targetLang?) or JSON {articleId?, entries | text+format, mode?, sourceLang?, targetLang?}
 *                                             → the entries stored, their language pairs with how many articles each applies to, and
 *                                               a warning naming the languages that apply to no article (stored all the same)
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
import { articleLanguages, undecidedSummary } from '../core/articleFacts.js';
import { glossaryForLanguages, pairLabel, type GlossaryEntry } from '../core/glossary.js';
import { UNDECIDED_HEADER } from '../commands/exportArticle.js';
import { glossaryTermsIn } from '../checks/glossary.js';
import { articleToDocx, DOCX_CONTENT_TYPE } from '../interchange/docx.js';
import { GLOSSARY_FORMATS, glossaryFormatOf, GlossaryFileError, languagePairs, parseGlossaryFile, validateEntries, type GlossaryFormat, type GlossaryLanguages } from '../interchange/glossaryFiles.js';
import { articleToHtml } from '../interchange/html.js';
import { decodeText, importPrepared, MAX_UPLOAD_BYTES, prepareUpload, safeName, UPLOAD_EXTENSIONS, type UploadedFile } from '../interchange/upload.js';
import { exportXliff, isLanguageTag, XliffError } from '../interchange/xliff.js';
import { FileTooComplexError } from '../interchange/limits.js';
import { invalidCharsWarning, XmlTooComplexError } from '../interchange/xml.js';
import { articleScope, CORPUS_SCOPE, effectiveGlossary, type GlossaryStore } from '../store/glossaryStore.js';
import { HttpError } from './errors.js';
import { presentArticle } from './presenters.js';
import { actorOf, authorize } from './session.js';

export const INTERCHANGE_EXPORT_FORMATS = ['xliff', 'xliff2', 'docx', 'html'] as const;
/** Export warnings (characters left out, codes not paired …), one per line, in this header. */
export const WARNINGS_HEADER = 'X-Postedit-Warnings';
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

async function loadArticle(services: Services, id: string): Promise<Article> {
  const article = await services.store.getArticle(id);
  if (!article) throw new NotFoundError(`no article "${id}"`);
  return article;
}

/**
 * Which articles each language pair of a glossary applies to (one article, or all of them for the
 * corpus glossary), and a warning naming the languages that apply to none: a glossary is never
 * applied to another language pair, and never silently left unused.
 */
async function languageCoverage(services: Services, entries: GlossaryEntry[], articleId?: string) {
  const ids = articleId ? [articleId] : (await services.store.listArticles()).map((a) => a.id);
  const pairs = new Map<string, { sourceLang: string; targetLang: string; articles: number }>();
  for (const id of ids) {
    const a = await services.store.readArticle(id);
    if (!a) continue;
    const l = articleLanguages(a);
    const key = `${l.sourceLang}\u0001${l.targetLang}`;
    pairs.set(key, { ...l, articles: (pairs.get(key)?.articles ?? 0) + 1 });
  }
  const languages = languagePairs(entries).map((g) => {
    const probe: GlossaryEntry[] = [{ term: 'x', preferred: 'x', sourceLang: g.sourceLang, targetLang: g.targetLang }];
    const articles = [...pairs.values()].reduce((n, a) => n + (glossaryForLanguages(probe, a).length ? a.articles : 0), 0);
    return { ...g, articles };
  });
  const unused = languages.filter((l) => l.articles === 0);
  const seen = [...pairs.values()].map((a) => (a.sourceLang === 'und' ? `${a.targetLang} (no source language)` : `${a.sourceLang}→${a.targetLang}`));
  const where = articleId ? `article "${articleId}" is ${seen[0] ?? 'unknown'}` : seen.length ? `the articles are ${[...new Set(seen)].join(', ')}` : 'there are no articles yet';
  const warnings: string[] = [];
  if (unused.length) {
    const list = unused.map((l) => `${pairLabel(l)} (${l.entries} entr${l.entries === 1 ? 'y' : 'ies'})`).join(', ');
    const target = articleId ? 'this article' : 'any article';
    warnings.push(unused.length === languages.length
      ? `this glossary is ${list}: it does not apply to ${target} (${where}); it is stored and applies only to articles of its languages`
      : `the ${list} entries do not apply to ${target} (${where}); the other entries do`);
  }
  return { languages, warnings };
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
    const languages = articleLanguages(article);
    // Only the entries of the article's language pair apply (core/glossary.ts).
    const entries = glossaryForLanguages(await effectiveGlossary(services.glossary, await glossaries(), article.id), languages);
    res.json({
      languages,
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
      const article = await loadArticle(services, articleId);
      res.json({
        articleId,
        entries: await store.get(articleScope(articleId)),
        effective: glossaryForLanguages(await effectiveGlossary(services.glossary, store, articleId), articleLanguages(article)),
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
    sourceLang: z.string().max(35).optional(),
    targetLang: z.string().max(35).optional(),
  });
  r.post('/api/glossaries', authorize('import'), (req, res, next) => (req.is('multipart/form-data') ? glossaryUpload(req, res, next) : next()), async (req, res) => {
    const body = jsonGlossary.parse(req.body ?? {});
    const name = req.file ? safeName(req.file.originalname) : 'glossary';
    const given: GlossaryLanguages = { ...(body.sourceLang?.trim() ? { sourceLang: body.sourceLang.trim() } : {}), ...(body.targetLang?.trim() ? { targetLang: body.targetLang.trim() } : {}) };
    let result;
    try {
      if (req.file) {
        const text = decodeText({ name, data: req.file.buffer });
        const format = body.format ?? glossaryFormatOf(name, text);
        if (!format) throw new GlossaryFileError('the format is not known from the file name: use .csv, .tsv, .tbx or .json, or send "format"');
        result = parseGlossaryFile(text, format, given);
      } else if (body.entries) {
        result = parseGlossaryFile(JSON.stringify(validateEntries(body.entries)), 'json', given);
      } else if (body.text !== undefined) {
        if (!body.format) throw new GlossaryFileError('send "format" (csv, tsv, tbx or json) with "text"');
        result = parseGlossaryFile(body.text, body.format, given);
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
    const coverage = await languageCoverage(services, result.entries, body.articleId || undefined);
    res.status(201).json({
      scope: body.articleId ? { articleId: body.articleId } : 'corpus',
      count: stored.length,
      received: result.entries.length,
      entries: stored,
      languages: coverage.languages,
      warnings: [...result.warnings, ...coverage.warnings],
    });
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
