/**
 * Estimated cost of a run from its token counts. Prices are USD per million tokens as published by
 * OpenAI (checked 2025); OPENAI_PRICE_INPUT / OPENAI_PRICE_OUTPUT override them for other models or
 * servers. A model not in the table has no estimate rather than a wrong one.
 */
import type { TokenUsage } from '../core/types.js';

const PRICES: Record<string, { input: number; output: number }> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
};

export function priceOf(engine: string, model: string, env: NodeJS.ProcessEnv = process.env): { input: number; output: number } | undefined {
  if (engine === 'offline') return { input: 0, output: 0 };
  const input = Number(env.OPENAI_PRICE_INPUT);
  const output = Number(env.OPENAI_PRICE_OUTPUT);
  if (env.OPENAI_PRICE_INPUT && env.OPENAI_PRICE_OUTPUT && Number.isFinite(input) && Number.isFinite(output)) return { input, output };
  // Dated snapshots (gpt-4o-mini-2024-07-18) cost what their family costs.
  const family = Object.keys(PRICES).sort((a, b) => b.length - a.length).find((k) => model === k || model.startsWith(`${k}-20`));
  return family ? PRICES[family] : undefined;
}

export function estimateCost(engine: string, model: string, tokens: TokenUsage, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const price = priceOf(engine, model, env);
  if (!price) return undefined;
  return (tokens.prompt * price.input + tokens.completion * price.output) / 1_000_000;
}
