// Sends a stream of updates to a contestant's webhook with autocannon: a fixed number of
// connections, one request in flight on each, every request a distinct update with the secret header.
import autocannon from 'autocannon';
import type { Ledger } from './ledger.js';
import { CONNECTIONS, WEBHOOK_PATH, WEBHOOK_SECRET } from './settings.js';
import type { StreamItem } from './update-stream.js';

export interface LoadOutcome {
  /** Connection errors and timeouts autocannon counted (responses of any status are not errors). */
  errors: number;
  timeouts: number;
}

interface SlotContext {
  index?: number;
}

export async function sendStream(baseUrl: string, ledger: Ledger): Promise<LoadOutcome> {
  const items = ledger.items;
  let next = 0;
  // autocannon builds each request just before writing it (the first of each connection at
  // creation), so the time taken in setupRequest is the time the update was sent.
  const result = await autocannon({
    url: `${baseUrl}${WEBHOOK_PATH}`,
    connections: CONNECTIONS,
    amount: items.length,
    timeout: 30,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    requests: [
      {
        setupRequest: (request, context) => {
          const index = next++;
          const item = items[index] as StreamItem;
          (context as SlotContext).index = index;
          ledger.sent(index, performance.now());
          return { ...request, body: item.body };
        },
        onResponse: (status, _body, context) => {
          const index = (context as SlotContext).index;
          if (index !== undefined) ledger.acked(index, status, performance.now());
        },
      },
    ],
  });
  return { errors: result.errors, timeouts: result.timeouts };
}
