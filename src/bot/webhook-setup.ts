// Points Telegram at our webhook: with the secret token, every update type (payments need
// pre_checkout_query), and never drop_pending_updates, so nothing queued at Telegram is lost.
import { API_CONSTANTS, type Api } from 'grammy';

export const WEBHOOK_ROUTE = '/telegram/webhook';

export async function setWebhook(api: Api, baseUrl: string, secret: string): Promise<void> {
  await api.setWebhook(`${baseUrl}${WEBHOOK_ROUTE}`, {
    secret_token: secret,
    allowed_updates: API_CONSTANTS.ALL_UPDATE_TYPES,
    drop_pending_updates: false,
  });
}
