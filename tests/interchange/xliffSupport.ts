/**
 * For the XLIFF round-trip tests: services over a throwaway store, an independent look at a file's
 * structure (fast-xml-parser, not the reader under test), and xmllint against the OASIS schemas.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { createServices } from '../../server/boot.js';
import type { Services } from '../../server/commands/services.js';
import { corpusDir, removeData, repoRoot, tempDir } from '../support/app.js';
import { storeEnvFor } from '../support/postgres.js';

export const FIXTURES = join(repoRoot, 'tests', 'fixtures', 'xliff');
export const XSD_DIR = join(FIXTURES, 'xsd');
export const SCHEMAS = {
  '1.2 strict': join(XSD_DIR, 'local-xliff-core-1.2-strict.xsd'),
  '1.2 transitional': join(XSD_DIR, 'local-xliff-core-1.2-transitional.xsd'),
  '2.0 core': join(XSD_DIR, 'local-xliff_core_2.0.xsd'),
} as const;
export type SchemaName = keyof typeof SCHEMAS;

export const XMLLINT = ['/usr/bin/xmllint', '/usr/local/bin/xmllint'].find((p) => existsSync(p));
/** Without xmllint the validation tests are skipped with a reason, except under CI=true, where they fail. */
export const skipXmllint = !XMLLINT && process.env.CI !== 'true';
if (!XMLLINT) console.warn(`xmllint not found: ${skipXmllint ? 'schema validation tests skipped' : 'CI=true, so they fail'} (apt-get install -y libxml2-utils)`);

/** Services over a fresh data directory (a database of its own when DATABASE_URL is set). */
export async function openServices(): Promise<{ services: Services; close(): Promise<void> }> {
  const dataDir = await tempDir('postedit-xliff-');
  const env = await storeEnvFor(dataDir, process.env);
  const services = await createServices({ dataDir, corpusDir, env });
  return {
    services,
    async close() {
      await services.store.close();
      await removeData(dataDir);
    },
  };
}

/**
 * xmllint --schema over many files at once: for each file, whether it validates and the schema errors
 * (without the file name and line, so an input's and an export's can be compared).
 */
export function validate(schema: SchemaName, files: string[]): Map<string, { valid: boolean; errors: string[] }> {
  const out = new Map<string, { valid: boolean; errors: string[] }>();
  if (!XMLLINT) throw new Error('xmllint is not installed (apt-get install -y libxml2-utils)');
  // One file per run: libxml2 2.9 has been seen to crash (SIGSEGV) validating many documents in one process.
  for (const f of files) {
    const r = xmllint(['--noout', '--nonet', '--schema', SCHEMAS[schema], f]);
    if (r.status === null) throw new Error(`xmllint crashed on ${f}`);
    const errors = r.stderr
      .split('\n')
      .filter((line) => line.startsWith(`${f}:`))
      .map((line) => line.slice(f.length + 1).replace(/^\d+:\s*/, ''));
    out.set(f, { valid: r.status === 0 && r.stderr.includes(`${f} validates`), errors });
  }
  return out;
}

/** Whether xmllint reads a file as well-formed XML with namespaces (warnings do not count). */
export function wellFormed(file: string): boolean {
  if (!XMLLINT) throw new Error('xmllint is not installed');
  const r = xmllint(['--noout', '--nonet', file]);
  return r.status === 0 && !/namespace error|parser error/.test(r.stderr);
}

