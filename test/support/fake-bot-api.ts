// A fake Telegram Bot API server over real HTTP, written independently of the product's emulator.
// It records every call, answers with Telegram's wire format, can be told to fail (429 with
// retry_after, 500) or to answer slowly, serves getUpdates for polling tests, and pushes updates to
// a webhook with the secret header as Telegram does.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLocally } from './local-server.js';

export const TEST_TOKEN = '123456789:TEST-token-abcdefghijklmnopqrstuvwxyz';

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
  /** False when the caller went away before the answer was written (e.g. it was killed). */
  delivered: boolean;
  /** When the answer was written, if it was. */
  answeredAt?: number;
  /** The `result` of a successful answer (a sent message carries its message_id). */
  result?: unknown;
  /**
   * The path segment before `/bot<token>` when the caller's API root had one (`${url}/second`): how
   * a test tells apart the calls of several platforms sharing this fake.
   */
  via?: string;
}

export type Fault =
  | { status: 429; retryAfter: number }
  | { status: 500 }
  | { delayMs: number }
  /** Any other refusal Telegram gives, with its description ("Bad Request: message is not modified"). */
  | { status: 400 | 403 | 404; description: string };

interface FaultRule {
  method: string;
  fault: Fault;
  times: number;
}

export class FakeBotApi {
  readonly calls: RecordedCall[] = [];
  private server: Server | undefined;
  private readonly faults: FaultRule[] = [];
  private readonly pendingUpdates: Record<string, unknown>[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private slowMs = 0;
  private waiters: (() => void)[] = [];
  webhook: { url: string; secret?: string } | undefined;
  /** Picks a fault for any call (at random for fault tests, by Telegram's limits for broadcasts); takes precedence over `fail` rules. */
  chaos: ((method: string, params: Record<string, unknown>) => Fault | undefined) | undefined;
  /** Told of every call as it arrives (the benchmark times replies with it). */
  onCall: ((call: RecordedCall) => void) | undefined;

  /** The base URL, once started. */
  url = '';

  async start(): Promise<this> {
    // A fault in the fake itself must fail loudly, not leave a request hanging.
    this.server = createServer((request, response) =>
      this.handle(request, response).catch((error: unknown) => {
        send(response, 500, { ok: false, error_code: 500, description: `fake Bot API failed: ${String(error)}` });
      }),
    );
    this.url = await listenLocally(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  /** The next `times` calls of `method` get this fault (Infinity: a method this server lacks). */
  fail(method: string, fault: Fault, times = 1): void {
    this.faults.push({ method, fault, times });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Every call waits this long before its answer (0 to stop). */
  setLatency(ms: number): void {
    this.slowMs = ms;
  }

  /** Queues an update for getUpdates (polling tests); returns it. */
  queueUpdate(payload: Record<string, unknown>): Record<string, unknown> {
    const update = { update_id: this.nextUpdateId++, ...payload };
    this.pendingUpdates.push(update);
    return update;
  }

  callsOf(method: string, delivered = true): RecordedCall[] {
    return this.calls.filter((call) => call.method === method && (!delivered || call.delivered));
  }

  /** Texts the bot sent (delivered sendMessage calls), optionally to one chat. */
  sentTexts(chatId?: number): string[] {
    return this.callsOf('sendMessage')
      .filter((call) => chatId === undefined || Number(call.params.chat_id) === chatId)
      .map((call) => String(call.params.text));
  }

  /** Resolves when `predicate` holds, checked after every call; rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`fake Bot API: condition not met within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^(?:\/([\w-]+))?\/bot([^/]+)\/(\w+)/.exec(request.url ?? '');
    const body = await readBody(request);
    if (!match || match[2] !== TEST_TOKEN) {
      send(response, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const method = match[3] as string;
    const via = match[1];
    let params: Record<string, unknown> = {};
    try {
      params = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      send(response, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
      return;
    }
    const call: RecordedCall = { method, params, at: Date.now(), delivered: false, ...(via ? { via } : {}) };
    this.calls.push(call);
    this.onCall?.(call);
    const fault = this.takeFault(method, params);
    const delay = fault && 'delayMs' in fault ? fault.delayMs : this.slowMs;
    if (delay > 0 && method !== 'getUpdates') {
      // A caller that goes away (killed, aborted) ends the wait: its call was never answered.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise((resolve) => {
          timer = setTimeout(resolve, delay);
        }),
        once(response, 'close'),
      ]);
      clearTimeout(timer);
    }
    if (response.destroyed || request.socket.destroyed) return this.notify();
    if (fault && 'status' in fault && fault.status === 429) {
      send(response, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${fault.retryAfter}`,
        parameters: { retry_after: fault.retryAfter },
      });
    } else if (fault && 'description' in fault) {
      send(response, fault.status, { ok: false, error_code: fault.status, description: fault.description });
    } else if (fault && 'status' in fault) {
      send(response, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
    } else {
      const result = await this.answer(method, params);
      call.result = result;
      call.delivered = send(response, 200, { ok: true, result });
      call.answeredAt = Date.now();
    }
    this.notify();
  }

  private notify(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  private takeFault(method: string, params: Record<string, unknown>): Fault | undefined {
    const random = this.chaos?.(method, params);
    if (random) return random;
    const rule = this.faults.find((candidate) => candidate.method === method && candidate.times > 0);
    if (!rule) return undefined;
    rule.times--;
    return rule.fault;
  }

  private async answer(method: string, params: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return { id: 123456789, is_bot: true, first_name: 'Test Bot', username: 'test_bot' };
      case 'getUpdates': {
        const offset = Number(params.offset ?? 0);
        while (this.pendingUpdates.length > 0 && Number(this.pendingUpdates[0]?.update_id) < offset) {
          this.pendingUpdates.shift();
        }
        if (this.pendingUpdates.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
        return this.pendingUpdates.slice(0, 100);
      }
      case 'sendMessage':
      case 'editMessageText':
        return {
          message_id: method === 'sendMessage' ? this.nextMessageId++ : Number(params.message_id),
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(params.chat_id), type: 'private', first_name: 'User' },
          from: { id: 123456789, is_bot: true, first_name: 'Test Bot', username: 'test_bot' },
          text: params.text,
          ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}),
        };
      case 'setWebhook':
        this.webhook = {
          url: String(params.url),
          ...(typeof params.secret_token === 'string' ? { secret: params.secret_token } : {}),
        };
        return true;
      case 'deleteWebhook':
        this.webhook = undefined;
        return true;
      case 'getWebhookInfo':
        return { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: 0 };
      case 'getMyCommands':
        return [];
      default:
        return true;
    }
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): boolean {
  if (response.destroyed) return false;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
  return !response.destroyed;
}
