/** `npm run users -- add|list|passwd|role|remove|token`: manage accounts without the web page. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { addUser, createToken, removeUser, setPassword, setRole } from '../commands/users.js';
import { loadDotEnv, readConfig } from '../config.js';
import { runningServer } from '../store/dataDirLock.js';
import { openStores } from '../store/open.js';
import { fail } from './fail.js';

const USAGE = `usage: npm run users -- COMMAND [--data DIR]
  add USER --role editor|reviewer|admin [--password P]   (else POSTEDIT_PASSWORD, else asked on the terminal)
  list
  passwd USER [--password P]
  role USER editor|reviewer|admin
  remove USER
  token USER [--name NAME]                              prints a new API token once`;

loadDotEnv();
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { data: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
});
const [command, username, extra] = positionals;
if (!command) fail(USAGE);
const dataDir = resolve(values.data ?? readConfig().dataDir);
const server = runningServer(dataDir);
if (server && command !== 'list' && !process.env.DATABASE_URL) fail(`a Postedit server (pid ${server.pid}) is using ${dataDir}: stop it first, then change accounts`);

async function askPassword(): Promise<string> {
  const given = values.password ?? process.env.POSTEDIT_PASSWORD;
  if (given) return given;
  if (!process.stdin.isTTY) fail('give the password with --password or POSTEDIT_PASSWORD');
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const answer = await rl.question('password: ');
  rl.close();
  return answer;
}

const { store, users } = await openStores(dataDir);
const need = (what: string | undefined, name: string) => what ?? fail(`missing ${name}\n${USAGE}`);
try {
  switch (command) {
    case 'add': {
      const u = await addUser(users, { username: need(username, 'USER'), role: values.role ?? 'editor', password: await askPassword() });
      console.log(`added ${u.username} (${u.role})`);
      break;
    }
    case 'list':
      for (const u of await users.listUsers()) console.log(`${u.username}\t${u.role}\t${u.tokens.length} token(s)\tsince ${u.createdAt.slice(0, 10)}`);
      break;
    case 'passwd':
      await setPassword(users, need(username, 'USER'), await askPassword());
      console.log(`password of ${username} changed`);
      break;
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
    default:
      fail(`unknown command "${command}"\n${USAGE}`);
  }
} catch (e) {
  fail((e as Error).message);
}
await store.close();
