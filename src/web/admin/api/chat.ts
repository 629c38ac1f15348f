// /api/admin/chat: the test chat. The signed-in admin plays a Telegram user (an id of their own,
// far from real ones) in the built-in emulator; only in emulator mode, where there is one.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { User } from 'grammy/types';
import { z } from 'zod';
import type { TelegramEmulator } from '../../../bot/emulator/emulator.js';
import { EmulatorApiError } from '../../../bot/emulator/emulator.js';
import { clientError, OmniError } from '../../../errors.js';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';

/** Test users get ids above any Telegram has handed out, one per admin account. */
const TEST_USER_BASE = 9_000_000_000;

const messageBody = z.object({ text: z.string().trim().min(1).max(4096) });
const buttonBody = z.object({ messageId: z.number().int().positive(), data: z.string().min(1).max(64) });
const paymentBody = z.object({ messageId: z.number().int().positive() });
const eventsQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  waitMs: z.coerce.number().int().min(0).max(25_000).default(0),
});

export function testUserOf(request: FastifyRequest): User {
  const account = request.admin?.account;
  return { id: TEST_USER_BASE + (account?.id ?? 0), is_bot: false, first_name: account?.username ?? 'Admin' };
}

export async function chatApi(app: FastifyInstance, { emulator }: AdminServices): Promise<void> {
  const need = (): TelegramEmulator => {
    if (!emulator) throw new OmniError('OMNI_UNAVAILABLE', 'the test chat needs emulator mode (no BOT_TOKEN)');
    return emulator;
  };

  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/chat', async (request) => ({
    available: !!emulator,
    bot: emulator ? { username: emulator.botUser.username, firstName: emulator.botUser.first_name } : null,
    userId: testUserOf(request).id,
  }));

  api.post('/chat/messages', { schema: { body: messageBody } }, async (request) => ({
    messageId: need().sendUserMessage(testUserOf(request), request.body.text).message_id,
  }));

  api.post('/chat/buttons', { schema: { body: buttonBody } }, async (request) => {
    const { messageId, data } = request.body;
    return { callbackQueryId: await asClientError(() => need().pressButton(testUserOf(request), messageId, data)) };
  });

  // The Pay button under an invoice: emulated Stars or money, answered once the bot took or declined it.
  api.post('/chat/payments', { schema: { body: paymentBody } }, async (request) =>
    asClientError(() => need().payments.payButton(testUserOf(request), request.body.messageId)),
  );

  api.get('/chat/history', async (request) => need().transcript(testUserOf(request).id));

  api.get('/chat/events', { schema: { querystring: eventsQuery } }, async (request) => {
    const { after, waitMs } = request.query;
    return { events: await need().eventsAfter(testUserOf(request).id, after, waitMs) };
  });
}

/** What the emulator refuses (no such button, no such invoice) is the admin's client error, in Telegram's words. */
async function asClientError<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof EmulatorApiError) throw clientError(error.errorCode, error.description);
    throw error;
  }
}
