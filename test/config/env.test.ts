// The environment contract: defaults, how the bot mode is chosen, and bad values refused with one
// line that names the variable and never repeats a secret.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_EXIT_CODE, ConfigError } from '../../src/config/config-error.js';
import { loadConfig, secretValues } from '../../src/config/env.js';
import { CLI, WORKING_DIR } from '../support/processes.js';

const TOKEN = '123456:ABCdefGHIjklMNOpqrSTUvwx-yz_0123';

function problem(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', BOT_MODE: 'emulator', LOG_LEVEL: 'info' });
    expect(config.DATA_DIR).toMatch(/\/data$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('picks polling with a token, webhook with a URL, and honours BOT_MODE', () => {
    expect(loadConfig({ BOT_TOKEN: TOKEN }).BOT_MODE).toBe('polling');
    expect(loadConfig({ BOT_TOKEN: TOKEN, WEBHOOK_URL: 'https://bot.example.com/' })).toMatchObject({
      BOT_MODE: 'webhook',
      WEBHOOK_URL: 'https://bot.example.com',
    });
    expect(loadConfig({ BOT_TOKEN: TOKEN, BOT_MODE: 'emulator' }).BOT_MODE).toBe('emulator');
  });

  it('throttles outgoing calls to Telegram unless told not to, and never in the emulator', () => {
    expect(loadConfig({ BOT_TOKEN: TOKEN }).throttle).toBe(true);
    expect(loadConfig({ BOT_TOKEN: TOKEN, TELEGRAM_THROTTLE: 'off' }).throttle).toBe(false);
    expect(loadConfig({}).throttle).toBe(false);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', BOT_TOKEN: '' })).toMatchObject({ PORT: 3000, BOT_MODE: 'emulator' });
  });

  it('parses admin ids and rejects a malformed list', () => {
    expect(loadConfig({ ADMIN_TELEGRAM_IDS: '1, 22,333' }).ADMIN_TELEGRAM_IDS).toEqual([1, 22, 333]);
    expect(problem({ ADMIN_TELEGRAM_IDS: '1,abc' }).variable).toBe('ADMIN_TELEGRAM_IDS');
  });

  it('names the variable and the value for a bad setting', () => {
    const error = problem({ PORT: 'eighty' });
    expect(error.variable).toBe('PORT');
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', problem: expect.stringMatching(/\(got "eighty"\)$/) });
    expect(error.message).toMatch(/^configuration error: PORT: .*\(got "eighty"\)$/);
    expect(problem({ DATABASE_URL: 'mysql://x' }).variable).toBe('DATABASE_URL');
    expect(problem({ TELEGRAM_API_ROOT: 'ftp://x' }).variable).toBe('TELEGRAM_API_ROOT');
  });

  it('never repeats a secret value in its message', () => {
    const error = problem({ BOT_TOKEN: 'not-a-token-but-secret' });
    expect(error.variable).toBe('BOT_TOKEN');
    expect(error.message).not.toContain('not-a-token-but-secret');
  });

  it('requires what a chosen mode needs', () => {
    expect(problem({ BOT_MODE: 'polling' }).variable).toBe('BOT_TOKEN');
    expect(problem({ BOT_MODE: 'webhook', BOT_TOKEN: TOKEN }).variable).toBe('WEBHOOK_URL');
    expect(problem({ WEBHOOK_URL: 'https://x.example' }).variable).toBe('BOT_TOKEN');
  });

  it('wants the first admin named and given a usable password together', () => {
    expect(problem({ ADMIN_USERNAME: 'ops' }).variable).toBe('ADMIN_PASSWORD');
    expect(problem({ ADMIN_PASSWORD: 'long-enough-secret' }).variable).toBe('ADMIN_USERNAME');
    const weak = problem({ ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'short' });
    expect(weak.variable).toBe('ADMIN_PASSWORD');
    expect(weak.message).not.toContain('short"');
  });

  it('refuses a non-loopback HOST in emulator mode unless EMULATOR_ALLOW_REMOTE=1', () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.7', 'bot.example.com']) {
      const error = problem({ HOST: host });
      expect(error.variable).toBe('HOST');
      expect(error.message).toContain('EMULATOR_ALLOW_REMOTE=1');
      expect(error.message).not.toContain('\n');
      expect(problem({ HOST: host, BOT_TOKEN: TOKEN, BOT_MODE: 'emulator' }).variable).toBe('HOST');
    }
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost'])
      expect(loadConfig({ HOST: host }).HOST).toBe(host);
    expect(loadConfig({ HOST: '0.0.0.0', EMULATOR_ALLOW_REMOTE: '1' }).EMULATOR_ALLOW_REMOTE).toBe(true);
    expect(loadConfig({ HOST: '0.0.0.0', BOT_TOKEN: TOKEN })).toMatchObject({ HOST: '0.0.0.0', BOT_MODE: 'polling' });
    expect(loadConfig({}).EMULATOR_ALLOW_REMOTE).toBe(false);
    expect(problem({ EMULATOR_ALLOW_REMOTE: 'yes' }).variable).toBe('EMULATOR_ALLOW_REMOTE');
  });

  it('lists secret values for redaction, including database passwords', () => {
    const config = loadConfig({
      BOT_TOKEN: TOKEN,
      DATABASE_URL: 'postgres://app:s3cr3t-pass@db:5432/omni',
      OPENAI_API_KEY: 'sk-test-123456',
    });
    expect(secretValues(config, ['generated-secret'])).toEqual(
      expect.arrayContaining([TOKEN, 's3cr3t-pass', 'sk-test-123456', 'generated-secret']),
    );
  });
});

describe('omnicore with a bad environment', () => {
  it(`exits with ${CONFIG_EXIT_CODE} and one line naming the variable`, () => {
    const result = spawnSync(process.execPath, [CLI, 'start'], {
      cwd: WORKING_DIR, // away from any .env in the repository
      env: { PATH: process.env.PATH, PORT: '99999' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(CONFIG_EXIT_CODE);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^omnicore: configuration error: PORT: /)]);
  });

  it(`exits with ${CONFIG_EXIT_CODE} when the emulator would listen beyond loopback`, () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-env-'));
    // Were the check missing, the server would start: on a free port and a scratch DATA_DIR, and
    // killed outright at the timeout.
    const result = spawnSync(process.execPath, [CLI, 'start'], {
      cwd: WORKING_DIR, // away from any .env in the repository
      env: { PATH: process.env.PATH, HOST: '0.0.0.0', PORT: '0', DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    rmSync(dataDir, { recursive: true, force: true });
    expect(result.status).toBe(CONFIG_EXIT_CODE);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^omnicore: configuration error: HOST: .*EMULATOR_ALLOW_REMOTE=1.*\(got "0\.0\.0\.0"\)$/),
    ]);
  });
});
