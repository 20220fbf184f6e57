/**
 * The paragraph actions the API and the page forms share: input schema and command for each.
 * Routes stay thin: parse with the schema, call the command, present the result.
 */
import { z } from 'zod';
import { acceptSuggestion } from '../commands/acceptSuggestion.js';
import { deleteParagraph } from '../commands/deleteParagraph.js';
import { editParagraph } from '../commands/editParagraph.js';
import { mergeParagraph } from '../commands/mergeParagraph.js';
import { rejectSuggestion } from '../commands/rejectSuggestion.js';
import { keepParagraph } from '../commands/keepParagraph.js';
import { revertParagraph } from '../commands/revertParagraph.js';
import type { Services } from '../commands/services.js';
import { splitParagraph } from '../commands/splitParagraph.js';
import { suggestParagraph } from '../commands/suggestParagraph.js';
import { commentParagraph, reviewParagraph } from '../commands/reviewParagraph.js';
import type { ReviewAction } from '../core/reviewState.js';
import type { Actor, Paragraph } from '../core/types.js';

const revision = z.coerce.number().int().min(0);
const seconds = z.coerce.number().min(0).max(86_400).optional();
const base = z.object({ baseRevision: revision, seconds });

/** Form checkboxes arrive as a string or an array of strings; JSON as an array of numbers. */
const spanList = z
  .union([z.array(z.coerce.number().int()), z.coerce.number().int().transform((n) => [n])])
  .optional();

export const ACTIONS = {
  suggest: {
    schema: z.object({
      baseRevision: revision.optional(),
      level: z.enum(['minimal', 'fluent']).optional(),
      force: z.union([z.boolean(), z.enum(['1', 'true', 'on']).transform(() => true)]).optional(),
    }),
    run: (s: Services, t: Target, b: { baseRevision?: number | undefined; level?: 'minimal' | 'fluent' | undefined; force?: boolean | undefined }) =>
      suggestParagraph(s, {
        ...t,
        ...(b.baseRevision !== undefined ? { baseRevision: b.baseRevision } : {}),
        ...(b.level ? { level: b.level } : {}),
        force: b.force ?? false,
      }),
  },
  accept: {
    schema: base.extend({
      suggestionId: z.string().min(1),
      spans: spanList,
      partial: z.string().optional(),
      confirmWarnings: z.union([z.boolean(), z.enum(['1', 'true', 'on']).transform(() => true)]).optional(),
    }),
    run: (s: Services, t: Target, b: { baseRevision: number; seconds?: number | undefined; suggestionId: string; spans?: number[] | undefined; partial?: string | undefined; confirmWarnings?: boolean | undefined }) =>
      acceptSuggestion(s, {
        ...t,
        ...withSeconds(b),
        baseRevision: b.baseRevision,
        suggestionId: b.suggestionId,
        confirmWarnings: b.confirmWarnings ?? false,
        // A form posts `partial=1` with the ticked spans; without it, the whole suggestion is taken.
        ...(b.spans !== undefined || b.partial ? { spans: b.spans ?? [] } : {}),
      }),
  },
  edit: {
    schema: base.extend({ text: z.string() }),
    run: (s: Services, t: Target, b: { baseRevision: number; seconds?: number | undefined; text: string }) =>
      editParagraph(s, { ...t, ...withSeconds(b), baseRevision: b.baseRevision, text: b.text }),
  },
  reject: {
    schema: base,
    run: (s: Services, t: Target, b: { baseRevision: number; seconds?: number | undefined }) =>
      rejectSuggestion(s, { ...t, ...withSeconds(b), baseRevision: b.baseRevision }),
  },
  keep: {
    schema: base,
    run: (s: Services, t: Target, b: { baseRevision: number; seconds?: number | undefined }) =>
      keepParagraph(s, { ...t, ...withSeconds(b), baseRevision: b.baseRevision }),
  },
  revert: {
    schema: base.extend({ to: z.coerce.number().int().min(1) }),
    run: (s: Services, t: Target, b: { baseRevision: number; seconds?: number | undefined; to: number }) =>
      revertParagraph(s, { ...t, ...withSeconds(b), baseRevision: b.baseRevision, to: b.to }),
  },
  delete: {
    schema: base,
    run: (s: Services, t: Target, b: { baseRevision: number; seconds?: number | undefined }) =>
      deleteParagraph(s, { ...t, ...withSeconds(b), baseRevision: b.baseRevision }),
  },
  split: {
    schema: base.extend({ at: z.coerce.number().int() }),
    run: (s: Services, t: Target, b: { baseRevision: number; seconds?: number | undefined; at: number }) =>
      splitParagraph(s, { ...t, ...withSeconds(b), baseRevision: b.baseRevision, at: b.at }),
  },
  merge: {
    schema: base,
    run: (s: Services, t: Target, b: { baseRevision: number; seconds?: number | undefined }) =>
      mergeParagraph(s, { ...t, ...withSeconds(b), baseRevision: b.baseRevision }),
  },
  submit: reviewAction('submit'),
  approve: reviewAction('approve'),
  'send-back': reviewAction('send-back'),
  reopen: reviewAction('reopen'),
  comment: {
    schema: z.object({ text: z.string() }),
    run: (s: Services, t: Target, b: { text: string }) => commentParagraph(s, { ...t, text: b.text }),
  },
} as const;

function reviewAction(action: ReviewAction) {
  return {
    schema: base.extend({ comment: z.string().optional() }),
    run: (s: Services, t: Target, b: { baseRevision: number; seconds?: number | undefined; comment?: string | undefined }) =>
      reviewParagraph(s, { ...t, action, baseRevision: b.baseRevision, ...(b.comment !== undefined ? { comment: b.comment } : {}) }),
  };
}

export type ActionName = keyof typeof ACTIONS;

interface Target {
  articleId: string;
  paragraphId: string;
  actor: Actor;
}

function withSeconds(b: { seconds?: number | undefined }): { seconds?: number } {
  return b.seconds !== undefined ? { seconds: b.seconds } : {};
}

export function isAction(name: string): name is ActionName {
  return Object.hasOwn(ACTIONS, name);
}

/** Parses the body for an action and runs it; throws a zod error on bad input. */
export async function runAction(services: Services, name: ActionName, target: Target, body: unknown): Promise<Paragraph> {
  const action = ACTIONS[name];
  const parsed = action.schema.parse(body ?? {});
  return (action.run as (s: Services, t: Target, b: unknown) => Promise<Paragraph>)(services, target, parsed);
}
