// The Bot API methods payments need, from grammY's `Api` (so through the journal, auto-retry and
// throttling like every other call).
import type { Api } from 'grammy';
import type { TelegramPaymentsApi } from '../payments/telegram.js';

export function telegramPaymentsApi(api: Api): TelegramPaymentsApi {
  return {
    sendInvoice: (chatId, invoice) =>
      api.sendInvoice(chatId, invoice.title, invoice.description, invoice.payload, invoice.currency, invoice.prices, {
        provider_token: invoice.providerToken,
      }),
    createInvoiceLink: (invoice) =>
      api.createInvoiceLink(
        invoice.title,
        invoice.description,
        invoice.payload,
        invoice.providerToken,
        invoice.currency,
        invoice.prices,
        invoice.subscriptionPeriod ? { subscription_period: invoice.subscriptionPeriod } : {},
      ),
    refundStarPayment: (userId, chargeId) => api.refundStarPayment(userId, chargeId),
    getStarTransactions: (offset, limit) => api.getStarTransactions({ offset, limit }),
  };
}
