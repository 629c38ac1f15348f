// Pretty logs for people (LOG_FORMAT=pretty, or unset on a terminal): the same lines, masked the
// same way.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { createLogger, REDACTED } from '../../src/config/logger.js';
import { TEST_TOKEN } from '../support/fake-bot-api.js';
import { assertBuilt, freePort, type OmnicoreProcess, spawnOmnicore } from '../support/processes.js';

describe('LOG_FORMAT', () => {
  it('is json, pretty or unset', () => {
    expect(loadConfig({ LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(loadConfig({}).LOG_FORMAT).toBeUndefined();
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/^configuration error: LOG_FORMAT: /);
  });
});

describe('pretty logs', () => {
  let server: OmnicoreProcess | undefined;
  let dataDir: string | undefined;

  afterEach(() => {
    server?.child.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('mask every secret, as JSON lines do', async () => {
    let text = '';
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        text += String(chunk);
        callback();
      },
    });
    const log = createLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }, ['tok:en-123456', 'p@ss-word'], stream);
    log.error({ err: new Error('GET /bottok:en-123456/getMe'), nested: { password: 'p@ss-word' } }, 'tok:en-123456');
    expect(text).toContain(REDACTED);
    expect(text).not.toContain('tok:en-123456');
    expect(text).not.toContain('p@ss-word');
    expect(() => JSON.parse(text.split('\n')[0] as string)).toThrow();
  });

  it('from the CLI never show the bot token', async () => {
    assertBuilt();
    dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-pretty-'));
    server = spawnOmnicore('start', {
      LOG_FORMAT: 'pretty',
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      BOT_TOKEN: TEST_TOKEN,
      // Nothing listens on port 9 (discard): every Bot API request fails, and says where it went.
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
    });
    const deadline = Date.now() + 30_000;
    while (!server.output().includes('could not reach the Bot API') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const output = server.output();
    expect(output).toContain('could not reach the Bot API');
    expect(output).toContain('127.0.0.1:9');
    expect(output).not.toContain(TEST_TOKEN);
    expect(output).not.toMatch(/^\{"level"/m);
  });
});
