/** The ids of the suggestion engines (their makers are in index.ts); a file of its own so CLIs can check an id without loading them. */
export const ENGINE_IDS = ['offline', 'openai'] as const;
export type EngineId = (typeof ENGINE_IDS)[number];

export function isEngineId(id: string): id is EngineId {
  return (ENGINE_IDS as readonly string[]).includes(id);
}
