/** The live progress line of the batch and eval commands: plain `\r` updates on a terminal, no dependency. */

export interface ProgressState {
  total: number;
  done: number;
  failed: number;
  skipped: number;
  /** Paragraphs finished before this process started (a resumed run). */
  before: number;
  elapsedMs: number;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function formatProgress(p: ProgressState, width = 20): string {
  const finished = p.done + p.failed + p.skipped;
  const ratio = p.total ? Math.min(1, finished / p.total) : 1;
  const filled = Math.round(ratio * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const now = finished - p.before;
  const rate = p.elapsedMs > 0 ? now / (p.elapsedMs / 1000) : 0;
  const left = p.total - finished;
  const eta = rate > 0 ? formatDuration((left / rate) * 1000) : '?';
  const parts = [`${bar} ${finished}/${p.total}`, `${rate.toFixed(1)}/s`, `ETA ${left > 0 ? eta : '0:00'}`];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.skipped) parts.push(`${p.skipped} skipped`);
  return parts.join(' · ');
}

/** Redraws one line on a terminal; elsewhere (logs, CI) prints a line every few seconds. */
export class ProgressLine {
  #last = 0;
  #width = 0;
  readonly #tty: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly now: () => number = Date.now) {
    this.#tty = !!stream.isTTY;
  }

  update(text: string, force = false): void {
    const t = this.now();
    if (!force && t - this.#last < (this.#tty ? 100 : 5000)) return;
    this.#last = t;
    if (this.#tty) {
      const pad = Math.max(0, this.#width - text.length);
      this.stream.write(`\r${text}${' '.repeat(pad)}`);
      this.#width = text.length;
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  /** Leaves the last state on screen and moves to a fresh line. */
  end(text?: string): void {
    if (text !== undefined) this.update(text, true);
    if (this.#tty && this.#width) this.stream.write('\n');
    this.#width = 0;
  }
}
