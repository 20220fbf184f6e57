import { createHash, randomUUID } from 'node:crypto';
import { runChecksOffThread } from '../checks/offThreadChecks.js';
import { runMtChecksOffThread } from '../checks/mt/offThread.js';
import { articleLanguages } from '../core/articleFacts.js';
import { isUndecided, nextStatus } from '../core/paragraphState.js';
import { indexOfParagraph, liveNeighbours } from '../core/paragraphLookup.js';
import type { Actor, Article, Paragraph, Suggestion } from '../core/types.js';
import type { EditLevel, Engine, SuggestRequest } from '../engines/types.js';
import { pickDeskExamples, type PickedExample } from './deskExamples.js';
import { articleGlossary } from './articleGlossary.js';
import type { GlossaryEntry } from '../core/glossary.js';
import { DecidedError, EngineFailedError, InvalidStateError, NotFoundError, ParagraphRefusal, StaleRevisionError } from './errors.js';
import { changeParagraph, checkBase, checkState, checkUnlocked, paragraphIndex, primeChecks } from './paragraphChange.js';
import type { Services } from './services.js';

export interface SuggestProps {
  articleId: string;
  paragraphId: string;
  baseRevision?: number;
  actor: Actor;
  level?: EditLevel;
  /** Ask the engine again even when a suggestion for the same text and context exists. */
  force?: boolean;
  engine?: Engine;
  runId?: string;
  /** What the engine was asked to do; a retranslation is never served from the cache for a rewrite. */
  task?: 'rewrite' | 'retranslate';
  /** Batch runs and suggest-all: refuse (DecidedError) a paragraph an editor already decided on. */
  onlyUndecided?: boolean;
  /** An editor's own suggestion is undoable (default); bulk ones (runs, suggest-all) are not. */
  undoable?: boolean;
}

/** Runs leave decided paragraphs alone: checked before the engine is asked and again under the lock. */
function checkUndecided(p: Paragraph): void {
  if (!isUndecided(p.status)) throw new DecidedError(`paragraph ${p.id} is already ${p.status}: left as the editor decided`, structuredClone(p));
}

export function buildRequest(article: Article, p: Paragraph, level: EditLevel, glossary: GlossaryEntry[], examples: PickedExample[] = []): SuggestRequest {
  // The neighbours that are not deleted, found from the paragraph's place rather than by filtering the article.
  const { previous, next } = liveNeighbours(article.paragraphs, indexOfParagraph(article, p.id));
  return {
    paragraphId: p.id,
    text: p.text,
    kind: p.kind,
    ...(p.source ? { source: p.source } : {}),
    targetLang: articleLanguages(article).targetLang,
    level,
    context: {
      title: article.title,
      ...(previous ? { previous: previous.text } : {}),
      ...(next ? { next: next.text } : {}),
      glossary,
      ...(examples.length ? { examples: examples.map(({ mt, final }) => ({ mt, final })) } : {}),
    },
  };
}

/** Everything besides the paragraph text that shapes a suggestion: part of the cache key. */
export function contextHash(request: SuggestRequest): string {
  const { context, source, kind, level } = request;
  return createHash('sha256').update(JSON.stringify({ context, source, kind, level })).digest('hex').slice(0, 16);
}

/** A suggestion made on a copy of the article that turned out stale: made again on the stored article. */
class StaleCopy extends Error {}

/**
 * Asks the engine for a rewrite of the paragraph's current text and attaches it, with its checks.
 *
 * Asked with the revision the editor sees (the editor page always sends it), it starts from the
 * store's copy at hand when there is one (PostgreSQL's cached article: no round trip), which another
 * instance may have made stale. So nothing is decided on that copy: a refusal it would give (the
 * paragraph there is not at the editor's revision, say), or a paragraph found changed under the lock,
 * sends the suggestion back to start over on the stored article, where refusals are final. Without a
 * revision (API scripts, batch runs) it reads the stored article first: a copy that is stale at that
 * paragraph would only be found out after the engine was paid for.
 */
export async function suggestParagraph(services: Services, props: SuggestProps): Promise<Paragraph> {
  const copy = props.baseRevision === undefined ? undefined : services.store.peekArticle?.(props.articleId);
  if (copy) {
    try {
      return await suggestOn(services, props, copy, false);
    } catch (e) {
      if (!(e instanceof StaleCopy)) throw e;
    }
  }
  // Read-only (the store's own frozen object): the change below runs on a draft under the lock.
  const article = await services.store.readArticle(props.articleId);
  if (!article) throw new NotFoundError(`no article "${props.articleId}"`);
  return suggestOn(services, props, article, true);
}

/** The refusals before asking the engine; on a copy that may be stale, a refusal means "read it again". */
function paragraphToSuggest(article: Article, props: SuggestProps, stored: boolean): Paragraph {
  try {
    const p = article.paragraphs[paragraphIndex(article, props.paragraphId)]!;
    checkUnlocked(p, 'suggest');
    if (props.baseRevision !== undefined) checkBase(p, props.baseRevision);
    checkState(p, 'suggest');
    if (props.onlyUndecided) checkUndecided(p);
    return p;
  } catch (e) {
    throw stored ? e : new StaleCopy();
  }
}

