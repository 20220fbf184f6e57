/**
 * MT flags per paragraph, computed in the background and remembered, keyed by everything they depend
 * on: the MT, its source, the paragraph kind, the article's length ratio, the glossary and the
 * checks' version. An MT never changes, so a paragraph is checked once per server run; pages show
 * what is known and never wait (opening a 1,000-paragraph article renders at once), the JSON API
 * and the risk sort wait for the rest. A text another request is already checking is waited for,
 * not checked twice. LLM annotations, when asked for, are kept beside and merged in.
 */
import { createHash } from 'node:crypto';
import type { GlossaryEntry } from '../../core/glossary.js';
import { medianLengthRatio } from '../../core/lengthRatio.js';
import { paragraphRisk } from '../../core/risk.js';
import type { Article, MtFlag, Paragraph } from '../../core/types.js';
import { MT_CHECKS_VERSION } from './index.js';
import type { MtCheckContext } from './types.js';

const MAX_ENTRIES = 50_000;

export interface ParagraphMtFlags {
  flags: MtFlag[];
  risk: number;
}

/** What the article list shows of an article's MT flags. */
export interface MtSummary {
  /** Paragraphs with an MT. */
  live: number;
  checked: number;
  /** Paragraphs with at least one flag, and with a major one. */
  flagged: number;
  major: number;
}

export type MtCheckRunner = (mt: string, source: string | undefined, ctx: MtCheckContext) => Promise<MtFlag[]>;
/** LLM annotation of one paragraph, given the offline flags as hints; merged with them. */
export type MtAnnotate = (mt: string, source: string | undefined, offline: MtFlag[]) => Promise<MtFlag[]>;

/** The article's median MT/source length ratio (live paragraphs), rounded for the cache key. */
export function articleLengthRatio(paragraphs: readonly Paragraph[]): number | undefined {
  const median = medianLengthRatio(paragraphs.filter((p) => p.status !== 'deleted'));
  // Rounded so that one paragraph more or less does not make every key of the article new.
  return median === undefined ? undefined : Math.round(median * 10) / 10;
}

function glossaryKey(glossary: readonly GlossaryEntry[]): string {
  if (!glossary.length) return '';
  return createHash('sha1').update(JSON.stringify(glossary.map((e) => [e.term, e.preferred, e.sourceLang ?? '', e.targetLang ?? '', e.alternatives ?? []]))).digest('base64url');
}

interface Job {
  key: string;
  p: Paragraph;
  ctx: MtCheckContext;
}

export class MtFlagCache {
  #cache = new Map<string, MtFlag[]>();
  #llm = new Map<string, MtFlag[]>();
  #running = new Map<string, Promise<MtFlag[]>>();
  #summaries = new Map<string, MtSummary>();
  /** Last key seen per article paragraph, with the texts it was made from, for cheap lookups. */
  #keys = new Map<string, { key: string; mt: string; source: string | undefined; context: string }>();
  #run: MtCheckRunner;
  #annotate: MtAnnotate | undefined;

  constructor(run: MtCheckRunner, annotate?: MtAnnotate) {
    this.#run = run;
    this.#annotate = annotate;
  }

  /** The counts of the article's last look-up, if it had one since the server started. */
  summary(articleId: string): MtSummary | undefined {
    return this.#summaries.get(articleId);
  }

  /** Whether an LLM annotator is configured. */
  get canAnnotate(): boolean {
    return this.#annotate !== undefined;
  }

  #jobs(article: Article, glossary: readonly GlossaryEntry[]): Job[] {
    const ratio = articleLengthRatio(article.paragraphs);
    const gk = glossaryKey(glossary);
    const jobs: Job[] = [];
    const terms = glossary.length ? [...glossary] : undefined;
    for (const p of article.paragraphs) {
      if (p.status === 'deleted' || !p.mt) continue;
      const ctx: MtCheckContext = { kind: p.kind, ...(ratio !== undefined && p.source ? { articleLengthRatio: ratio } : {}), ...(terms ? { glossary: terms } : {}) };
      // Hashing every paragraph on every page view would cost a 1,000-paragraph page milliseconds.
      const where = `${article.id}\u0000${p.id}`;
      const known = this.#keys.get(where);
      const context = `${p.kind}\u0001${ratio ?? ''}\u0001${gk}`;
      let key: string;
      if (known && known.mt === p.mt && known.source === p.source && known.context === context) {
        key = known.key;
      } else {
        key = createHash('sha1').update([MT_CHECKS_VERSION, context, p.source ?? '\u0000', p.mt].join('\u0001')).digest('base64url');
        if (this.#keys.size >= MAX_ENTRIES * 4) this.#keys.clear();
        this.#keys.set(where, { key, mt: p.mt, source: p.source, context });
      }
      jobs.push({ key, p, ctx });
    }
    return jobs;
  }

