/**
 * Every third-party XLIFF file in tests/fixtures/xliff (Trados, memoQ-style, Okapi/MateCat, Uber,
 * the OASIS 2.0 suite) through the real import and export:
 *
 *  - nothing edited: the export is the uploaded file, byte for byte;
 *  - one paragraph edited: exactly its unit changes — its target (the segment's, in a segmented unit)
 *    and state — and everything else (files, groups, ids, sources, inline codes, notes, languages,
 *    alt-trans, skeletons, other targets) is as it came, as another XML parser sees it;
 *  - an untranslated paragraph kept: exactly its unit gains a target;
 *  - every export validates against each schema the uploaded file validates against (xmllint), and
 *    brings no schema error the file did not have;
 *  - files that are not well-formed (undeclared namespace prefixes) are refused with a 400 that says
 *    where, and exactly those that xmllint finds not well-formed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editParagraph } from '../../server/commands/editParagraph.js';
import { BadRequestError } from '../../server/commands/errors.js';
import { keepParagraph } from '../../server/commands/keepParagraph.js';
import type { Services } from '../../server/commands/services.js';
import type { Actor, Article } from '../../server/core/types.js';
import { importPrepared, prepareUpload } from '../../server/interchange/upload.js';
import { exportXliff } from '../../server/interchange/xliff.js';
import { tempDir } from '../support/app.js';
import { FIXTURES, openServices, SCHEMAS, skipXmllint, structure, validate, wellFormed, type SchemaName, type Structure } from './xliffSupport.js';

const files = readdirSync(FIXTURES).filter((f) => /\.(xlf|xliff)$/i.test(f)).sort();
const actor: Actor = { username: 'editor', role: 'editor' };

let services: Services;
let close: () => Promise<void>;
let out: string;
const refused = new Map<string, string>();
/** Files imported so far (some fixtures are byte-identical copies of others). */
const seen = new Map<string, string>();
/** [uploaded file, export] pairs to validate. */
const exportsToCheck: Array<{ input: string; output: string; what: string }> = [];
const tally = { files: 0, identical: 0, edited: 0, kept: 0, paragraphs: 0, codes: 0, segmented: 0 };

beforeAll(async () => {
  ({ services, close } = await openServices());
  out = await tempDir('postedit-xliff-out-');
  await mkdir(join(out, 'edit'));
  await mkdir(join(out, 'keep'));
});
afterAll(async () => {
  await close();
  console.log(`XLIFF round trip: ${tally.files} files imported (${tally.paragraphs} paragraphs, ${tally.codes} inline codes, ${tally.segmented} in segmented units), ${tally.identical} exported byte-identical, ${tally.edited} with one edit, ${tally.kept} with an untranslated unit kept; ${refused.size} refused`);
});

/** The units whose summary differs. */
function changedUnits(before: Structure, after: Structure): number[] {
  expect(after.units.length).toBe(before.units.length);
  return before.units.flatMap((u, i) => (JSON.stringify(u) === JSON.stringify(after.units[i]) ? [] : [i]));
}

/** Everything but the targets (and their states) of one unit is as it was. */
function expectOnlyTargetsOf(before: Structure, after: Structure, unitAt: number) {
  expect(after.rest).toBe(before.rest);
  expect(after.languages).toEqual(before.languages);
  expect(after.files).toBe(before.files);
  expect(changedUnits(before, after)).toEqual([unitAt]);
  const [u0, u1] = [before.units[unitAt]!, after.units[unitAt]!];
  expect({ ...u1, targets: [], conf: [], mqStatus: undefined }).toEqual({ ...u0, targets: [], conf: [], mqStatus: undefined });
  return { u0, u1 };
}

async function article(id: string): Promise<Article> {
  return (await services.store.getArticle(id))!;
}

