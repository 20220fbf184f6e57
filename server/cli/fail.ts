/** Ends a command-line tool with a one-line reason and a non-zero exit code. */
export function fail(message: string, code = 1): never {
  console.error(`error: ${message}`);
  process.exit(code);
}
