// The test chat: sends what the admin types to the emulator through /api/admin/chat and long-polls
// the bot's answers (messages, edits, buttons), drawing each as a bubble. Text is set with
// textContent only, so whatever the bot or a plugin sends is shown, never run.
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

  function drawMessage(message) {
    const node = bubble('bot', message.text ?? message.caption ?? '[non-text message]', message.message_id);
    const rows = message.reply_markup?.inline_keyboard ?? [];
    for (const row of rows) {
      for (const key of row) {
        if (!key.callback_data) continue;
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'btn btn-sm btn-outline-primary';
        button.textContent = key.text;
        button.addEventListener('click', () =>
          window.omnicore.api('POST', '/api/admin/chat/buttons', {
            messageId: message.message_id,
            data: key.callback_data,
          }),
        );
        node.append(document.createElement('br'), button);
      }
    }
  }

  async function poll() {
    for (;;) {
      try {
        // The first request returns at once with the earlier conversation; later ones wait for news.
        const waitMs = log.dataset.ready ? 20000 : 0;
        const result = await window.omnicore.api('GET', `/api/admin/chat/events?after=${after}&waitMs=${waitMs}`);
        if (!result.ok) throw new Error(result.data.error?.message);
        for (const event of result.data.events) {
          after = Math.max(after, event.seq);
          if (event.type === 'message' || event.type === 'edit') drawMessage(event.message);
          if (event.type === 'delete') bubbles.get(event.messageId)?.remove();
        }
        log.dataset.ready = 'true';
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
    bubble('user', text);
    const result = await window.omnicore.api('POST', '/api/admin/chat/messages', { text });
    if (!result.ok) window.omnicore.flash(result.data.error?.message ?? 'Not sent', 'danger');
  });

  // Starting from 0 redraws this admin's earlier conversation after a reload.
  poll();
})();