describe('third-party XLIFF files: import, then export', () => {
  for (const name of files) {
    it(name, async () => {
      const data = await readFile(join(FIXTURES, name));
      let prepared;
      try {
        prepared = await prepareUpload({ name, data });
      } catch (e) {
        // Refused: with a 400 that names the file and says what is wrong (and where).
        expect(e).toBeInstanceOf(BadRequestError);
        expect((e as BadRequestError).status).toBe(400);
        const message = (e as Error).message;
        expect(message.startsWith(`${name}: `)).toBe(true);
        expect(message).toMatch(/: (it is not well-formed XML: .+ \(line \d+, column \d+\)|the XLIFF has no translation units|the file is empty: there is no text to import)$/);
        refused.set(name, message);
        return;
      }
      const { article: imported, created } = await importPrepared(services, prepared, actor);
      // A file another tool wrote counts in the content hash: only the very same bytes are "already there".
      const twin = seen.get(data.toString('base64'));
      expect(created).toBe(twin === undefined);
      if (twin) {
        expect(imported.id).toBe(twin);
        return;
      }
      seen.set(data.toString('base64'), imported.id);
      tally.files++;
      let a = await article(imported.id);
      const text = data.toString('utf8').replace(/^\uFEFF/, '');
      const before = structure(text);
      const version = before.version.startsWith('1') ? '1.2' : '2.0';
      expect(a.original?.version).toBe(version);
      tally.paragraphs += a.paragraphs.length;
      tally.codes += a.paragraphs.reduce((n, p) => n + (p.codes?.length ?? 0), 0);
      tally.segmented += a.paragraphs.filter((p) => p.origin?.segmentAt !== undefined && a.paragraphs.some((q) => q !== p && q.origin?.unitAt === p.origin!.unitAt)).length;
      // Every paragraph knows its unit, by position and id.
      for (const p of a.paragraphs) expect(before.units[p.origin!.unitAt]!.id).toBe(p.origin!.unit);
      // The file's languages are the article's.
      const [src, trg] = before.languages;
      if (src && src.toLowerCase() !== 'und') expect(a.sourceLang).toBe(src);
      if (trg) expect(a.targetLang).toBe(trg);

      // Nothing edited: the very bytes that came in.
      const same = exportXliff(a, { version });
      expect(same.lossless).toBe(true);
      expect(same.warnings).toEqual([]);
      expect(same.body.equals(data)).toBe(true);
      tally.identical++;

      // One paragraph edited: its unit's target (and state) change, nothing else.
      const p = a.paragraphs.find((x) => x.status !== 'deleted' && x.review !== 'approved');
      if (p) {
        await editParagraph(services, { articleId: a.id, paragraphId: p.id, baseRevision: p.revision, actor, text: `EDITED & <ok> ${p.text}` });
        a = await article(a.id);
        const edited = exportXliff(a, { version });
        expect(edited.warnings).toEqual([]);
        const after = structure(edited.text);
        const { u0, u1 } = expectOnlyTargetsOf(before, after, p.origin!.unitAt);
        const seg = p.origin!.segmentAt ?? 0;
        if (version === '2.0') {
          expect(u1.targets[seg]!.xml).toContain('EDITED &amp; &lt;ok&gt;');
          expect(u1.targets[seg]!.state).toBe('translated');
          u1.targets.forEach((t, i) => i !== seg && expect(t).toEqual(u0.targets[i]));
        } else {
          expect(u1.targets[0]!.xml).toContain('EDITED &amp; &lt;ok&gt;');
          expect((u1.targets[0]!.xml!.match(/EDITED/g) ?? []).length).toBe(1);
          if (u0.conf.length) expect(u1.conf.filter((c, i) => c !== u0.conf[i])).toEqual(['Translated']);
        }
        await writeFile(join(out, 'edit', name), edited.body);
        exportsToCheck.push({ input: join(FIXTURES, name), output: join(out, 'edit', name), what: 'one paragraph edited' });
        tally.edited++;
      }

      // An untranslated paragraph kept: its unit (segment) gains a target; nothing else changes.
      a = await article(a.id);
      const q = a.paragraphs.find((x) => x.status === 'pending' && x.origin && !x.origin.target && x.origin.unitAt !== p?.origin?.unitAt);
      if (q) {
        const base = structure(exportXliff(a, { version }).text);
        await keepParagraph(services, { articleId: a.id, paragraphId: q.id, baseRevision: q.revision, actor });
        a = await article(a.id);
        const kept = exportXliff(a, { version });
        expect(kept.warnings).toEqual([]);
        const { u0, u1 } = expectOnlyTargetsOf(base, structure(kept.text), q.origin!.unitAt);
        const seg = version === '2.0' ? q.origin!.segmentAt ?? 0 : 0;
        expect(u1.targets[seg]!.xml?.trim()).toBeTruthy();
        expect(u1.targets[seg]).not.toEqual(u0.targets[seg]);
        await writeFile(join(out, 'keep', name), kept.body);
        exportsToCheck.push({ input: join(FIXTURES, name), output: join(out, 'keep', name), what: 'an untranslated paragraph kept' });
        tally.kept++;
      }
    });
  }
});

/** Whether `schema` is for the XLIFF version `file` declares (by namespace, else by its version attribute); true when it declares none. */
function schemaFits(schema: SchemaName, file: string): boolean {
  const head = readFileSync(file, 'utf8').slice(0, 4000);
  const version = head.match(/urn:oasis:names:tc:xliff:document:(\d\.\d)/)?.[1] ?? head.match(/<xliff\b[^>]*\bversion\s*=\s*["'](\d\.\d)/)?.[1];
  return !version || schema.startsWith(version);
}

describe.skipIf(skipXmllint)('third-party XLIFF files: well-formedness and validity (xmllint)', () => {
  it('refuses as not well-formed exactly the files xmllint finds not well-formed', () => {
    for (const name of files) {
      const notWellFormed = refused.get(name)?.includes('not well-formed') ?? false;
      expect(notWellFormed, name).toBe(!wellFormed(join(FIXTURES, name)));
    }
    expect([...refused.values()].filter((m) => m.includes('not well-formed')).length).toBeGreaterThan(0);
  });

  it('validates every export against each schema its file validates against, with no schema error the file did not have', () => {
    expect(exportsToCheck.length).toBeGreaterThan(100);
    const valid: Record<string, number> = {};
    for (const schema of Object.keys(SCHEMAS) as SchemaName[]) {
      // A file is checked against the schemas of its own XLIFF version: against the other version's,
      // input and export fail alike on the root element, which says nothing (and took a third of the time).
      const checks = exportsToCheck.filter((e) => schemaFits(schema, e.input));
      const inputResults = validate(schema, [...new Set(checks.map((e) => e.input))]);
      const outputResults = validate(schema, checks.map((e) => e.output));
      for (const e of checks) {
        const i = inputResults.get(e.input)!;
        const o = outputResults.get(e.output)!;
        if (i.valid) {
          expect(o.valid, `${e.output} (${e.what}) against ${schema}: ${o.errors.join('; ')}`).toBe(true);
          valid[schema] = (valid[schema] ?? 0) + 1;
        }
        for (const err of o.errors) expect(i.errors, `${e.output} (${e.what}) against ${schema}`).toContain(err);
      }
    }
    // The files cover all three schemas.
    expect(Object.keys(valid).sort()).toEqual(Object.keys(SCHEMAS).sort());
    console.log(`exports valid against the schema their file satisfies: ${JSON.stringify(valid)}`);
  }, 60000);
});
