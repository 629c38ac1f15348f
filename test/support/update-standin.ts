// A stand-in for an OMNICore install, for the self-update tests: a tiny package (no dependencies,
// so `npm ci` takes a second) whose build, migrate and server scripts the test controls, published
// to a local bare repository and cloned as the install. Its server speaks the parts of the
// platform's HTTP contract the updater checks: /healthz, /readyz and the emulator's chat API.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { UpdateEnvironment } from '../../src/ops/update/types.js';
import { updateBackup } from '../../src/ops/update/update-backup.js';
import { freePort } from './processes.js';

export const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

export interface StandinVersion {
  version: string;
  /** `build` exits 1. */
  buildFails?: boolean;
  /** The server answers /readyz 503. */
  neverReady?: boolean;
  /** `build` takes this long (a window to kill the updater in). */
  buildTakesMs?: number;
  /** `migrate` creates its table, then exits 1. */
  migrationFails?: boolean;
}

const SERVER = (ready: boolean) => `const http = require('node:http');
const version = require('../package.json').version;
const events = [];
http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const json = (status, body) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
  if (url.pathname === '/healthz') return json(200, { status: 'ok', version });
  if (url.pathname === '/readyz') return json(${ready ? 200 : 503}, { version });
  if (url.pathname === '/emulator/chat') return json(200, { lastSeq: events.length });
  if (url.pathname === '/emulator/chat/events') {
    const after = Number(url.searchParams.get('after'));
    return json(200, { events: events.filter((e) => e.seq > after) });
  }
  if (url.pathname === '/emulator/chat/messages' && req.method === 'POST') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { text } = JSON.parse(body);
      if (text === '/start') events.push({ seq: events.length + 1, type: 'message', text: 'Welcome to ' + version });
      json(200, { messageId: events.length });
    });
    return;
  }
  json(404, {});
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const MIGRATE = (version: string, fails: boolean) => `const Database = require('better-sqlite3');
const db = new Database(require('node:path').join(process.env.DATA_DIR, 'omnicore.db'));
db.exec('create table if not exists "standin_${version.replace(/\W/g, '_')}" (id integer)');
db.close();
${fails ? "console.error('migration failed on purpose'); process.exit(1);" : ''}
`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export interface Standin {
  remote: string;
  install: string;
  /** Commits a version to the remote's main branch; returns its commit. */
  publish(version: StandinVersion, tag?: string): string;
}

export function createStandin(): Standin {
  const root = mkdtempSync(path.join(tmpdir(), 'omnicore-update-'));
  const remote = path.join(root, 'remote.git');
  const work = path.join(root, 'publisher');
  const install = path.join(root, 'install');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', work]);
  for (const [key, value] of [
    ['user.email', 'test@example.com'],
    ['user.name', 'Test'],
  ] as const)
    git(work, 'config', key, value);
  git(work, 'remote', 'add', 'origin', remote);
  const publish = (v: StandinVersion, tag?: string): string => {
    const pkg = {
      name: 'standin',
      version: v.version,
      private: true,
      scripts: { build: 'node build.cjs', migrate: 'node migrate.cjs', start: 'node dist/server.cjs' },
    };
    writeFileSync(path.join(work, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    writeFileSync(
      path.join(work, 'package-lock.json'),
      `${JSON.stringify({ name: 'standin', version: v.version, lockfileVersion: 3, requires: true, packages: { '': { name: 'standin', version: v.version } } }, null, 2)}\n`,
    );
    writeFileSync(path.join(work, '.gitignore'), 'node_modules\ndist/\ndata/\n');
    writeFileSync(path.join(work, 'server.cjs'), SERVER(!v.neverReady));
    writeFileSync(
      path.join(work, 'build.cjs'),
      v.buildFails
        ? "console.error('build failed on purpose'); process.exit(1);\n"
        : `${v.buildTakesMs ? `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${v.buildTakesMs});\n` : ''}const fs = require('node:fs'); fs.mkdirSync('dist', { recursive: true }); fs.copyFileSync('server.cjs', 'dist/server.cjs');\n`,
    );
    writeFileSync(path.join(work, 'migrate.cjs'), MIGRATE(v.version, v.migrationFails ?? false));
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', `release ${v.version}`);
    if (tag) git(work, 'tag', tag);
    git(work, 'push', '--quiet', '--tags', 'origin', 'main');
    return git(work, 'rev-parse', 'HEAD');
  };
  publish({ version: '1.0.0' });
  execFileSync('git', ['clone', '--quiet', remote, install]);
  mkdirSync(path.join(install, 'data'), { recursive: true });
  return { remote, install, publish };
}

export function headOf(dir: string): string {
  return git(dir, 'rev-parse', 'HEAD');
}

/** The updater's environment for a stand-in: its data/ holds a migrated SQLite database, the emulator is on. */
export async function standinEnvironment(standin: Standin): Promise<{ env: UpdateEnvironment; alerts: string[] }> {
  const dataDir = path.join(standin.install, 'data');
  const handle = await openDatabase({ dataDir });
  await migrateToLatest(handle);
  await handle.close();
  const port = await freePort();
  const alerts: string[] = [];
  return {
    alerts,
    env: {
      installDir: standin.install,
      dataDir,
      backup: updateBackup({
        DATA_DIR: dataDir,
        PLUGINS_DIR: path.join(dataDir, 'plugins'),
        DATABASE_URL: undefined,
        SQLITE_SYNCHRONOUS: 'normal',
      }),
      serverUrl: `http://127.0.0.1:${port}`,
      emulator: true,
      alert: async (message) => {
        alerts.push(message);
      },
      commandEnv: { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_PATH: NODE_MODULES },
      readyWithinMs: 5000,
      settleMs: 1000,
    },
  };
}

export async function tables(dataDir: string): Promise<string[]> {
  const handle = await openDatabase({ dataDir });
  try {
    const { rows } = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table'`.execute(handle.db);
    return rows.map((row) => row.name);
  } finally {
    await handle.close();
  }
}