async function suggestOn(services: Services, props: SuggestProps, article: Article, stored: boolean): Promise<Paragraph> {
  const engine = props.engine ?? services.engine;
  const level = props.level ?? 'minimal';
  const p = paragraphToSuggest(article, props, stored);

  // The offline engine ignores examples; only LLM engines learn from the desk.
  const examples = engine.id === 'offline' ? [] : await pickDeskExamples(services.store, article, p.id, { trusted: services.trustedEditors ?? new Set() });
  const glossary = await articleGlossary(services, article.id, article);
  const request = buildRequest(article, p, level, glossary, examples);
  // The MT checks on the text the engine gets (cheap, off-thread): hints for an LLM, proven fixes
  // for the offline engine. Part of the context, so of the cache key.
  const mtFlags = await runMtChecksOffThread(p.text, p.source, { kind: p.kind, glossary });
  if (mtFlags.length) request.context.checks = mtFlags;
  const ctxHash = contextHash(request);
  const cached = p.suggestion;
  if (
    !props.force && cached && cached.basedOn === p.text && cached.engine === engine.id &&
    cached.model === engine.model && (cached.level ?? 'minimal') === level && cached.contextHash === ctxHash &&
    (cached.task ?? 'rewrite') === (props.task ?? 'rewrite') &&
    (!engine.promptHashFor || cached.promptHash === engine.promptHashFor(level, props.task ?? 'rewrite'))
  ) {
    // The suggestion at hand is the answer only if the paragraph really is as the copy has it.
    if (!stored) throw new StaleCopy();
    return p;
  }

  let result;
  try {
    result = await engine.suggest(request);
  } catch (e) {
    throw new EngineFailedError(`${engine.id} engine: ${(e as Error).message}`);
  }
  // The checks run on a worker thread: other editors' requests go on meanwhile. An editor's own
  // suggestion also gets the findings its accept will need (MT → suggestion), so the accept has
  // nothing to wait for. Both are work done ahead (lane `later`): they go to the worker one at a time,
  // behind any edit's checks (offThread.ts). Bulk suggestions (runs, suggest-all) are not primed.
  const [checks] = await Promise.all([
    runChecksOffThread(p.text, result.text, { ...(p.source ? { source: p.source } : {}), glossary, ...(p.codes?.length ? { codes: p.codes } : {}) }, 'later'),
    (props.undoable ?? !props.runId) && p.mt && result.text !== p.mt && result.text !== p.text ? primeChecks(p.mt, result.text, p.source, glossary, p.codes, 'later').catch(() => undefined) : undefined,
  ]);
  const suggestion: Suggestion = {
    id: `s-${randomUUID()}`,
    paragraphId: p.id,
    engine: engine.id,
    // The configured model: the cache compares against it (servers may answer a dated snapshot name).
    model: engine.model,
    text: result.text,
    basedOn: p.text,
    checks,
    createdAt: services.now().toISOString(),
    level,
    contextHash: ctxHash,
    ...(result.promptHash ? { promptHash: result.promptHash } : {}),
    ...(result.usage ? { usage: result.usage } : {}),
    ...(props.runId ? { runId: props.runId } : {}),
    ...(props.task === 'retranslate' ? { task: 'retranslate' as const } : {}),
    ...(examples.length ? { examples: examples.map(({ articleId, paragraphId }) => ({ articleId, paragraphId })) } : {}),
  };

  const attach = changeParagraph(
    services,
    { ...props, baseRevision: p.revision },
    'suggest',
    (current, rec) => {
      if (current.text !== suggestion.basedOn) {
        throw new StaleRevisionError('the paragraph changed while the suggestion was being made: ask again', structuredClone(current));
      }
      if (current.status === 'deleted') throw new InvalidStateError('the paragraph was deleted meanwhile', structuredClone(current));
      if (props.onlyUndecided) checkUndecided(current);
      rec.touch(current, true);
      current.suggestion = suggestion;
      current.status = nextStatus('suggest', current.status);
      rec.suggestions.push(suggestion);
      if (suggestion.usage) {
        const usage = (rec.article.usage ??= { prompt: 0, completion: 0 });
        usage.prompt += suggestion.usage.prompt;
        usage.completion += suggestion.usage.completion;
      }
      rec.record(current, 'suggest', current.text, { suggestionId: suggestion.id });
    },
    // An editor's suggestion is their last action: `u` takes it back (status and the suggestion before).
    // A run's are not on the editors' undo stack (undo is per author, and runs act as their starter).
    { undoable: props.undoable ?? !props.runId, requireBase: false },
  );
  if (stored) return attach;
  // Refused under the lock (the paragraph is not at the copy's revision, or its state forbids it):
  // whether the copy was stale or the paragraph changed meanwhile, the stored article decides.
  return attach.catch((e: unknown) => {
    throw e instanceof StaleRevisionError || e instanceof ParagraphRefusal || e instanceof NotFoundError ? new StaleCopy() : e;
  });
}
