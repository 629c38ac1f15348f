// `omnicore plugins …` through the real process: config shows the effective configuration and its
// keys, refuses an unknown plugin or key with one line and exit 1, and every change is in the
// audit log with the actor "cli".
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { AuditLog } from '../../src/db/audit-log.js';
import { openConfiguredDatabase } from '../../src/db/database.js';
import { assertBuilt, type Finished, spawnOmnicore, startOmnicore } from '../support/processes.js';

let dataDir: string;

beforeAll(() => assertBuilt());
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-plugins-'));
  cpSync(path.resolve('examples/plugins/notes'), path.join(dataDir, 'plugins', 'notes'), { recursive: true });
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function plugins(...args: string[]): Promise<Finished> {
  const run = spawnOmnicore(['plugins', ...args], { DATA_DIR: dataDir, PORT: '1', LOG_LEVEL: 'silent' }, 30_000);
  run.child.stdin?.end();
  return run.finished;
}

describe('omnicore plugins config', () => {
  it('refuses a plugin that does not exist with one line and exit 1', async () => {
    const result = await plugins('config', 'nonexistent');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toMatch(/^omnicore: no plugin named "nonexistent"/);
  });

  it('shows the effective configuration, defaults applied, with every key of the schema', async () => {
    const shown = await plugins('config', 'notes');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout.trim().split('\n')).toEqual(['maxNotes = 20', 'maxLength = 500']);
    expect((await plugins('config', 'notes', 'maxNotes=5')).code).toBe(0);
    expect((await plugins('config', 'notes')).stdout.trim().split('\n')).toEqual(['maxNotes = 5', 'maxLength = 500']);
  });

  it('refuses a key the schema does not have, naming it, and stores nothing', async () => {
    const result = await plugins('config', 'notes', 'maxNotes=7', 'bogus=1');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('omnicore: notes has no setting "bogus" (it has: maxNotes, maxLength)');
    expect((await plugins('config', 'notes')).stdout).toContain('maxNotes = 20');
  });
});

describe('omnicore plugins changes in the audit log', () => {
  it('records enable, disable, config and reload with the actor "cli"', async () => {
    for (const args of [
      ['enable', 'notes'],
      ['config', 'notes', 'maxNotes=5'],
      ['reload', 'notes'],
      ['disable', 'notes'],
    ]) {
      const result = await plugins(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const database = await openConfiguredDatabase(loadConfig({ DATA_DIR: dataDir }));
    try {
      const entries = await new AuditLog(database.db).list({ limit: 10 });
      expect(entries.map(({ actor, action, target }) => ({ actor, action, target })).reverse()).toEqual([
        { actor: 'cli', action: 'plugin.enable', target: 'notes' },
        { actor: 'cli', action: 'plugin.configure', target: 'notes' },
        { actor: 'cli', action: 'plugin.reload', target: 'notes' },
        { actor: 'cli', action: 'plugin.disable', target: 'notes' },
      ]);
      expect(entries.find((entry) => entry.action === 'plugin.configure')?.details).toBe('["maxNotes"]');
    } finally {
      await database.close();
    }
  });
});

describe('omnicore plugins beside a server on another database', () => {
  it('says on stderr, in one line, that the server on PORT works on another database', async () => {
    const otherDir = mkdtempSync(path.join(tmpdir(), 'omnicore-other-'));
    const server = await startOmnicore({ DATA_DIR: otherDir });
    try {
      const port = new URL(server.url).port;
      const env = { DATA_DIR: dataDir, PORT: port, LOG_LEVEL: 'silent' };
      const other = await spawnOmnicore(['plugins', 'list'], env, 30_000).finished;
      expect(other.code, other.stderr).toBe(0);
      expect(other.stderr.trim().split('\n')).toHaveLength(1);
      expect(other.stderr).toMatch(/^omnicore: warning: the server on port \d+ works on another database/);
      const same = await spawnOmnicore(['plugins', 'list'], { ...env, DATA_DIR: otherDir }, 30_000).finished;
      expect([same.code, same.stderr]).toEqual([0, '']);
    } finally {
      server.child.kill('SIGTERM');
      await server.finished;
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
