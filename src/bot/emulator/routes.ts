// HTTP face of the emulator, mounted under /emulator on the platform's own server: the Bot API
// (/emulator/bot<token>/<method>, JSON, form or multipart bodies as Telegram takes them), file
// downloads (/emulator/file/bot<token>/<file_path>) for the bot, and /emulator/chat for people
// (messages, button presses, paying invoices, the bot's events).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { User } from 'grammy/types';
import { z } from 'zod';
import { EmulatorApiError, type TelegramEmulator } from './emulator.js';
import { type MultipartBody, parseMultipart, withUploadsNamed } from './multipart.js';

export const EMULATOR_PREFIX = '/emulator';
/** Telegram's limit on a bot's upload (a multipart request). */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

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
const paymentBody = z.object({ ...chatUser, messageId: z.number().int().positive() });
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

  // Forms reach the Bot API as Telegram takes them; the parsers live in this scope only.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
    (request, body, done) => {
      const form = parseMultipart(body as Buffer, request.headers['content-type'] ?? '');
      if (form) done(null, form);
      else done(new EmulatorApiError(400, "Bad Request: can't parse multipart/form-data body"), undefined);
    },
  );
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, {
      fields: Object.fromEntries(new URLSearchParams(body as string)),
      uploads: new Map(),
    } satisfies MultipartBody);
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/:bot/:method',
    bodyLimit: MAX_UPLOAD_BYTES,
    // Whatever goes wrong with a request (a body too large, malformed JSON) is answered in Telegram's shape.
    errorHandler: (error, _request, reply) => {
      if (error instanceof EmulatorApiError) return sendError(reply, error);
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      if (status === 413) return sendError(reply, new EmulatorApiError(413, 'Request Entity Too Large'));
      if (status >= 400 && status < 500)
        return sendError(reply, new EmulatorApiError(400, `Bad Request: ${error.message}`));
      throw error;
    },
    handler: async (request, reply) => {
      const { bot, method } = request.params as { bot: string; method: string };
      if (bot !== `bot${emulator.token}`) return sendError(reply, new EmulatorApiError(401, 'Unauthorized'));
      const form = isForm(request.body) ? request.body : undefined;
      const body = form
        ? decodeQuery(withUploadsNamed(form.fields, form.uploads) as Record<string, string>)
        : typeof request.body === 'object' && request.body !== null
          ? request.body
          : {};
      const params = { ...decodeQuery(request.query as Record<string, string>), ...body };
      return { ok: true, result: await emulator.call(method, params, form?.uploads) };
    },
  });

  app.get('/file/:bot/*', async (request, reply) => {
    const { bot, '*': filePath } = request.params as { bot: string; '*': string };
    if (bot !== `bot${emulator.token}`) return sendError(reply, new EmulatorApiError(401, 'Unauthorized'));
    const file = emulator.files.atPath(filePath);
    if (!file) return sendError(reply, new EmulatorApiError(404, 'Not Found'));
    return reply.type(file.mimeType ?? 'application/octet-stream').send(file.bytes);
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

  // The Pay button under an invoice: answered once the bot took or declined the pre-checkout (≤ 10 s).
  app.post('/chat/payments', async (request, reply) => {
    const parsed = paymentBody.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: z.prettifyError(parsed.error) });
    try {
      return await emulator.payments.payButton(toUser(parsed.data), parsed.data.messageId);
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

function sendError(reply: FastifyReply, error: EmulatorApiError): FastifyReply {
  return reply.code(error.errorCode).send({
    ok: false,
    error_code: error.errorCode,
    description: error.description,
    ...(error.parameters ? { parameters: error.parameters } : {}),
  });
}

function isForm(body: unknown): body is MultipartBody {
  return (
    typeof body === 'object' && body !== null && 'uploads' in body && (body as MultipartBody).uploads instanceof Map
  );
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
