/** `npm run users -- add|list|passwd|role|remove|token`: manage accounts without the web page. */
import { resolve } from 'node:path';
import { addUser, createToken, removeUser, revokeToken, setPassword, setRole } from '../commands/users.js';
import { loadDotEnv, readConfig } from '../config.js';
import { runningServer } from '../store/dataDirLock.js';
import { openStores } from '../store/open.js';
import { normaliseUsername } from '../auth/username.js';
import { readCommandLine } from './args.js';
import { fail } from './fail.js';
import { HiddenPrompt, PromptCancelled } from './prompt.js';

const USAGE = `usage: npm run users -- COMMAND [--data DIR]
  add USER --role editor|reviewer|admin [--password P]   (else POSTEDIT_PASSWORD, else asked on the terminal)
  list
  passwd USER [--password P]                            ends USER's sessions and revokes their API tokens
  role USER editor|reviewer|admin
  remove USER
  token USER [--name NAME]                              prints a new API token once
  tokens USER                                           lists USER's API tokens (id, name, created)
  revoke USER TOKEN-ID                                  revokes one API token`;

loadDotEnv();
const { values, positionals } = readCommandLine(
  { allowPositionals: true, options: { data: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } } },
  USAGE,
);
const [command, username, extra] = positionals;
if (!command) fail(USAGE);
const dataDir = resolve(values.data ?? readConfig().dataDir);
const server = runningServer(dataDir);
if (server && command !== 'list' && command !== 'tokens' && !process.env.DATABASE_URL) fail(`a Postedit server (pid ${server.pid}) is using ${dataDir}: stop it first, then change accounts`);

/** --password, else POSTEDIT_PASSWORD, else asked twice on the terminal without echo. */
async function askPassword(): Promise<string> {
  const given = values.password ?? process.env.POSTEDIT_PASSWORD;
  if (given) return given;
  if (!process.stdin.isTTY) fail('give the password with --password or POSTEDIT_PASSWORD (no terminal to ask on)');
  const prompt = new HiddenPrompt();
  try {
    const first = await prompt.ask(`new password for ${username}: `);
    if (!first) fail('no password given');
    const again = await prompt.ask('again: ');
    if (again !== first) fail('the two passwords differ: nothing changed');
    return first;
  } catch (e) {
    if (e instanceof PromptCancelled) fail(e.interrupted ? 'cancelled: nothing changed' : 'no password given', e.interrupted ? 130 : 1);
    throw e;
  }
}

const { store, users } = await openStores(dataDir);
const need = (what: string | undefined, name: string) => what ?? fail(`missing ${name}\n${USAGE}`);
try {
  switch (command) {
    case 'add': {
      if (await users.getUser(normaliseUsername(need(username, 'USER')))) fail(`the user "${normaliseUsername(username)}" exists already`);
      const u = await addUser(users, { username: need(username, 'USER'), role: values.role ?? 'editor', password: await askPassword() });
      console.log(`added ${u.username} (${u.role})`);
      break;
    }
    case 'list':
      for (const u of await users.listUsers()) console.log(`${u.username}\t${u.role}\t${u.tokens.length} token(s)\tsince ${u.createdAt.slice(0, 10)}`);
      break;
    case 'passwd': {
      if (!(await users.getUser(normaliseUsername(need(username, 'USER'))))) fail(`no user "${username}"`);
      const { sessionsEnded, tokensRevoked } = await setPassword(users, username!, await askPassword());
      console.log(`password of ${username} changed; ${sessionsEnded} session(s) ended, ${tokensRevoked} API token(s) revoked`);
      break;
    }
    case 'role':
      await setRole(users, need(username, 'USER'), need(extra, 'ROLE'));
      console.log(`${username} is now ${extra}`);
      break;
    case 'remove':
      await removeUser(users, need(username, 'USER'));
      console.log(`removed ${username}`);
      break;
    case 'token':
      console.log(await createToken(users, need(username, 'USER'), values.name ?? 'cli'));
      break;
    case 'tokens': {
      const u = await users.getUser(normaliseUsername(need(username, 'USER')));
      if (!u) fail(`no user "${username}"`);
      for (const t of u.tokens) console.log(`${t.id}\t${t.name}\tcreated ${t.createdAt.slice(0, 16).replace('T', ' ')}`);
      break;
    }
    case 'revoke':
      await revokeToken(users, need(username, 'USER'), need(extra, 'TOKEN-ID'));
      console.log(`token ${extra} of ${username} revoked`);
      break;
    default:
      fail(`unknown command "${command}"\n${USAGE}`);
  }
} catch (e) {
  fail((e as Error).message);
}
await store.close();
