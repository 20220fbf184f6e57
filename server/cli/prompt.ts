/**
 * Reading secrets on a terminal without echo: the terminal is put in raw mode, so nothing typed is
 * shown; Backspace works, Enter ends a line, Ctrl-C and Ctrl-D give up. Lines typed ahead (or pasted
 * at once) are kept for the next question.
 */
import type { ReadStream } from 'node:tty';

export class PromptCancelled extends Error {
  constructor(readonly interrupted: boolean) {
    super(interrupted ? 'cancelled' : 'no input');
  }
}

export class HiddenPrompt {
  #pending = '';
  #waiting: (() => void) | undefined;
  #ended = false;
  readonly #onData = (chunk: string | Buffer) => {
    this.#pending += String(chunk);
    this.#waiting?.();
  };
  readonly #onEnd = () => {
    this.#ended = true;
    this.#waiting?.();
  };

  constructor(
    private readonly input: ReadStream = process.stdin as ReadStream,
    private readonly output: NodeJS.WritableStream = process.stderr,
  ) {}

  /** Asks once; the answer is never echoed. */
  async ask(question: string): Promise<string> {
    // Raw mode first, then the question: whatever is typed once the question shows is never echoed.
    const wasRaw = this.input.isRaw;
    this.input.setRawMode(true);
    this.output.write(question);
    this.input.on('data', this.#onData);
    this.input.on('end', this.#onEnd);
    this.input.resume();
    try {
      for (;;) {
        const line = this.#takeLine();
        if (line !== undefined) return line;
        if (this.#ended) throw new PromptCancelled(false);
        await new Promise<void>((resolve) => (this.#waiting = resolve));
        this.#waiting = undefined;
      }
    } finally {
      this.input.off('data', this.#onData);
      this.input.off('end', this.#onEnd);
      this.output.write('\n');
      this.input.setRawMode(wasRaw);
      this.input.pause();
    }
  }

  /** The next complete line of what was typed, with Backspace applied; undefined while there is none. */
  #takeLine(): string | undefined {
    let value = '';
    const chars = [...this.#pending];
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      if (ch === '\r' || ch === '\n') {
        // A CR LF pair ends one line.
        const skip = ch === '\r' && chars[i + 1] === '\n' ? 2 : 1;
        this.#pending = chars.slice(i + skip).join('');
        return value;
      }
      if (ch === '\u0003') throw new PromptCancelled(true);
      if (ch === '\u0004') {
        if (value === '') throw new PromptCancelled(false);
        continue;
      }
      if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
      else if (ch === '\u0015') value = ''; // Ctrl-U: start again
      else if (ch === '\u001b') {
        // An escape sequence (arrow keys): skip it.
        i++;
        while (i + 1 < chars.length && !/[A-Za-z~]/.test(chars[i + 1]!)) i++;
        i++;
      } else if (ch >= ' ') value += ch;
    }
    return undefined;
  }
}
