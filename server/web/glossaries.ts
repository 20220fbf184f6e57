/**
 * Glossaries over HTTP: the glossary that applies to an article, the uploaded ones, and uploading
 * and removing them (read by interchange/glossaryFiles.ts, stored by commands/uploadGlossary.ts).
 *
 *   GET    /api/articles/:id/glossary         the glossary that applies and the terms each paragraph holds
 *   GET    /api/glossaries[?articleId=ID]     uploaded glossaries
 *   POST   /api/glossaries                    multipart (file, articleId?, mode?, sourceLang?, targetLang?) or JSON {articleId?, entries | text+format, mode?, sourceLang?, targetLang?}
 *                                             → the entries stored, their language pairs with how many articles each applies to, and
 *                                               a warning naming the languages that apply to no article (stored all the same)
 *   DELETE /api/glossaries?articleId=ID       (no articleId: the uploaded corpus glossary)
 */
import type { Router } from 'express';
import { z } from 'zod';
import { articleGlossary } from '../commands/articleGlossary.js';
import { NotFoundError } from '../commands/errors.js';
import type { Services } from '../commands/services.js';
import { removeGlossary, uploadGlossary } from '../commands/uploadGlossary.js';
import { glossaryTermsIn } from '../checks/glossary.js';
import { articleLanguages } from '../core/articleFacts.js';
import type { Article } from '../core/types.js';
import { GLOSSARY_FORMATS, readGlossaryUpload, type GlossaryFormat } from '../interchange/glossaryFiles.js';
import { articleScope, CORPUS_SCOPE, effectiveGlossary } from '../store/glossaryStore.js';
import { actorOf, authorize } from './session.js';
import { multipart, upload } from './uploads.js';

async function loadArticle(services: Services, id: string): Promise<Article> {
  const article = await services.store.readArticle(id);
  if (!article) throw new NotFoundError(`no article "${id}"`);
  return article;
}

const jsonGlossary = z.object({
  articleId: z.string().max(200).optional(),
  mode: z.enum(['replace', 'merge']).optional(),
  entries: z.array(z.unknown()).max(10_000).optional(),
  text: z.string().optional(),
  format: z.enum(GLOSSARY_FORMATS as [GlossaryFormat, ...GlossaryFormat[]]).optional(),
  sourceLang: z.string().max(35).optional(),
  targetLang: z.string().max(35).optional(),
});

/** The glossary routes, on `r`. */
export function glossaryRoutes(r: Router, services: Services): void {
  r.get('/api/articles/:id/glossary', authorize('read'), async (req, res) => {
    const article = await loadArticle(services, req.params.id);
    // Only the entries of the article's language pair apply (core/glossary.ts): what its checks use.
    const entries = await articleGlossary(services, article.id, article);
    res.json({
      languages: articleLanguages(article),
      entries,
      paragraphs: article.paragraphs
        .filter((p) => p.status !== 'deleted')
        .map((p) => ({ id: p.id, terms: glossaryTermsIn(p.text, entries) })),
    });
  });

  r.get('/api/glossaries', authorize('read'), async (req, res) => {
    const store = services.glossaries;
    const articleId = typeof req.query.articleId === 'string' && req.query.articleId ? req.query.articleId : undefined;
    if (articleId) {
      const article = await loadArticle(services, articleId);
      res.json({
        articleId,
        entries: await store.get(articleScope(articleId)),
        effective: await articleGlossary(services, articleId, article),
      });
      return;
    }
    res.json({ desk: services.glossary, corpus: await store.get(CORPUS_SCOPE), effective: await effectiveGlossary(services.glossary, store) });
  });

  const glossaryUpload = multipart(upload.single('file'));
  r.post('/api/glossaries', authorize('import'), (req, res, next) => (req.is('multipart/form-data') ? glossaryUpload(req, res, next) : next()), async (req, res) => {
    const body = jsonGlossary.parse(req.body ?? {});
    const given = { ...(body.sourceLang?.trim() ? { sourceLang: body.sourceLang.trim() } : {}), ...(body.targetLang?.trim() ? { targetLang: body.targetLang.trim() } : {}) };
    const parsed = readGlossaryUpload({
      ...(req.file ? { file: { name: req.file.originalname, data: req.file.buffer } } : {}),
      entries: body.entries,
      text: body.text,
      format: body.format,
      given,
    });
    const result = await uploadGlossary(services, { articleId: body.articleId, entries: parsed.entries, mode: body.mode, actor: actorOf(res) });
    res.status(201).json({
      scope: result.scope,
      count: result.stored.length,
      received: parsed.entries.length,
      entries: result.stored,
      languages: result.languages,
      warnings: [...parsed.warnings, ...result.warnings],
    });
  });

  r.delete('/api/glossaries', authorize('import'), async (req, res) => {
    const articleId = typeof req.query.articleId === 'string' && req.query.articleId ? req.query.articleId : undefined;
    res.json(await removeGlossary(services, { articleId, actor: actorOf(res) }));
  });
}
