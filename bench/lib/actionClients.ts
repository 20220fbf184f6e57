/**
 * The benchmark's API clients (bench/actions.ts, bench/pgActions.ts, lib/actionScaling.ts): each owns one
 * paragraph and cycles edit → suggest → accept, following the revision and suggestion id of every answer.
 */
import { HttpClient, type ServerHandle } from './server.js';
import type { NewsText } from './text.js';

export type Kind = 'edit' | 'suggest' | 'accept';
export interface Sample {
  kind: Kind;
  ms: number;
  status: number;
  /** When it was sent (performance.now() of the client). */
  at: number;
}

export interface ParagraphAnswer {
  id: string;
  revision: number;
  text: string;
  status: string;
  suggestion?: { id: string; text: string };
}

/** An edit an editor might save: two words changed, plus a doubled word and a double space the offline engine will fix. */
function editedText(gen: NewsText, original: string, round: number): string {
  const words = gen.rewrite(original, 2).split(' ');
  const lower = words.map((w, i) => (/^[a-z]{3,}$/.test(w) ? i : -1)).filter((i) => i >= 0);
  const j = lower[round % lower.length] ?? 0;
  words[j] = `${words[j]} ${words[j]}`;
  const k = Math.min(words.length - 1, j + 5);
  words[k] = `${words[k]} `;
  return words.join(' ');
}

export async function currentParagraphs(server: ServerHandle, id: string): Promise<ParagraphAnswer[]> {
  const http = new HttpClient(1);
  const a = await http.send('GET', `${server.url}/api/articles/${id}`, { authorization: `Bearer ${server.token}` });
  http.close();
  return (JSON.parse(a.body.toString()) as { paragraphs: ParagraphAnswer[] }).paragraphs;
}

/** Each client owns one paragraph and cycles edit → suggest → accept until the shared budget is spent. */
export async function drive(server: ServerHandle, articleId: string, paragraphs: ParagraphAnswer[], total: number, gen: NewsText, clients: number, thinkMs = 0) {
  const samples: Sample[] = [];
  const errors: string[] = [];
  let issued = 0;
  const auth = { authorization: `Bearer ${server.token}` };
  const http = new HttpClient(clients);
  const client = async (start: ParagraphAnswer) => {
    const original = start.text;
    let p = start;
    let step = 0;
    // Paced editors do not start in the same millisecond: each begins within one think time (in lockstep,
    // the first round is a burst of 20 requests at once and sets the paced p99 by itself).
    if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, thinkMs * gen.random()));
    while (issued < total) {
      issued++;
      const kind: Kind = (['edit', 'suggest', 'accept'] as const)[step % 3]!;
      const body =
        kind === 'edit' ? { baseRevision: p.revision, text: editedText(gen, original, step), seconds: 12 }
        : kind === 'suggest' ? { baseRevision: p.revision }
        : { baseRevision: p.revision, suggestionId: p.suggestion?.id ?? '', confirmWarnings: true, seconds: 4 };
      const sentAt = performance.now();
      const a = await http.send('POST', `${server.url}/api/articles/${articleId}/paragraphs/${p.id}/${kind}`, auth, body);
      samples.push({ kind, ms: a.ms, status: a.status, at: sentAt });
      if (a.status !== 200) {
        errors.push(`${kind} ${p.id}: ${a.status} ${a.body.toString().slice(0, 200)}`);
        // Resynchronise on the paragraph's current state and start a new cycle.
        const fresh = await http.send('GET', `${server.url}/api/articles/${articleId}`, auth);
        p = (JSON.parse(fresh.body.toString()) as { paragraphs: ParagraphAnswer[] }).paragraphs.find((x) => x.id === p.id)!;
        step = 0;
        continue;
      }
      p = JSON.parse(a.body.toString()) as ParagraphAnswer;
      step++;
      // Paced clients think between actions (uniformly 0.5–1.5 × thinkMs).
      if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, thinkMs * (0.5 + gen.random())));
    }
  };
  const t0 = performance.now();
  await Promise.all(paragraphs.map(client));
  const wall = performance.now() - t0;
  http.close();
  return { samples, errors, wall };
}
