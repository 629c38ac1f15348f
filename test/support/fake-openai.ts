import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLocally } from './local-server.js';

export interface StreamedAnswer {
  /** Content deltas, sent in order. */
  text?: string[];
  toolCalls?: { name: string; arguments: string }[];
  /** Reported in the final usage chunk when the request asks for it; null sends none. */
  usage?: { prompt: number; completion: number } | null;
  /** Pause before each chunk. */
  gapMs?: number;
  /** Drops the connection after the text, as a server that dies mid-answer. */
  dropAfterText?: boolean;
}

export type ScriptedAnswer = StreamedAnswer | { status: 429; retryAfter: number } | { status: 500 } | { hang: true };

export interface RecordedRequest {
  body: {
    model: string;
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    messages: { role: string; content: string }[];
    tools?: { type: string; function: { name: string; description: string } }[];
  };
  authorization: string | undefined;
}

export class FakeOpenAi {
  readonly requests: RecordedRequest[] = [];
  private readonly script: ScriptedAnswer[] = [];
  private server: Server | undefined;

  /** The base URL a client is given (OPENAI_BASE_URL). */
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) json(response, 500, { error: { message: `fake OpenAI failed: ${String(error)}` } });
      });
    });
    this.url = `${await listenLocally(this.server)}/v1`;
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  /** Queues the answers to the next requests, in order. */
  answer(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  /** Answers still queued: a test that scripted more than was asked for sees it here. */
  get unused(): number {
    return this.script.length;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      json(response, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedRequest['body'];
    this.requests.push({ body, authorization: request.headers.authorization });
    const answer = body.stream === true ? this.script.shift() : undefined;
    if (body.stream !== true) {
      json(response, 400, { error: { message: 'fake OpenAI: only streamed completions are spoken here' } });
    } else if (!answer) {
      json(response, 500, { error: { message: 'fake OpenAI: nothing scripted for this request' } });
    } else if ('hang' in answer) {
      // Never answers; the client gives up (or the server stops).
    } else if ('status' in answer && answer.status === 429) {
      response.setHeader('retry-after', String(answer.retryAfter));
      json(response, 429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } });
    } else if ('status' in answer) {
      json(response, 500, { error: { message: 'The server had an error', type: 'server_error' } });
    } else {
      await this.stream(response, body, answer);
    }
  }

  private async stream(response: ServerResponse, body: RecordedRequest['body'], answer: StreamedAnswer): Promise<void> {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model };
    const send = async (chunk: Record<string, unknown>) => {
      if (answer.gapMs) await new Promise((resolve) => setTimeout(resolve, answer.gapMs));
      response.write(`data: ${JSON.stringify({ ...base, ...chunk })}\n\n`);
    };
    const choice = (delta: Record<string, unknown>, finish: string | null = null) => ({
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
    await send(choice({ role: 'assistant', content: '' }));
    for (const piece of answer.text ?? []) await send(choice({ content: piece }));
    if (answer.dropAfterText) {
      // Once the client has read what was sent, so that it fails mid-answer, not before it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      response.socket?.destroy();
      return;
    }
    for (const [index, call] of (answer.toolCalls ?? []).entries()) {
      await send(
        choice({
          tool_calls: [{ index, id: `call_${index}`, type: 'function', function: { name: call.name, arguments: '' } }],
        }),
      );
      // Arguments arrive in pieces, as real servers send them.
      const half = Math.ceil(call.arguments.length / 2);
      for (const part of [call.arguments.slice(0, half), call.arguments.slice(half)]) {
        await send(choice({ tool_calls: [{ index, function: { arguments: part } }] }));
      }
    }
    await send(choice({}, answer.toolCalls?.length ? 'tool_calls' : 'stop'));
    const usage = answer.usage === undefined ? { prompt: 10, completion: 5 } : answer.usage;
    if (body.stream_options?.include_usage && usage) {
      await send({
        choices: [],
        usage: {
          prompt_tokens: usage.prompt,
          completion_tokens: usage.completion,
          total_tokens: usage.prompt + usage.completion,
        },
      });
    }
    response.end('data: [DONE]\n\n');
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
