// Errors raised by Fastify and its plugins keep their HTTP status through the platform's error
// handler, under a catalogue code that says what happened (not another error's code).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform, WEBHOOK_SECRET } from '../support/platform.js';

describe('error statuses', () => {
  let database: TestDatabase;
  let platform: TestPlatform;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    platform = await startTestPlatform(database, { WEBHOOK_SECRET, LOG_LEVEL: 'warn' });
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.dispose();
  });

  const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

  it('answers 415 to a body of a type no route parses', async () => {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/telegram/webhook',
      headers: { 'content-type': 'application/xml', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      payload: '<update id="1"/>',
    });
    expect(response.statusCode).toBe(415);
    expect(errorOf(response.body)).toBe('OMNI_UNSUPPORTED_MEDIA_TYPE');
  });

  it('keeps a status the catalogue has no code for (416 for a range past the end of a file)', async () => {
    const response = await platform.app.inject({
      url: '/admin/assets/bootstrap/css/bootstrap.min.css',
      headers: { range: 'bytes=999999999-' },
    });
    expect(response.statusCode).toBe(416);
    expect(errorOf(response.body)).toBe('OMNI_REQUEST_REFUSED');
  });

  it('labels a 403 from the static files as forbidden, not as a CSRF failure', async () => {
    const response = await platform.app.inject({ url: '/admin/assets/app/' });
    expect(response.statusCode).toBe(403);
    expect(errorOf(response.body)).toBe('OMNI_FORBIDDEN');
  });

  it('answers a URL with malformed percent-encoding 400 in the catalogue shape, before any route', async () => {
    const response = await platform.app.inject({ url: '/plugins/notes/echo/%E0%A4%A' });
    expect([response.statusCode, errorOf(response.body)]).toEqual([400, 'OMNI_BAD_REQUEST']);
  });

  it('still answers 400 to malformed JSON and 413 to an oversize body', async () => {
    const post = (payload: string) =>
      platform.app.inject({
        method: 'POST',
        url: '/telegram/webhook',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
        payload,
      });
    const malformed = await post('{"update_id": ');
    expect([malformed.statusCode, errorOf(malformed.body)]).toEqual([400, 'OMNI_BAD_REQUEST']);
    const oversize = await post(JSON.stringify({ update_id: 1, padding: 'x'.repeat(2 * 1024 * 1024) }));
    expect([oversize.statusCode, errorOf(oversize.body)]).toEqual([413, 'OMNI_BODY_TOO_LARGE']);
  });
});
