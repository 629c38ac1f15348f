// An OpenAI-compatible embeddings endpoint (POST /embeddings, the wire format of the OpenAI API)
// whose vectors stand for meanings the test chooses: each word counts toward the concept it is
// listed under, so that "canine" and "puppy" point the same way while sharing no letters.
import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally } from './local-server.js';

export class FakeEmbeddings {
  /** The texts asked for, request by request. */
  readonly requests: string[][] = [];
  /** Answer every request with this HTTP status instead (e.g. 500), while set. */
  failWith: number | undefined;
  private server: Server | undefined;
  url = '';

  /** `concepts`: words per concept; a word in no concept counts toward none. */
  constructor(private readonly concepts: readonly (readonly string[])[]) {}

  vector(text: string): number[] {
    const vector = this.concepts.map(() => 0);
    for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      const concept = this.concepts.findIndex((words) => words.includes(word));
      if (concept >= 0) vector[concept] = (vector[concept] ?? 0) + 1;
    }
    // A constant dimension, so that no vector is all zeros.
    return [...vector, 0.1];
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const send = (status: number, body: unknown) => {
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(body));
        };
        if (request.method !== 'POST' || !request.url?.endsWith('/embeddings')) {
          return send(404, { error: { message: `no route ${request.method} ${request.url}` } });
        }
        if (this.failWith) return send(this.failWith, { error: { message: 'the embedding server is down' } });
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { input: string | string[]; model: string };
        const input = Array.isArray(body.input) ? body.input : [body.input];
        this.requests.push(input);
        send(200, {
          object: 'list',
          model: body.model,
          data: input.map((text, index) => ({ object: 'embedding', index, embedding: this.vector(text) })),
          usage: { prompt_tokens: input.length, total_tokens: input.length },
        });
      });
    });
    this.url = await listenLocally(this.server);
    return this;
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }
}
