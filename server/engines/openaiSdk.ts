/**
 * The openai SDK, imported the first time something talks to an LLM server. Importing it costs ~0.14 s
 * of CPU (measured here), which every server start, `npm run import`, each batch worker and the test
 * suite's child processes paid whether or not an LLM was configured.
 */
import type OpenAI from 'openai';

export type OpenAIModule = typeof import('openai');

let loaded: OpenAIModule | undefined;
let loading: Promise<OpenAIModule> | undefined;

export function loadOpenAI(): Promise<OpenAIModule> {
  return (loading ??= import('openai').then((m) => (loaded = m)));
}

/** The SDK's classes if it was loaded: an error cannot have come from it otherwise (no import for an instanceof). */
export function loadedOpenAI(): typeof OpenAI | undefined {
  return loaded?.default;
}

/** True for the SDK's 400/422 whose message says the server does not support response_format / json_schema. */
export function isResponseFormatUnsupported(err: unknown): boolean {
  const sdk = loadedOpenAI();
  if (!sdk || !(err instanceof sdk.APIError) || (err.status !== 400 && err.status !== 422)) return false;
  return /response_format|json_schema/i.test(`${err.message} ${err.param ?? ''}`);
}
