/** The .env file as operators write it, from .env.example: values, quotes and trailing comments. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDotEnv, readConfig } from '../server/config.js';

describe('.env files', () => {
  it('read values, quoted values and values followed by a comment', () => {
    const env = parseDotEnv(
      [
        '# a comment line',
        'PORT=3001',
        'POSTEDIT_WORKER_IDLE_SECONDS=60   # idle workers end',
        'POSTEDIT_WARM_GRAMMAR=0 # lint on first view',
        'OPENAI_API_KEY="sk-with # inside"',
        "OPENAI_MODEL='gpt-4o-mini'  # quoted, then a comment",
        'DATABASE_URL=postgres://u:p@h/db#frag',
        'export HOST=0.0.0.0',
        'EMPTY=',
        'not a setting',
      ].join('\r\n'),
    );
    expect(env).toEqual({
      PORT: '3001',
      POSTEDIT_WORKER_IDLE_SECONDS: '60',
      POSTEDIT_WARM_GRAMMAR: '0',
      OPENAI_API_KEY: 'sk-with # inside',
      OPENAI_MODEL: 'gpt-4o-mini',
      DATABASE_URL: 'postgres://u:p@h/db#frag',
      HOST: '0.0.0.0',
      EMPTY: '',
    });
  });

  it('.env.example, every setting uncommented, gives clean values (no comment text in any)', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const uncommented = example.replace(/^# ([A-Z0-9_]+=)/gm, '$1');
    const env = parseDotEnv(uncommented);
    expect(Object.keys(env).length).toBeGreaterThan(5);
    for (const [key, value] of Object.entries(env)) expect(value, key).not.toMatch(/\s#|^#/);
    expect(env.POSTEDIT_WORKER_IDLE_SECONDS).toBe('60');
  });
});

describe('POSTEDIT_WORKER_NICE', () => {
  it('is 0 (off) unless set, takes 0–19, and refuses anything else with the setting named', () => {
    expect(readConfig({}).workerNice).toBe(0);
    expect(readConfig({ POSTEDIT_WORKER_NICE: '10' }).workerNice).toBe(10);
    expect(readConfig({ POSTEDIT_WORKER_NICE: '0' }).workerNice).toBe(0);
    expect(readConfig({ POSTEDIT_WORKER_NICE: '19' }).workerNice).toBe(19);
    for (const bad of ['20', '-1', '5.5', 'low']) {
      expect(() => readConfig({ POSTEDIT_WORKER_NICE: bad })).toThrow(`POSTEDIT_WORKER_NICE must be a whole number from 0 to 19, not "${bad}"`);
    }
  });
});

describe('POSTEDIT_WORKER_BATCH', () => {
  it('is on unless set to 0, and refuses anything else with the setting named', () => {
    expect(readConfig({}).workerBatch).toBe(true);
    expect(readConfig({ POSTEDIT_WORKER_BATCH: '1' }).workerBatch).toBe(true);
    expect(readConfig({ POSTEDIT_WORKER_BATCH: '0' }).workerBatch).toBe(false);
    for (const bad of ['yes', '2', 'off']) {
      expect(() => readConfig({ POSTEDIT_WORKER_BATCH: bad })).toThrow(`POSTEDIT_WORKER_BATCH must be 1 or 0, not "${bad}"`);
    }
  });
});
