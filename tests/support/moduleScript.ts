/** Runs an ES module snippet in a fresh Node process at the repository root (tsx loaded), like a CLI would. */
import { execFile } from 'node:child_process';
import { repoRoot } from './app.js';

export function runModuleScript(script: string, timeoutMs: number): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, timeout: timeoutMs }, (err, stdout) =>
      // A process killed by the timeout (it never exited by itself) has no exit code: counted as 1.
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
    );
    child.stdin?.end();
  });
}
