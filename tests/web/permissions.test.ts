import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { allow, ROLES, type Action } from '../../server/core/policy.js';
import type { Role } from '../../server/core/types.js';
import { client, seedPath, startApp, tokenClient, type RunningApp } from '../support/app.js';

let app: RunningApp;
let id: string;

beforeAll(async () => {
  app = await startApp();
  ({ article: { id } } = await importFile(app.services, seedPath, { username: 'import', role: 'admin' }));
});
afterAll(async () => app.close(true));

describe('the policy table', () => {
  it.each([
    ['editor', 'edit', true], ['editor', 'accept', true], ['editor', 'split', true], ['editor', 'revert', true],
    ['editor', 'approve', false], ['editor', 'send-back', false], ['editor', 'import', false], ['editor', 'runs', false],
    ['editor', 'manage-users', false], ['editor', 'delete-article', false],
    ['reviewer', 'edit', true], ['reviewer', 'approve', true], ['reviewer', 'send-back', true], ['reviewer', 'import', false],
    ['reviewer', 'delete-article', false],
    ['admin', 'approve', true], ['admin', 'import', true], ['admin', 'manage-users', true], ['admin', 'runs', true], ['admin', 'delete-article', true],
  ] as Array<[Role, Action, boolean]>)('%s may %s: %s', (role, action, expected) => {
    expect(allow(role, action)).toBe(expected);
  });
});

type Who = Role | 'anonymous';
const WHO: Who[] = ['anonymous', ...ROLES];

function as(who: Who) {
  return who === 'anonymous' ? client(app.url) : tokenClient(app, who);
}

async function revision(pid: string) {
  return (await app.services.store.getArticle(id))!.paragraphs.find((p) => p.id === pid)!.revision;
}

describe('every route enforces the policy on the server', () => {
  // [method, path, body, expected status per who: anonymous, editor, reviewer, admin]
  // Each role edits its own paragraphs, so undo finds its own last action untouched by the others.
  const own: Record<Who, [string, string]> = { anonymous: ['p3', 'p5'], editor: ['p3', 'p5'], reviewer: ['p6', 'p7'], admin: ['p8', 'p9'] };
  const routes: Array<[string, () => string, (who: Who) => Promise<unknown> | unknown, Record<Who, number>]> = [
    ['GET', () => '/api/articles', () => undefined, { anonymous: 401, editor: 200, reviewer: 200, admin: 200 }],
    ['GET', () => `/api/articles/${id}`, () => undefined, { anonymous: 401, editor: 200, reviewer: 200, admin: 200 }],
    ['GET', () => `/api/articles/${id}/paragraphs/p2/history`, () => undefined, { anonymous: 401, editor: 200, reviewer: 200, admin: 200 }],
    ['GET', () => `/api/articles/${id}/export?format=txt`, () => undefined, { anonymous: 401, editor: 200, reviewer: 200, admin: 200 }],
    ['POST', () => `/api/articles/${id}/paragraphs/p2/suggest`, () => ({}), { anonymous: 401, editor: 200, reviewer: 200, admin: 200 }],
    ['POST', () => `/api/articles/${id}/paragraphs/OWN1/edit`, async (who) => ({ baseRevision: await revision(own[who][0]), text: 'Edited text.' }), { anonymous: 401, editor: 200, reviewer: 200, admin: 200 }],
    ['POST', () => `/api/articles/${id}/paragraphs/OWN2/reject`, async (who) => ({ baseRevision: await revision(own[who][1]) }), { anonymous: 401, editor: 200, reviewer: 200, admin: 200 }],
    ['POST', () => `/api/articles/${id}/undo`, () => ({}), { anonymous: 401, editor: 200, reviewer: 200, admin: 200 }],
    ['POST', () => '/api/articles', (who) => ({ text: `A new article by ${who}.\nSecond line.` }), { anonymous: 401, editor: 403, reviewer: 403, admin: 201 }],
    ['DELETE', () => '/api/articles/does-not-exist', () => undefined, { anonymous: 401, editor: 403, reviewer: 403, admin: 404 }],
  ];

  for (const [method, path, body, expected] of routes) {
    const label = path.toString().replace(/^.*?`|`.*$/gs, '').replace('${id}', ':id');
    it.each(WHO)(`${method} ${label} as %s`, async (who) => {
      const c = as(who);
      const b = await body(who);
      const url = path().replace('OWN1', own[who][0]).replace('OWN2', own[who][1]);
      const r = method === 'GET' ? await c.get(url) : method === 'DELETE' ? await c.del(url) : await c.post(url, b);
      expect({ who, route: `${method} ${url}`, status: r.status }).toEqual({ who, route: `${method} ${url}`, status: expected[who] });
    });
  }

  it.each([
    ['/', 303], ['/articles/x', 303], ['/login', 200], ['/static/app.css', 200], ['/static/editor/main.js', 200],
  ])('anonymous GET %s answers %i (pages redirect to the login page)', async (path, status) => {
    const r = await fetch(app.url + path, { redirect: 'manual' });
    expect(r.status).toBe(status);
    if (status === 303) expect(r.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
  });

  it('lets an admin delete an article and its files, and no one else', async () => {
    const created = await tokenClient(app, 'admin').post('/api/articles', { text: 'Short one.\nTo delete.' });
    expect((await tokenClient(app, 'editor').del(`/api/articles/${created.json.id}`)).status).toBe(403);
    expect((await tokenClient(app, 'admin').del(`/api/articles/${created.json.id}`)).status).toBe(200);
    expect(await app.services.store.getArticle(created.json.id)).toBeUndefined();
  });
});
