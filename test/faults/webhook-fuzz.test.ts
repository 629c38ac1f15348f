// Property-based fuzzing of POST /telegram/webhook: random JSON and random bytes, with and without
// the secret, never get a 5xx, never crash the process, and nothing invalid is stored.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkUpdate } from '../../src/core/update-schema.js';
import { useWebhookPlatform, WEBHOOK_SECRET } from '../support/platform.js';
import { faultScale } from './scale.js';

describe('webhook fuzzing', () => {
  const fixture = useWebhookPlatform('sqlite');

  const stored = async (): Promise<number> => {
    const row = await fixture.platform.database.db
      .selectFrom('telegram_updates')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };

  const post = (body: string | Uint8Array, headers: Record<string, string>): Promise<Response> =>
    fetch(`${fixture.platform.url}/telegram/webhook`, { method: 'POST', headers, body });

  it('answers random JSON with 200 or 400, and stores exactly the valid updates', async () => {
    const update = fc.record({
      update_id: fc.oneof(fc.integer({ min: -5, max: 2 ** 31 }), fc.string(), fc.constant(null)),
      message: fc.option(fc.anything(), { nil: undefined }),
      callback_query: fc.option(fc.object(), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), update), async (value) => {
        const before = await stored();
        const body = JSON.stringify(value) ?? 'null';
        // Judged as it travels: JSON drops undefined fields.
        const valid = checkUpdate(JSON.parse(body)).ok;
        const response = await post(body, {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': WEBHOOK_SECRET,
        });
        expect(response.status).toBeLessThan(500);
        if (!valid) {
          expect(response.status).toBe(400);
          expect(await stored()).toBe(before);
        } else {
          expect(response.status).toBe(200);
        }
      }),
      { numRuns: faultScale.fuzzRuns },
    );
    expect((await fetch(`${fixture.platform.url}/healthz`)).status).toBe(200);
  });

  it('answers random bytes and content types with a 4xx, storing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4096 }),
        fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'multipart/form-data'),
        fc.boolean(),
        async (bytes, contentType, withSecret) => {
          const before = await stored();
          const response = await post(bytes, {
            'content-type': contentType,
            ...(withSecret ? { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET } : {}),
          });
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(await stored()).toBe(before);
        },
      ),
      { numRuns: faultScale.fuzzRuns },
    );
    expect((await fetch(`${fixture.platform.url}/healthz`)).status).toBe(200);
  });
});
