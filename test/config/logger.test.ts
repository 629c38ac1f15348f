// Secrets never reach a log line: not in messages, not in nested error objects, not in URLs that a
// failed request carries.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, createRedactor, REDACTED } from '../../src/config/logger.js';
import { RedactionList } from '../../src/config/redaction.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { TEST_TOKEN } from '../support/fake-bot-api.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { lines, stream };
}

describe('log redaction', () => {
  it('masks every secret wherever it appears in a line', () => {
    const { lines, stream } = capture();
    const log = createLogger({ LOG_LEVEL: 'info' }, ['tok:en-123456', 'p@ss-word'], stream);
    const error = new Error('request to https://api.telegram.org/bottok:en-123456/getMe failed');
    log.error({ err: error, nested: { password: 'p@ss-word' } }, 'failed with tok:en-123456');
    const line = lines.join('');
    expect(line).not.toContain('tok:en-123456');
    expect(line).not.toContain('p@ss-word');
    expect(line.split(REDACTED).length - 1).toBe(4);
    expect(JSON.parse(line).msg).toBe(`failed with ${REDACTED}`);
  });

  it('masks values learned after the logger was made, and escaped ones, but not short ones', () => {
    const learned = new RedactionList();
    const redact = createRedactor(['tok:en-123456'], learned);
    expect(redact('x tok:en-123456 late-secret-1')).toBe(`x ${REDACTED} late-secret-1`);
    learned.add('late-secret-1');
    learned.add('q"uo\\te-secret');
    learned.add('pin1');
    expect(redact('x tok:en-123456 late-secret-1 pin1')).toBe(`x ${REDACTED} ${REDACTED} pin1`);
    expect(redact(JSON.stringify({ token: 'q"uo\\te-secret' }))).toBe(`{"token":"${REDACTED}"}`);
  });

  describe('a platform whose Bot API is unreachable', () => {
    let database: TestDatabase;
    let platform: TestPlatform | undefined;

    afterEach(async () => {
      await platform?.stop();
      await database?.dispose();
    });

    it('logs the failures without the bot token', async () => {
      database = await createTestDatabase('sqlite');
      platform = await startTestPlatform(database, {
        BOT_TOKEN: TEST_TOKEN,
        // Nothing listens on port 9 (discard): every request fails with a network error.
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
      });
      const deadline = Date.now() + 10_000;
      while (!platform.logs.some((line) => line.includes('could not reach the Bot API')) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const logs = platform.logs.join('');
      expect(logs).toContain('could not reach the Bot API');
      expect(logs).toContain('127.0.0.1:9');
      expect(logs).not.toContain(TEST_TOKEN);
      const ready = await fetch(`${platform.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'unavailable',
        checks: { database: { ok: true }, bot: { ok: false } },
      });
    });
  });
});
