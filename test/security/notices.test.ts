// The notices of arrival: sent in the background, only a few at a time into the outgoing queue that
// every reply shares, a later notice replacing one its chat has not been sent yet, and a failure
// logged, never thrown.
import type { Update } from 'grammy/types';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/core/i18n.js';
import { Notices } from '../../src/ops/security/notices.js';
import { textUpdate } from '../support/updates.js';

const t = messages.en;
const from = (userId: number, languageCode?: string) =>
  textUpdate('hi', { userId, ...(languageCode ? { languageCode } : {}) }) as unknown as Update;

describe('security notices', () => {
  it('keeps a few on their way at once, and sends a chat only its latest', async () => {
    const started: { chat: number; text: string }[] = [];
    const releases: (() => void)[] = [];
    const notices = new Notices({
      notify: (chat, text) => {
        started.push({ chat, text });
        return new Promise<void>((resolve) => releases.push(resolve));
      },
      defaultLanguage: () => 'en',
      log: pino({ level: 'silent' }),
    });
    for (let user = 1; user <= 20; user++) notices.send(from(user), (m) => m.slowDown);
    notices.send(from(20, 'de'), (m) => m.youAreBanned('1 min'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toHaveLength(8);

    let settled = false;
    const settling = notices.settled().then(() => {
      settled = true;
    });
    while (releases.length > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await settling;
    expect(settled).toBe(true);
    expect(started).toHaveLength(20);
    expect(started.at(-1)).toEqual({ chat: 20, text: messages.de.youAreBanned('1 min') });
    expect(started.filter((notice) => notice.text === t.slowDown)).toHaveLength(19);
  });

  it('logs a notice that could not be sent, and goes on', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const notices = new Notices({
      notify: async () => {
        throw new Error('Bot API unreachable');
      },
      defaultLanguage: () => 'en',
      log,
    });
    notices.send(from(1), (m) => m.slowDown);
    await notices.settled();
    expect(lines.join('')).toContain('security notice not delivered');
  });
});
