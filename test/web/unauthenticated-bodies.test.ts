// Bodies from strangers are not read: /api/admin refuses a request without a valid session as soon
// as its headers arrive (over a raw socket, before the rest of the body is sent), and plugin routes
// take small bodies only.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLUGIN_BODY_LIMIT } from '../../src/web/routes/plugin-routes.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** 600 kB of nested arrays: costly to parse, and under the 1 MiB body limit. */
const NESTED = `${'['.repeat(300_000)}${']'.repeat(300_000)}`;

/**
 * Sends the request's headers and the first `sent` bytes of its body, then waits (at most
 * `waitMs`) for the status line; the rest of the body is never sent.
 */
function statusBeforeBodyEnds(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  sent: number,
  waitMs = 5000,
) {
  const { hostname, port } = new URL(url);
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${waitMs} ms while the body was incomplete`));
    }, waitMs);
    socket.once('data', (chunk) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(String(chunk).split('\r\n')[0] as string);
    });
    socket.once('error', reject);
    const head = Object.entries({
      host: hostname,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(NESTED)),
      ...headers,
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`${method} ${path} HTTP/1.1\r\n${head}\r\n${NESTED.slice(0, sent)}`);
  });
}

describe.each(['sqlite', 'postgres'] as const)('unauthenticated bodies on %s', (kind) => {
  let database: TestDatabase;
  let platform: TestPlatform;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    platform = await startTestPlatform(database, { LOG_LEVEL: 'warn' });
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.dispose();
  });

  it('answers 401 to a signed-out API request before its body has arrived', async () => {
    for (const [method, path] of [
      ['PUT', '/api/admin/settings'],
      ['PUT', '/api/admin/plugins/x/config'],
      ['POST', '/api/admin/chat/messages'],
      ['POST', '/api/admin/no/such/route'],
    ] as const) {
      const status = await statusBeforeBodyEnds(platform.url, method, path, {}, 64 * 1024);
      expect(status, `${method} ${path}`).toBe('HTTP/1.1 401 Unauthorized');
    }
  });

  it('answers 401 to a made-up session cookie before its body has arrived', async () => {
    const headers = { cookie: 'omnicore_session=made-up-token', 'x-csrf-token': 'x' };
    expect(await statusBeforeBodyEnds(platform.url, 'PUT', '/api/admin/settings', headers, 1024)).toBe(
      'HTTP/1.1 401 Unauthorized',
    );
  });

  it('sends a signed-out page request to sign in before reading its body', async () => {
    expect(await statusBeforeBodyEnds(platform.url, 'POST', '/admin/logout', {}, 1024)).toBe('HTTP/1.1 302 Found');
  });

  it('limits plugin route bodies to 64 KiB', async () => {
    const post = (bytes: number) =>
      fetch(`${platform.url}/plugins/none/route`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ padding: 'x'.repeat(bytes) }),
      });
    expect((await post(PLUGIN_BODY_LIMIT + 1)).status).toBe(413);
    expect((await post(1024)).status).toBe(404);
  });
});
