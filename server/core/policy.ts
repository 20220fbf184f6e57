/**
 * Who may do what, in one table. Routes and commands ask `allow(role, action)`; nothing else decides.
 */
import type { Role } from './types.js';

export type Action =
  | 'read' | 'export'
  | 'suggest' | 'accept' | 'edit' | 'reject' | 'keep' | 'revert' | 'delete' | 'split' | 'merge' | 'undo'
  | 'suggest-all' | 'keep-all'
  | 'submit' | 'approve' | 'send-back' | 'reopen' | 'comment'
  | 'import' | 'delete-article' | 'manage-users' | 'runs';

const EDITOR: Action[] = ['read', 'export', 'suggest', 'suggest-all', 'accept', 'edit', 'reject', 'keep', 'keep-all', 'revert', 'delete', 'split', 'merge', 'undo', 'comment', 'submit'];
const REVIEWER: Action[] = [...EDITOR, 'approve', 'send-back', 'reopen'];
const ADMIN: Action[] = [...REVIEWER, 'import', 'delete-article', 'manage-users', 'runs'];

export const POLICY: Record<Role, ReadonlySet<Action>> = {
  editor: new Set(EDITOR),
  reviewer: new Set(REVIEWER),
  admin: new Set(ADMIN),
};

export const ROLES: readonly Role[] = ['editor', 'reviewer', 'admin'];

/** "an editor", "a reviewer", "an admin": roles with their article, for messages. */
export function aRole(role: Role): string {
  return `${/^[aeiou]/i.test(role) ? 'an' : 'a'} ${role}`;
}

export function allow(role: Role, action: Action): boolean {
  return POLICY[role].has(action);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
