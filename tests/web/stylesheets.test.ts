import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const publicDir = join(import.meta.dirname, '..', '..', 'public');
const sheets = readdirSync(publicDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.css'));

/** Where a brace closes nothing, or how many stay open: a stray `}` makes browsers drop the rule after it. */
function braceProblem(css: string): string | undefined {
  const code = css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    if (code[i] === '{') depth++;
    else if (code[i] === '}' && --depth < 0) return `a "}" closes nothing near: ${code.slice(Math.max(0, i - 60), i + 40).replace(/\s+/g, ' ')}`;
  }
  return depth ? `${depth} "{" never closed` : undefined;
}

describe('the stylesheets', () => {
  it('are found', () => expect(sheets.length).toBeGreaterThan(1));
  it.each(sheets)('%s: every brace closes one it opened', (file) => {
    expect(braceProblem(readFileSync(join(publicDir, file), 'utf8'))).toBeUndefined();
  });
  it('the check itself catches a stray brace', () => {
    expect(braceProblem('@media (max-width: 600px) { a { color: red; } }\n}\n.x { color: blue; }')).toMatch(/closes nothing/);
    expect(braceProblem('a { content: "}"; }')).toBeUndefined();
  });
});
