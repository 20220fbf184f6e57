// `node --import ./tests/support/packageRecorder.mjs …`: prints "package loaded: NAME" on stderr the
// first time the process resolves a module of the npm package NAME (module hooks run on their own
// thread, so the line is written from there).
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
const seen = new Set();
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  const m = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(r.url);
  if (m && !seen.has(m[1])) {
    seen.add(m[1]);
    process.stderr.write('package loaded: ' + m[1] + '\\n');
  }
  return r;
}`),
);
