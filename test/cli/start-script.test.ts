// `npm start` on an installed tree: it runs the built CLI as it is (a production install has no
// TypeScript to rebuild with), a supervisor's SIGTERM to npm stops everything it started, and the
// systemd unit shipped for deployments is well formed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_EXIT_CODE } from '../../src/config/config-error.js';
import { assertBuilt, freePort } from '../support/processes.js';

const UNIT = 'examples/deploy/omnicore.service';

beforeAll(() => {
  assertBuilt();
});

describe('npm start', () => {
  it('declares no build step before start', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.prestart).toBeUndefined();
    // exec: npm's shell becomes node, so the signals npm forwards reach the supervisor itself.
    expect(scripts.start).toBe('exec node dist/cli/main.js run');
  });

  it('runs the built CLI as it is, with no build step on the way', async () => {
    // A bad value ends the run before it listens, so the test needs no port and no data.
    const child = spawn('npm', ['start'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '99999' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // npm announces each script it runs ("> omnicore@… prestart", "> npm run build …").
    expect(stdout).toContain('> exec node dist/cli/main.js run');
    expect(stdout).not.toMatch(/prestart|build/);
    expect(stderr).toMatch(/^omnicore: configuration error: PORT: /m);
    expect(code).toBe(CONFIG_EXIT_CODE);
  });
});

/** The parent of a process, from /proc (Linux, where the platform runs). */
function parentOf(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start under a process supervisor', () => {
  it('stops the supervisor and the server when npm gets SIGTERM, leaving no orphan', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-npm-term-'));
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const started: number[] = [];
    try {
      const serverPid = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready in 30 s:\n${output}`)), 30_000);
        npm.stdout.on('data', () => {
          const ready = /"pid":(\d+),[^\n]*"msg":"OMNICore is ready/.exec(output);
          if (ready) {
            clearTimeout(timer);
            resolve(Number(ready[1]));
          }
        });
      });
      const supervisorPid = parentOf(serverPid);
      started.push(serverPid, supervisorPid);
      expect(parentOf(supervisorPid)).toBe(npm.pid);
      npm.kill('SIGTERM');
      await new Promise((resolve) => npm.on('close', resolve));
      const deadline = Date.now() + 15_000;
      while ((alive(serverPid) || alive(supervisorPid)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect({ server: alive(serverPid), supervisor: alive(supervisorPid) }).toEqual({
        server: false,
        supervisor: false,
      });
      expect(output).toContain('"signal":"SIGTERM","msg":"shutting down"');
      expect(output).toContain('OMNICore stopped');
    } finally {
      npm.kill('SIGKILL');
      for (const pid of started.filter(alive)) process.kill(pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe(`the systemd unit (${UNIT})`, () => {
  const unit = readFileSync(UNIT, 'utf8');
  const keys = new Map<string, string[]>();
  let section = '';
  for (const raw of unit.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1] as string;
      continue;
    }
    const [key, ...value] = line.split('=');
    const name = `${section}.${key}`;
    keys.set(name, [...(keys.get(name) ?? []), value.join('=')]);
  }
  const value = (name: string): string | undefined => keys.get(name)?.at(-1);

  it('runs `omnicore run` as a dedicated user, restarting whenever it ends but not on a configuration error', () => {
    expect(value('Service.ExecStart')).toMatch(/^\/\S*node \S*dist\/cli\/main\.js run$/);
    expect(value('Service.User')).toBe('omnicore');
    expect(value('Service.Restart')).toBe('always');
    expect(value('Service.RestartPreventExitStatus')).toBe(String(CONFIG_EXIT_CODE));
    expect(value('Service.EnvironmentFile')).toMatch(/^-?\//);
    expect(value('Install.WantedBy')).toBe('multi-user.target');
  });

  it('is hardened, and writes only its DATA_DIR', () => {
    expect(value('Service.NoNewPrivileges')).toBe('yes');
    expect(value('Service.ProtectSystem')).toBe('strict');
    expect(value('Service.ReadWritePaths')).toBe('/var/lib/omnicore');
    expect(keys.get('Service.Environment')).toContain('DATA_DIR=/var/lib/omnicore');
    // V8's JIT needs writable executable memory: this option would kill node at start.
    expect(keys.has('Service.MemoryDenyWriteExecute')).toBe(false);
  });

  const verifiable = spawnSync('systemd-analyze', ['--version']).status === 0 && existsSync('/usr/bin/node');
  it.skipIf(!verifiable)('passes systemd-analyze verify', () => {
    const result = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
