// The test chat: sends what the admin types to the emulator through /api/admin/chat, draws the
// conversation so far (both sides), then long-polls the bot's answers (messages, edits, buttons,
// a button's notice) as they come. An invoice shows a Pay button that pays it in the emulator
// (nothing real is charged). Text is set with textContent only, so whatever the bot or a plugin
// sends is shown, never run.
(() => {
  const log = document.getElementById('chat-log');
  const form = document.getElementById('chat-form');
  const input = document.getElementById('chat-input');
  if (!log || !form) return;
  const bubbles = new Map();
  let after = 0;

  function bubble(from, text, id) {
    const node = (id && bubbles.get(id)) || document.createElement('div');
    node.className = `chat-bubble from-${from}`;
    node.textContent = text;
    if (id) {
      node.dataset.messageId = id;
      bubbles.set(id, node);
    }
    if (!node.isConnected) log.append(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }

  /** An amount in minor units as people write it: "50 ⭐" for Stars, "4.99 USD"; no floating point. */
  function amountOf(total, currency) {
    if (currency === 'XTR') return `${total} ⭐`;
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
    if (!digits) return `${total} ${currency}`;
    const text = String(total).padStart(digits + 1, '0');
    return `${text.slice(0, -digits)}.${text.slice(-digits)} ${currency}`;
  }

  function pressButton(message, key) {
    return window.omnicore.api('POST', '/api/admin/chat/buttons', {
      messageId: message.message_id,
      data: key.callback_data,
    });
  }

  /** Pays the invoice: the bot is asked first (pre-checkout), and its refusal shown as Telegram shows it. */
  async function pay(message, button) {
    button.disabled = true;
    try {
      const result = await window.omnicore.api('POST', '/api/admin/chat/payments', { messageId: message.message_id });
      if (!result.ok) return window.omnicore.flash(result.data.error?.message ?? 'Not paid', 'danger');
      const outcome = result.data;
      if (outcome.ok) {
        bubble('user', `Paid ${amountOf(message.invoice.total_amount, message.invoice.currency)}`, outcome.messageId);
      } else if (outcome.reason === 'declined') {
        window.omnicore.flash(`Payment declined: ${outcome.errorMessage}`, 'warning');
      } else {
        window.omnicore.flash('The bot did not answer the payment in time.', 'danger');
      }
    } finally {
      button.disabled = false;
    }
  }

  /** The buttons under a message; an invoice without a keyboard of its own gets Telegram's Pay button. */
  function rowsOf(message) {
    const rows = message.reply_markup?.inline_keyboard ?? [];
    return message.invoice && rows.length === 0 ? [[{ text: 'Pay', pay: true }]] : rows;
  }

  /** The inline keyboard as Telegram lays it out: one line per row, its buttons sharing the width. */
  function keyboard(message) {
    const box = document.createElement('div');
    box.className = 'chat-keyboard';
    for (const row of rowsOf(message)) {
      const line = document.createElement('div');
      line.className = 'chat-keyboard-row';
      for (const key of row.filter((candidate) => candidate.callback_data || candidate.pay)) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = key.pay ? 'btn btn-sm btn-primary' : 'btn btn-sm btn-outline-primary';
        button.textContent = key.text;
        button.addEventListener('click', () => (key.pay ? pay(message, button) : pressButton(message, key)));
        line.append(button);
      }
      if (line.childElementCount > 0) box.append(line);
    }
    return box.childElementCount > 0 ? box : undefined;
  }

  /** What a message shows: its text, or what a payment message stands for. */
  function textOf(message) {
    if (message.invoice) {
      const { title, description, total_amount: total, currency } = message.invoice;
      return `Invoice: ${title} — ${amountOf(total, currency)}\n${description}`;
    }
    const paid = message.successful_payment;
    if (paid) return `Paid ${amountOf(paid.total_amount, paid.currency)}`;
    const refunded = message.refunded_payment;
    if (refunded) return `Refunded ${amountOf(refunded.total_amount, refunded.currency)}`;
    return message.text ?? message.caption ?? '[non-text message]';
  }

  function drawMessage(message) {
    const from = message.from?.is_bot ? 'bot' : 'user';
    const node = bubble(from, textOf(message), message.message_id);
    const buttons = keyboard(message);
    if (buttons) node.append(buttons);
  }

  function drawEvent(event) {
    if (event.type === 'message' || event.type === 'edit') drawMessage(event.message);
    if (event.type === 'delete') bubbles.get(event.messageId)?.remove();
    // answerCallbackQuery's text: Telegram shows it over the chat for a moment, as a toast does here.
    if (event.type === 'callback_answer' && event.text) window.omnicore.flash(event.text, 'secondary');
  }

  async function follow() {
    for (;;) {
      try {
        if (!log.dataset.ready) {
          const history = await window.omnicore.api('GET', '/api/admin/chat/history');
          if (!history.ok) throw new Error(history.data.error?.message);
          for (const message of history.data.messages) drawMessage(message);
          after = history.data.seq;
          log.dataset.ready = 'true';
        }
        const result = await window.omnicore.api('GET', `/api/admin/chat/events?after=${after}&waitMs=20000`);
        if (!result.ok) throw new Error(result.data.error?.message);
        for (const event of result.data.events) {
          after = Math.max(after, event.seq);
          drawEvent(event);
        }
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    const sent = bubble('user', text);
    const result = await window.omnicore.api('POST', '/api/admin/chat/messages', { text });
    if (!result.ok) return window.omnicore.flash(result.data.error?.message ?? 'Not sent', 'danger');
    sent.dataset.messageId = result.data.messageId;
    bubbles.set(result.data.messageId, sent);
  });

  follow();
})();
