// HTTP face of the emulator, mounted under /emulator on the platform's own server:
// the Bot API (/emulator/bot<token>/<method>) for the bot, and /emulator/chat for people.
import type { FastifyInstance } from 'fastify';
import type { User } from 'grammy/types';
import { z } from 'zod';
import { EmulatorApiError, type TelegramEmulator } from './emulator.js';

export const EMULATOR_PREFIX = '/emulator';

const chatUser = {
  userId: z.coerce.number().int().positive().safe().default(1001),
  firstName: z.string().min(1).max(64).default('You'),
  username: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,32}$/)
    .optional(),
};
const messageBody = z.object({ ...chatUser, text: z.string().min(1).max(4096) });
const buttonBody = z.object({ ...chatUser, messageId: z.number().int().positive(), data: z.string().min(1).max(64) });
const eventsQuery = z.object({
  userId: chatUser.userId,
  after: z.coerce.number().int().min(0).default(0),
  waitMs: z.coerce.number().int().min(0).max(30_000).default(0),
});

const pendingQuery = z.object({ userId: chatUser.userId });

export interface EmulatorRouteOptions {
  emulator: TelegramEmulator;
  /** Updates from a chat stored but not handled yet (the inbox's pending ones). */
  unhandledIn: (chatKey: string) => Promise<number>;
}

export async function emulatorRoutes(app: FastifyInstance, options: EmulatorRouteOptions): Promise<void> {
  const { emulator } = options;

  app.route({
    method: ['GET', 'POST'],
    url: '/:bot/:method',
    handler: async (request, reply) => {
      const { bot, method } = request.params as { bot: string; method: string };
      if (bot !== `bot${emulator.token}`) {
        return reply.code(401).send({ ok: false, error_code: 401, description: 'Unauthorized' });
      }
      const body = typeof request.body === 'object' && request.body !== null ? request.body : {};
      const params = { ...decodeQuery(request.query as Record<string, string>), ...body };
      try {
        return { ok: true, result: await emulator.call(method, params) };
      } catch (error) {
        if (!(error instanceof EmulatorApiError)) throw error;
        return reply.code(error.errorCode).send({
          ok: false,
          error_code: error.errorCode,
          description: error.description,
          ...(error.parameters ? { parameters: error.parameters } : {}),
        });
      }
    },
  });

  app.get('/chat', async () => ({
    bot: { username: emulator.botUser.username, firstName: emulator.botUser.first_name },
    lastSeq: emulator.lastEventSeq,
  }));

  app.post('/chat/messages', async (request, reply) => {
    const parsed = messageBody.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
    const message = emulator.sendUserMessage(toUser(parsed.data), parsed.data.text);
    return { messageId: message.message_id };
  });

  app.post('/chat/buttons', async (request, reply) => {
    const parsed = buttonBody.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
    try {
      return { callbackQueryId: emulator.pressButton(toUser(parsed.data), parsed.data.messageId, parsed.data.data) };
    } catch (error) {
      if (error instanceof EmulatorApiError) return reply.code(error.errorCode).send({ error: error.description });
      throw error;
    }
  });

  app.get('/chat/events', async (request, reply) => {
    const parsed = eventsQuery.safeParse(request.query);
    if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
    const { userId, after, waitMs } = parsed.data;
    return { events: await emulator.eventsAfter(userId, after, waitMs) };
  });

  // How many of a chat's updates still wait for the bot: queued in the emulator, or stored and not
  // handled. `omnicore chat` waits for zero before it exits, so that no reply still due is lost.
  app.get('/chat/pending', async (request, reply) => {
    const parsed = pendingQuery.safeParse(request.query);
    if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
    const { userId } = parsed.data;
    return { pending: emulator.queuedFrom(userId) + (await options.unhandledIn(String(userId))) };
  });
}

function toUser(input: { userId: number; firstName: string; username?: string | undefined }): User {
  return {
    id: input.userId,
    is_bot: false,
    first_name: input.firstName,
    ...(input.username ? { username: input.username } : {}),
  };
}

/** In a query string, Telegram takes objects, arrays and booleans JSON-encoded; other values stay text. */
function decodeQuery(query: Record<string, string>): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!/^[[{]|^(true|false)$/.test(value)) {
      decoded[key] = value;
      continue;
    }
    try {
      decoded[key] = JSON.parse(value);
    } catch {
      decoded[key] = value;
    }
  }
  return decoded;
}