/** Runs xmllint with its messages going to a file, not a pipe: on a non-blocking pipe it drops messages when it writes many at once. */
function xmllint(args: string[]): { status: number | null; stderr: string } {
  const log = join(tmpdir(), `postedit-xmllint-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  const fd = openSync(log, 'w');
  let status: number | null;
  try {
    status = spawnSync(XMLLINT!, args, { stdio: ['ignore', 'ignore', fd] }).status;
  } finally {
    closeSync(fd);
  }
  const stderr = readFileSync(log, 'utf8');
  rmSync(log, { force: true });
  return { status, stderr };
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  ignoreDeclaration: false,
  ignorePiTags: false,
  processEntities: true,
  htmlEntities: false,
});
const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_', commentPropName: '#comment', cdataPropName: '#cdata', format: false, suppressEmptyNode: false, processEntities: true });

const nameOf = (n: Node) => Object.keys(n).find((k) => k !== ':@');
const local = (name: string | undefined) => (name ?? '').slice((name ?? '').indexOf(':') + 1);
const kids = (n: Node) => (n[nameOf(n)!] as Node[] | undefined) ?? [];
const attrs = (n: Node) => (n[':@'] as Record<string, string> | undefined) ?? {};
const isElement = (n: Node) => {
  const k = nameOf(n);
  return k !== undefined && !k.startsWith('#') && !k.startsWith('?');
};
const inner = (n: Node) => builder.build(kids(n)) as string;

export interface UnitSummary {
  /** Position among the files, and the unit's id. */
  file: number;
  id: string;
  /** Inner XML of the source (and seg-source): text and inline codes as written. */
  source: string;
  /** The inline elements of the source, in order. */
  codes: string[];
  /** Inner XML of each target (one per 2.0 segment; the 1.2 target), undefined where there is none, with its state. */
  targets: Array<{ xml?: string; state?: string }>;
  notes: string[];
  segments: number;
  /** Trados's conf per segment, memoQ's status. */
  conf: Array<string | undefined>;
  mqStatus?: string;
}

export interface Structure {
  version: string;
  languages: string[];
  files: number;
  units: UnitSummary[];
  /** The whole tree with every unit's targets, target and segment states, Trados conf and memoQ status taken out. */
  rest: string;
}

/** A file's structure as another XML parser sees it. */
export function structure(xml: string): Structure {
  const tree = parser.parse(xml.replace(/^\uFEFF/, '')) as Node[];
  const root = tree.find((n) => local(nameOf(n)) === 'xliff')!;
  const version = attrs(root)['@_version'] ?? '';
  const v12 = version.startsWith('1');
  const files = kids(root).filter((n) => local(nameOf(n)) === 'file');
  const languages = v12
    ? files.flatMap((f) => [attrs(f)['@_source-language'] ?? '', attrs(f)['@_target-language'] ?? ''])
    : [attrs(root)['@_srcLang'] ?? '', attrs(root)['@_trgLang'] ?? ''];
  const units: UnitSummary[] = [];
  const codesIn = (nodes: Node[], out: string[] = []): string[] => {
    for (const n of nodes) {
      if (!isElement(n)) continue;
      const name = nameOf(n)!;
      if (!(local(name) === 'mrk' && attrs(n)['@_mtype'] === 'seg')) out.push(`${name}#${attrs(n)['@_id'] ?? ''}`);
      codesIn(kids(n), out);
    }
    return out;
  };
  const segConfs = (u: Node): Array<string | undefined> => {
    const defs = kids(u).find((c) => nameOf(c) === 'sdl:seg-defs');
    return defs ? kids(defs).filter((c) => nameOf(c) === 'sdl:seg').map((c) => attrs(c)['@_conf']) : [];
  };
  const strip = (n: Node, inUnit: boolean): Node | undefined => {
    if (!isElement(n)) return n;
    const name = nameOf(n)!;
    const l = local(name);
    const unit = l === (v12 ? 'trans-unit' : 'unit');
    let children = kids(n);
    const a = { ...attrs(n) };
    if (unit && v12) {
      children = children.filter((c) => !(isElement(c) && local(nameOf(c)) === 'target'));
      delete a['@_mq:status'];
    }
    if (inUnit && !v12 && l === 'segment') {
      children = children.filter((c) => !(isElement(c) && local(nameOf(c)) === 'target'));
      delete a['@_state'];
    }
    if (inUnit && name === 'sdl:seg') delete a['@_conf'];
    // Whitespace between the children of a unit or segment: a new target brings its own.
    if (unit || (inUnit && (l === 'segment' || l === 'ignorable'))) children = children.filter((c) => !('#text' in c && String(c['#text']).trim() === ''));
    const out: Node = { [name]: children.map((c) => strip(c, inUnit || unit)).filter((c): c is Node => c !== undefined) };
    if (Object.keys(a).length) out[':@'] = a;
    return out;
  };
  files.forEach((f, fi) => {
    const walk = (n: Node) => {
      for (const c of kids(n)) {
        if (!isElement(c)) continue;
        const l = local(nameOf(c));
        if (l === (v12 ? 'trans-unit' : 'unit')) {
          const direct = kids(c).filter(isElement);
          const find = (x: string) => direct.filter((d) => local(nameOf(d)) === x);
          const sources = v12 ? [...find('source'), ...find('seg-source')] : find('segment').flatMap((s) => kids(s).filter((d) => isElement(d) && local(nameOf(d)) === 'source'));
          const targets = v12
            ? [{ t: find('target')[0], state: find('target')[0] ? attrs(find('target')[0]!)['@_state'] : undefined }]
            : find('segment').map((s) => ({ t: kids(s).find((d) => isElement(d) && local(nameOf(d)) === 'target'), state: attrs(s)['@_state'] }));
          const noteEls = v12 ? find('note') : find('notes').flatMap((ns) => kids(ns).filter((d) => isElement(d) && local(nameOf(d)) === 'note'));
          const mq = attrs(c)['@_mq:status'];
          units.push({
            file: fi,
            id: attrs(c)['@_id'] ?? '',
            source: sources.map(inner).join('|'),
            codes: codesIn(sources.flatMap(kids)),
            targets: targets.map(({ t, state }) => ({ ...(t ? { xml: inner(t) } : {}), ...(state !== undefined ? { state } : {}) })),
            notes: noteEls.map(inner),
            segments: v12 ? Math.max(1, find('seg-source').length ? (inner(find('seg-source')[0]!).match(/mtype="seg"/g) ?? []).length : 0) : find('segment').length,
            conf: segConfs(c),
            ...(mq !== undefined ? { mqStatus: mq } : {}),
          });
        } else if (l !== 'alt-trans') walk(c);
      }
    };
    walk(f);
  });
  const rest = builder.build(tree.map((n) => strip(n, false)).filter(Boolean)) as string;
  return { version, languages, files: files.length, units, rest };
}
