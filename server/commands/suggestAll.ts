/**
 * Suggestions for every undecided paragraph of one article at once (editors' "suggest all"), with
 * progress. Decided (accepted, edited, rejected, kept) and approved paragraphs are left alone.
 * A job runs in this process; `SuggestAllJobs` keeps the latest one per article for polling.
 */
import { isUndecided } from '../core/paragraphState.js';
import { isLocked } from '../core/reviewState.js';
import type { Actor } from '../core/types.js';
import type { EditLevel } from '../engines/types.js';
import { CommandError, NotFoundError } from './errors.js';
import type { Services } from './services.js';
import { suggestParagraph } from './suggestParagraph.js';

export interface SuggestAllProgress {
  articleId: string;
  status: 'running' | 'finished';
  by: string;
  level: EditLevel;
  startedAt: string;
  finishedAt?: string;
  /** Undecided paragraphs to suggest for. */
  total: number;
  done: number;
  failed: number;
  /** Paragraphs left alone: decided or approved when the job started, or decided meanwhile. */
  skipped: number;
  /** The first engine error, if any paragraph failed. */
  error?: string;
}

export interface SuggestAllProps {
  articleId: string;
  actor: Actor;
  level?: EditLevel;
  /** Paragraphs asked at once. */
  concurrency?: number;
  onProgress?: (p: SuggestAllProgress) => void;
}

export async function suggestAll(services: Services, props: SuggestAllProps): Promise<SuggestAllProgress> {
  const article = await services.store.readArticle(props.articleId);
  if (!article) throw new NotFoundError(`no article "${props.articleId}"`);
  const live = article.paragraphs.filter((p) => p.status !== 'deleted');
  const todo = live.filter((p) => isUndecided(p.status) && !isLocked(p.review)).map((p) => p.id);
  const progress: SuggestAllProgress = {
    articleId: article.id,
    status: 'running',
    by: props.actor.username,
    level: props.level ?? 'minimal',
    startedAt: services.now().toISOString(),
    total: todo.length,
    done: 0,
    failed: 0,
    skipped: live.length - todo.length,
  };
  props.onProgress?.({ ...progress });
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const paragraphId = todo[next++]!;
      try {
        // Not forced: a suggestion already open for the same text and context is kept, not paid again.
        await suggestParagraph(services, { articleId: article.id, paragraphId, actor: props.actor, level: progress.level, onlyUndecided: true, undoable: false });
        progress.done++;
      } catch (e) {
        if (!(e instanceof CommandError)) throw e;
        if (e.status === 409 || e.status === 423 || e.status === 404) progress.skipped++;
        else {
          progress.failed++;
          progress.error ??= e.message;
        }
      }
      props.onProgress?.({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.min(props.concurrency ?? 4, Math.max(1, todo.length)) }, worker));
  progress.status = 'finished';
  progress.finishedAt = services.now().toISOString();
  props.onProgress?.({ ...progress });
  return progress;
}

/** The latest suggest-all job per article in this process: one runs at a time per article. */
export class SuggestAllJobs {
  readonly #jobs = new Map<string, { progress: SuggestAllProgress; done: Promise<SuggestAllProgress> }>();

  /** Starts a job, or returns the one already running for the article. */
  start(services: Services, props: SuggestAllProps): { progress: () => SuggestAllProgress; done: Promise<SuggestAllProgress>; joined: boolean } {
    const running = this.#jobs.get(props.articleId);
    if (running?.progress.status === 'running') {
      return { progress: () => ({ ...running.progress }), done: running.done, joined: true };
    }
    const entry = {
      progress: { articleId: props.articleId, status: 'running', by: props.actor.username, level: props.level ?? 'minimal', startedAt: services.now().toISOString(), total: 0, done: 0, failed: 0, skipped: 0 } as SuggestAllProgress,
      done: undefined as unknown as Promise<SuggestAllProgress>,
    };
    this.#jobs.set(props.articleId, entry);
    entry.done = suggestAll(services, { ...props, onProgress: (p) => (entry.progress = p) }).catch((e: unknown) => {
      // A store failure: the job ends; what was stored stays stored.
      entry.progress = { ...entry.progress, status: 'finished', finishedAt: services.now().toISOString(), error: e instanceof Error ? e.message : String(e) };
      if (!(e instanceof NotFoundError)) console.error(`suggest-all on ${props.articleId} failed:`, e);
      if (e instanceof NotFoundError) this.#jobs.delete(props.articleId);
      throw e;
    });
    entry.done.catch(() => {});
    return { progress: () => ({ ...entry.progress }), done: entry.done, joined: false };
  }

  latest(articleId: string): SuggestAllProgress | undefined {
    const j = this.#jobs.get(articleId);
    return j ? { ...j.progress } : undefined;
  }
}

const jobsByServices = new WeakMap<Services, SuggestAllJobs>();

/** The suggest-all jobs of one app (one set of services): the API and the pages share them. */
export function suggestAllJobs(services: Services): SuggestAllJobs {
  let jobs = jobsByServices.get(services);
  if (!jobs) jobsByServices.set(services, (jobs = new SuggestAllJobs()));
  return jobs;
}
