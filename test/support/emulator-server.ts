// The built-in emulator on a real HTTP server of its own, and grammY's own Api client pointed at it:
// the Bot API wire format (JSON, multipart uploads, errors) exactly as a bot meets it.
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { Api } from 'grammy';
import type { Update, User } from 'grammy/types';
import { afterEach, beforeEach, expect } from 'vitest';
import { TelegramEmulator } from '../../src/bot/emulator/emulator.js';
import { EMULATOR_PREFIX, emulatorRoutes } from '../../src/bot/emulator/routes.js';

export interface EmulatorServer {
  emulator: TelegramEmulator;
  app: FastifyInstance;
  /** The server's base URL; the Bot API is under `${base}${EMULATOR_PREFIX}`. */
  base: string;
  api: Api;
  /** Every update not taken yet (confirmed, as the next getUpdates offset would), of all kinds. */
  takeUpdates(): Promise<Update[]>;
  close(): Promise<void>;
}

/**
 * A fresh emulator server for each test of the calling file, where `user` has already said /start
 * (so that the bot may write to them); the object returned is always the current test's server.
 */
export function useEmulatorServer(user: User): EmulatorServer {
  let current: EmulatorServer | undefined;
  beforeEach(async () => {
    current = await startEmulatorServer();
    current.emulator.sendUserMessage(user, '/start');
  });
  afterEach(async () => {
    await current?.close();
  });
  const now = (): EmulatorServer => {
    if (!current) throw new Error('the emulator server exists only while a test runs');
    return current;
  };
  return {
    get emulator() {
      return now().emulator;
    },
    get app() {
      return now().app;
    },
    get base() {
      return now().base;
    },
    get api() {
      return now().api;
    },
    takeUpdates: () => now().takeUpdates(),
    close: () => now().close(),
  };
}

/** Starts an emulator server; `routes` adds routes of the test's own (a webhook target, a file to fetch). */
export async function startEmulatorServer(routes?: (app: FastifyInstance) => void): Promise<EmulatorServer> {
  const emulator = new TelegramEmulator();
  const app = Fastify();
  await app.register(emulatorRoutes, { prefix: EMULATOR_PREFIX, emulator, unhandledIn: async () => 0 });
  routes?.(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const api = new Api(emulator.token, { apiRoot: `${base}${EMULATOR_PREFIX}` });
  let offset = 0;
  // Asked once with every kind, as the platform's poller asks, so that chat_member updates are kept too.
  await api.getUpdates({
    allowed_updates: [
      'message',
      'channel_post',
      'callback_query',
      'inline_query',
      'chosen_inline_result',
      'pre_checkout_query',
      'my_chat_member',
      'chat_member',
    ],
  });
  return {
    emulator,
    app,
    base,
    api,
    async takeUpdates() {
      const updates = await api.getUpdates({ offset });
      offset = (updates.at(-1)?.update_id ?? offset - 1) + 1;
      return updates;
    },
    async close() {
      emulator.close();
      await app.close();
    },
  };
}

/** The Telegram error grammY threw, for `rejects.toMatchObject`. */
export function telegramError(code: number, description: RegExp | string): object {
  return {
    name: 'GrammyError',
    error_code: code,
    description: typeof description === 'string' ? description : expect.stringMatching(description),
  };
}