  #entry(key: string): ParagraphMtFlags | undefined {
    const offline = this.#cache.get(key);
    if (!offline) return undefined;
    const llm = this.#llm.get(key);
    const flags = llm ? llm : offline;
    return { flags, risk: paragraphRisk(flags) };
  }

  /**
   * What is known of one paragraph, without hashing anything (for action responses): the answer for
   * the key last computed for it, if its MT and source are still the same.
   */
  lookup(articleId: string, p: Paragraph): ParagraphMtFlags | undefined {
    const k = this.#keys.get(`${articleId}\u0000${p.id}`);
    if (!k || k.mt !== p.mt || k.source !== p.source) return undefined;
    return this.#entry(k.key);
  }

  /** What is known now, by paragraph id; paragraphs not checked yet are absent. */
  peek(article: Article, glossary: readonly GlossaryEntry[]): Map<string, ParagraphMtFlags> {
    const out = new Map<string, ParagraphMtFlags>();
    const jobs = this.#jobs(article, glossary);
    let flagged = 0;
    let major = 0;
    for (const j of jobs) {
      const e = this.#entry(j.key);
      if (!e) continue;
      out.set(j.p.id, e);
      if (e.flags.length) flagged++;
      if (e.flags.some((f) => f.severity === 'major')) major++;
    }
    this.#summaries.set(article.id, { live: jobs.length, checked: out.size, flagged, major });
    return out;
  }

  /**
   * Checks what is not known yet and returns what is known once all of it is, or once the budget runs
   * out (0: starts the checks and answers at once).
   */
  async fill(article: Article, glossary: readonly GlossaryEntry[], budgetMs = Infinity): Promise<Map<string, ParagraphMtFlags>> {
    const jobs = this.#jobs(article, glossary).filter((j) => !this.#cache.has(j.key));
    if (jobs.length) {
      const all = Promise.all(jobs.map((j) => this.#check(j)));
      if (budgetMs === Infinity) await all;
      else if (budgetMs > 0) await Promise.race([all, new Promise((r) => setTimeout(r, budgetMs).unref())]);
      else all.catch(() => {});
    }
    return this.peek(article, glossary);
  }

  /** Asks the LLM annotator about every paragraph of the article (after the offline checks). */
  async annotate(article: Article, glossary: readonly GlossaryEntry[]): Promise<{ annotated: number; failed: number }> {
    const annotate = this.#annotate;
    if (!annotate) return { annotated: 0, failed: 0 };
    await this.fill(article, glossary);
    let annotated = 0;
    let failed = 0;
    await Promise.all(this.#jobs(article, glossary).map(async (j) => {
      if (this.#llm.has(j.key)) return;
      try {
        const merged = await annotate(j.p.mt, j.p.source, this.#cache.get(j.key) ?? []);
        this.#remember(this.#llm, j.key, merged);
        annotated++;
      } catch {
        failed++;
      }
    }));
    return { annotated, failed };
  }

  #check(j: Job): Promise<MtFlag[]> {
    let running = this.#running.get(j.key);
    if (!running) {
      running = this.#run(j.p.mt, j.p.source, j.ctx)
        .then((flags) => {
          this.#remember(this.#cache, j.key, flags);
          return flags;
        })
        .finally(() => this.#running.delete(j.key));
      this.#running.set(j.key, running);
    }
    return running;
  }

  #remember(map: Map<string, MtFlag[]>, key: string, flags: MtFlag[]): void {
    if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
    map.set(key, flags);
  }
}
