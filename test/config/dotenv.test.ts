// A `.env` file in the working directory: its values take effect, the environment wins over it, and
// a bad value in it stops `omnicore` exactly as a bad variable does. `.env.example` documents every
// variable the schema reads, with defaults that are valid.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_EXIT_CODE } from '../../src/config/config-error.js';
import { loadEnvFile } from '../../src/config/dotenv.js';
import { ENV_VARIABLES, loadConfig } from '../../src/config/env.js';
import { assertBuilt, CLI, freePort } from '../support/processes.js';

let dir: string;
let child: ChildProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'omnicore-dotenv-'));
});

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('loadEnvFile', () => {
  it('adds what the environment lacks, and leaves set variables alone', () => {
    writeFileSync(path.join(dir, '.env'), 'PORT=4000\nHOST=127.0.0.2\nLOG_LEVEL=debug\n# DATA_DIR=/nope\n');
    const env: NodeJS.ProcessEnv = { PORT: '5000', HOST: '' };
    expect(loadEnvFile(dir, env).sort()).toEqual(['HOST', 'LOG_LEVEL']);
    // An empty variable counts as unset, as loadConfig treats it.
    expect(env).toEqual({ PORT: '5000', HOST: '127.0.0.2', LOG_LEVEL: 'debug' });
  });

  it('does nothing without a file', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(loadEnvFile(dir, env)).toEqual([]);
    expect(env).toEqual({});
  });
});

describe('omnicore with a .env file', () => {
  beforeAll(() => {
    assertBuilt();
  });

  it('takes its values, with the environment winning', async () => {
    const [fromFile, fromEnv] = [await freePort(), await freePort()];
    writeFileSync(path.join(dir, '.env'), `PORT=${fromFile}\nDATA_DIR=./from-dotenv\nLOG_LEVEL=warn\n`);
    child = spawn(process.execPath, [CLI, 'start'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', PORT: String(fromEnv) },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline && child.exitCode === null) {
      status = await fetch(`http://127.0.0.1:${fromEnv}/readyz`).then(
        (response) => response.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    expect(existsSync(path.join(dir, 'from-dotenv'))).toBe(true);
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it(`exits with ${CONFIG_EXIT_CODE} and one line naming the variable when a value in it is bad`, () => {
    writeFileSync(path.join(dir, '.env'), 'PORT=99999\n');
    const result = spawnSync(process.execPath, [CLI, 'start'], {
      cwd: dir,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    expect(result.stderr.trim().split('\n')).toEqual([
      'omnicore: configuration error: PORT: Too big: expected number to be <=65535 (got "99999")',
    ]);
    expect(result.status).toBe(CONFIG_EXIT_CODE);
  });
});

describe('.env.example', () => {
  const text = readFileSync('.env.example', 'utf8');
  const documented = [...text.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => [match[1], match[2]]);

  it('lists every variable, all commented out', () => {
    expect(Object.keys(parseEnv(text))).toEqual([]);
    const names = documented.map(([name]) => name);
    expect(names.sort()).toEqual([...ENV_VARIABLES].sort());
  });

  it('shows defaults that, uncommented, are the defaults', () => {
    const uncommented = Object.fromEntries(documented.filter(([, value]) => value !== ''));
    expect(loadConfig(uncommented)).toEqual(loadConfig({}));
  });
});
