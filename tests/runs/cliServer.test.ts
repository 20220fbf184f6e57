import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../server/interchange/importFiles.js';
import { removeData, seedPath, tempDir } from '../support/app.js';
import { ADMIN, servicesFor, testEngines } from './helpers.js';
import { startRunsApp } from './runsApp.js';
import { cli } from './spawnCli.js';

async function seededDir(): Promise<string> {
  const dir = await tempDir('postedit-cli-');
  const services = await servicesFor(dir);
  await importFile(services, seedPath, ADMIN);
  await services.store.close();
  return dir;
}

describe('npm run batch and a running server', () => {
  it('says in one line that a running server holds the data directory, and how to go through it', async () => {
    const dir = await seededDir();
    await writeFile(join(dir, 'server.json'), JSON.stringify({ pid: process.pid, url: 'http://localhost:3999/' }));
    const run = await cli('batch', ['--all', '--engine', 'offline', '--data', dir]);
    expect(await run.exit).toBe(2);
    const lines = run.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/server \(pid \d+\) is using .*: submit the run through it with --server http:\/\/localhost:3999 --token TOKEN/);
    await removeData(dir);
  });

  it('submits the run through the server with --server and --token', async () => {
    const app = await startRunsApp(testEngines());
    try {
      await importFile(app.services, seedPath, ADMIN);
      const refused = await cli('batch', ['--all', '--engine', 'offline', '--server', app.url]);
      expect(await refused.exit).toBe(1);
      expect(refused.stderr()).toMatch(/401.*pass --token/);
      const run = await cli('batch', ['--all', '--engine', 'offline', '--concurrency', '3', '--server', app.url, '--token', app.tokens.admin]);
      expect(await run.exit).toBe(0);
      expect(run.stderr()).toMatch(/submitted to http/);
      expect(run.stdout()).toMatch(/: finished .* offline/);
      expect(run.stdout()).toMatch(/total\s+18\s+0\s+0/);
      const [stored] = await app.runStore.listRuns();
      expect(stored).toMatchObject({ status: 'finished', startedBy: 'admin', params: { concurrency: 3 } });
    } finally {
      await app.close();
    }
  });
});
