// POST /telegram/webhook: the secret header is checked (constant time) before the body is read,
// the body must be an update, and 200 is answered only once the update is stored in the inbox.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { UpdateSink } from '../../bot/intake.js';
import { WEBHOOK_ROUTE } from '../../bot/webhook-setup.js';
import { checkUpdate } from '../../core/update-schema.js';
import { OmniError } from '../../errors.js';
import type { ForgeryKind } from './forgery-report.js';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export async function webhookRoutes(
  app: FastifyInstance,
  options: {
    intake: UpdateSink;
    secret: string;
    isClosing: () => boolean;
    /** Told of every call with a missing or wrong secret (never the value given); it logs them. */
    onForgery: (ip: string, kind: ForgeryKind) => void;
  },
): Promise<void> {
  const expected = digest(options.secret);

  app.post(WEBHOOK_ROUTE, {
    // Browser security headers mean nothing to Telegram's servers, and cost time on the hottest route.
    helmet: false,
    onRequest: async (request) => {
      const given = request.headers[SECRET_HEADER];
      if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
        options.onForgery(request.ip, typeof given === 'string' ? 'wrong' : 'missing');
        throw new OmniError('OMNI_WEBHOOK_UNAUTHORIZED');
      }
      if (options.isClosing()) throw new OmniError('OMNI_SHUTTING_DOWN');
    },
    handler: async (request) => {
      const checked = checkUpdate(request.body);
      if (!checked.ok) throw new OmniError('OMNI_NOT_AN_UPDATE', checked.error);
      try {
        await options.intake.accept(checked.update, 'webhook');
      } catch (error) {
        // Deferred on purpose (the intake said why): Telegram sends it again, nothing is wrong here.
        if (error instanceof OmniError && error.code === 'OMNI_UPDATE_DEFERRED') throw error;
        request.log.error({ err: error, updateId: checked.update.update_id }, 'could not store update');
        throw new OmniError('OMNI_STORAGE_UNAVAILABLE');
      }
      return { ok: true };
    },
  });
}

/** Hashing first gives both sides the same length, which timingSafeEqual requires. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
