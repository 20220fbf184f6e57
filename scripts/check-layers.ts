/** `npm run check:layers`: fails (exit 1) on an upward import, SQL outside store, I/O in core. See scripts/layers.ts. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTree } from './layers.js';

const server = fileURLToPath(new URL('../server', import.meta.url));
const violations = checkTree(server);
for (const v of violations) console.error(`server/${v.file}: ${v.rule}: ${v.detail}`);
if (violations.length) {
  console.error(`layers: ${violations.length} violation${violations.length === 1 ? '' : 's'} (rules in scripts/layers.ts)`);
  process.exit(1);
}
console.log(`layers: server/ follows the rules (${join('scripts', 'layers.ts')})`);
