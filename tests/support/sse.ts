/** A small Server-Sent Events client over fetch, for tests: events arrive in a queue to await. */
export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The next event of the given type (default: any), waiting up to `ms`. */
  next(type?: string, ms?: number): Promise<SseEvent>;
  /** Events received so far and not taken by next(). */
  pending(): SseEvent[];
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const queue: SseEvent[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  if (res.ok && res.body) {
    void (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const e: SseEvent = { event: 'message', data: undefined };
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith(':') || !line) continue;
              const [field, ...rest] = line.split(':');
              const v = rest.join(':').replace(/^ /, '');
              if (field === 'id') e.id = v;
              else if (field === 'event') e.event = v;
              else if (field === 'data') data.push(v);
            }
            if (!data.length) continue;
            e.data = JSON.parse(data.join('\n'));
            queue.push(e);
            wake();
          }
        }
      } catch {
        /* aborted */
      }
    })();
  }
  return {
    status: res.status,
    headers: res.headers,
    pending: () => [...queue],
    async next(type, ms = 5000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const i = queue.findIndex((e) => !type || e.event === type);
        if (i >= 0) return queue.splice(i, 1)[0]!;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${type ?? ''} event within ${ms} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    close: () => controller.abort(),
  };
}
