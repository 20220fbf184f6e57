/** What commands need from the outside world, passed in so web, CLI and tests share one set. */
import type { GlossaryEntry } from '../core/glossary.js';
import type { Engine } from '../engines/types.js';
import type { Store } from '../store/types.js';
import type { UserStore } from '../store/userStore.js';
import type { GrammarCache } from '../checks/grammarCache.js';
import type { GlossaryStore } from '../store/glossaryStore.js';
import type { MtFlagCache } from '../checks/mt/flagCache.js';

export interface Services {
  store: Store;
  users: UserStore;
  /** Engine used for suggestions unless a command names another. */
  engine: Engine;
  /** The desk glossary (corpus/glossary.json). */
  glossary: GlossaryEntry[];
  /** Uploaded glossaries, for the corpus and per article. */
  glossaries: GlossaryStore;
  /** Grammar and readability flags of paragraph texts, computed in the background. */
  grammar: GrammarCache;
  /** MT flags (the MT checked against its source) and risk per paragraph, computed in the background. */
  mtFlags: MtFlagCache;
  now: () => Date;
  /** End the grammar and MT-check worker threads now if they have no job (after a background warm-up:
   *  their memory goes back at once); absent: they end after the idle time only. */
  releaseWorkers?: () => void;
  /** Editors whose corrections may be LLM examples in other articles (POSTEDIT_TRUSTED_EDITORS); absent: none. */
  trustedEditors?: ReadonlySet<string>;
}
