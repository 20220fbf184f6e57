/**
 * Harper's linter for this thread: loaded lazily by the first call that needs it, configured and
 * warmed up once, shared by every later call, and replaced if it ever fails.
 *
 * Loading takes about 1–2 s: the WebAssembly binary (`harper.js/slimBinary`, read from its file, so no
 * 21 MB base64 copy of it stays on the heap as with the `…Inlined` entry points) is compiled, and
 * Harper builds its dictionary in WebAssembly memory (~160 MB, which WebAssembly never gives back
 * while the thread lives). The first misspelt word with no dictionary word within three edits (a
 * foreign name, say) makes Harper build an edit-distance-4 automaton it keeps: ~64 MB more and a
 * one-off lint of ~3.6–3.8 s of CPU here (8.4 s with Liftoff only). Concurrent first calls share the same setup
 * promise. The memory is released by ending the thread: the app runs Harper on a worker thread of its own that is
 * terminated after a while without work (`./offThreadGrammar.ts`).
 */
import type { LocalLinter, SuggestionKind } from 'harper.js';
import { setFlagsFromString } from 'node:v8';

export interface Engine {
  linter: LocalLinter;
  suggestionKind: typeof SuggestionKind;
}

let enginePromise: Promise<Engine> | null = null;

/**
 * Run once at setup: Harper builds its spelling-suggestion index lazily on the first misspelling
 * (~1 s) and the wasm code gets optimised on first use, so warm both up with varied news English.
 */
const WARM_UP_TEXT = [
  'Baoan District held an the the meeting on smart wearabel industry tecnology, and and officials said',
  'the output value reached 1.2 billion yuan in 2014 , up 12.4% from a year earlier.',
  'According to the report, most of the products is made by local enterprises; a industry alliance',
  "was established in January, and the city's government will introduce new policies soon.",
  'Its a important step.  He dont know where they was going... "We was there," she said.',
].join(' ');

/** This thread's linter, created on first use (and again after `discardEngine`). */
export function getEngine(): Promise<Engine> {
  if (enginePromise === null) {
    const p = createEngine();
    enginePromise = p;
    p.catch(() => {
      if (enginePromise === p) enginePromise = null;
    });
  }
  return enginePromise;
}

async function createEngine(): Promise<Engine> {
  // WebAssembly compiled by the baseline compiler (Liftoff), and only the very hottest functions
  // optimised: a tier-up budget ~330 times V8's default. Harper alone over the corpus, a fresh linter
  // (bench/RESULTS.md, session 18): 7.9 s of CPU against 13.2 s with Liftoff only — most of it the
  // one-off distance-4 spelling automaton a word like "Kishimoto" makes Harper build, 3.8 s against
  // 8.6 s — for 319 against 295 MB resident (V8's default budget: ~400 MB). The same answers: the
  // tier only changes how fast the same WebAssembly runs. (A V8 flag, so process-wide; the only other
  // WebAssembly in the process is undici's small HTTP parser.)
  setFlagsFromString('--wasm-tiering-budget=600000000');
  // The slim build (Harper without its Typst/TeX parsers and thesaurus: the same answers on the
  // corpus, README and RESULTS, 2,190 lints). `harper.js/binary` instantiates the slim module too,
  // beside the full one, for its top-level helpers: ~26 MB more resident for nothing we use.
  const [harper, { slimBinary }] = await Promise.all([import('harper.js'), import('harper.js/slimBinary')]);
  const linter = new harper.LocalLinter({ binary: slimBinary, dialect: harper.Dialect.American });
  await linter.setup();
  // Let the event loop turn once: a one-off ~1 s main-thread task that V8 queues after the wasm
  // set-up is cheap now but would otherwise land in the middle of the first real request.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const config = await linter.getLintConfig();
  // We report long sentences ourselves (fixed message format, our own sentence splitter).
  if ('LongSentences' in config) await linter.setLintConfig({ ...config, LongSentences: false });
  for (const lint of await linter.lint(WARM_UP_TEXT, { language: 'plaintext' })) lint.free();
  return { linter, suggestionKind: harper.SuggestionKind };
}

/** Forget a linter that failed (a Rust panic poisons the instance): the next call builds a fresh one. */
export function discardEngine(p: Promise<Engine>): void {
  if (enginePromise === p) enginePromise = null;
  p.then((e) => e.linter.dispose()).catch(() => undefined);
}

/** Build this thread's linter now instead of on the first call. Resolves to the time spent waiting, in ms. */
export async function warmUpGrammar(): Promise<number> {
  const t0 = performance.now();
  await getEngine();
  return performance.now() - t0;
}
