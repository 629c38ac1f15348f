// Builders for Telegram updates as Telegram sends them, for tests that push updates at the bot.
let nextUpdateId = 100_000;

export function freshUpdateId(): number {
  return nextUpdateId++;
}

export function textUpdate(
  text: string,
  options: { chatId?: number; userId?: number; updateId?: number; firstName?: string; languageCode?: string } = {},
): Record<string, unknown> & { update_id: number } {
  const userId = options.userId ?? options.chatId ?? 42;
  const chatId = options.chatId ?? userId;
  const command = /^\/\w+(@\w+)?/.exec(text);
  return {
    update_id: options.updateId ?? freshUpdateId(),
    message: {
      message_id: Math.floor(Math.random() * 1e6),
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: options.firstName ?? 'Ada' },
      from: {
        id: userId,
        is_bot: false,
        first_name: options.firstName ?? 'Ada',
        ...(options.languageCode ? { language_code: options.languageCode } : {}),
      },
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
    },
  };
}

export function callbackUpdate(
  data: string,
  options: { chatId?: number; messageId?: number; updateId?: number } = {},
): Record<string, unknown> & { update_id: number } {
  const chatId = options.chatId ?? 42;
  return {
    update_id: options.updateId ?? freshUpdateId(),
    callback_query: {
      id: `cb${freshUpdateId()}`,
      from: { id: chatId, is_bot: false, first_name: 'Ada' },
      chat_instance: String(chatId),
      data,
      message: {
        message_id: options.messageId ?? 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: 'Ada' },
        from: { id: 123456789, is_bot: true, first_name: 'Test Bot', username: 'test_bot' },
        text: 'Your language: English. Choose another:',
      },
    },
  };
}

/** A successful_payment message as Telegram sends it once a user paid: Stars unless `currency` says otherwise. */
export function successfulPaymentUpdate(
  chargeId: string,
  options: { userId: number; payload: string; amount: number; currency?: string; updateId?: number },
): Record<string, unknown> & { update_id: number } {
  const user = { id: options.userId, is_bot: false, first_name: 'Payer' };
  return {
    update_id: options.updateId ?? freshUpdateId(),
    message: {
      message_id: Math.floor(Math.random() * 1e6),
      date: Math.floor(Date.now() / 1000),
      chat: { id: options.userId, type: 'private', first_name: 'Payer' },
      from: user,
      successful_payment: {
        currency: options.currency ?? 'XTR',
        total_amount: options.amount,
        invoice_payload: options.payload,
        telegram_payment_charge_id: chargeId,
        provider_payment_charge_id: '',
      },
    },
  };
}
