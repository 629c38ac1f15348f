import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally } from './local-server.js';

export interface CompletionRequest {
  model: string;
  messages: { role: string; content: string }[];
  max_tokens?: number;
}

export class FakeOpenAiCompletion {
  readonly requests: CompletionRequest[] = [];
  /** The text every completion answers with. */
  answer = 'Add /price first.';
  /** When set, every request fails with this HTTP status. */
  failWith: number | undefined;
  private server: Server | undefined;

  /** The base URL to give as OPENAI_BASE_URL. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
          response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
          return;
        }
        const parsed = JSON.parse(body) as CompletionRequest;
        this.requests.push(parsed);
        if (this.failWith) {
          response
            .writeHead(this.failWith, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { message: 'the fake is told to fail', type: 'server_error' } }));
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `chatcmpl-${this.requests.length}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: parsed.model,
            choices: [
              { index: 0, message: { role: 'assistant', content: this.answer }, finish_reason: 'stop', logprobs: null },
            ],
            usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
          }),
        );
      });
    });
    return `${await listenLocally(this.server)}/v1`;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
