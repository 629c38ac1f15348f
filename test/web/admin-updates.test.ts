// Self-update from the admin panel and from Telegram, against a whole platform on both databases.
// The updater the server starts is a stand-in process (a real, detached child that just waits), so
// that the test never moves this checkout; the check asks a local bare repository holding this
// very commit. Covered: the history listed, one updater at a time (a second one, or one while an
// update's state file exists, refused with UPDATE_IN_PROGRESS), starting audited as the admin with
// the address, the signed-out and forged requests refused, and /update for an admin and a non-admin.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { User } from 'grammy/types';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { messages } from '../../src/core/i18n.js';
import { openConfiguredDatabase } from '../../src/db/database.js';
import { UpdateHistory } from '../../src/ops/update/update-history.js';
import { clearState, writeState } from '../../src/ops/update/update-state.js';
import { VERSION } from '../../src/version.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { adminSession, startTestPlatform, type TestPlatform } from '../support/platform.js';

const { en } = messages;
const PASSWORD = 'correct-horse-battery';
const ADMIN: User = { id: 9101, is_bot: false, first_name: 'Root' };
const GUEST: User = { id: 9102, is_bot: false, first_name: 'Guest' };
const CHECKOUT = fileURLToPath(new URL('../../', import.meta.url));
/** Waits, as a real updater would be busy, until the test stops it. */
const STANDIN = { file: process.execPath, args: ['-e', 'setTimeout(() => {}, 120000)'] };

describe.each(DATABASE_KINDS)('updates from the panel and Telegram on %s', (kind) => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let session: { cookie: string; csrf: string };
  let remote: string;

  const post = (url: string, headers: Record<string, string> = { 'x-csrf-token': session.csrf }, cookie = true) =>
    platform.app.inject({
      method: 'POST',
      url,
      payload: {},
      headers: { ...(cookie ? { cookie: session.cookie } : {}), ...headers },
    });
  const get = (url: string) => platform.app.inject({ url, headers: { cookie: session.cookie } });
  const starts = () =>
    platform.database.db
      .selectFrom('audit_log')
      .select(['actor', 'ip', 'details'])
      .where('action', '=', 'update.apply')
      .orderBy('id')
      .execute();
  /** Stops the stand-in updaters started so far (each its own process group), and waits until the server sees it. */
  const stopUpdaters = async () => {
    for (const row of await starts()) {
      const { pid } = JSON.parse(row.details ?? '{}') as { pid: number };
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // Stopped already.
      }
    }
    await vi.waitFor(async () =>
      expect((await get('/api/admin/updates/progress')).json()).toMatchObject({ running: false }),
    );
  };
  const say = async (user: User, text: string): Promise<string> => {
    const before = platform.emulator?.transcript(user.id).messages.length ?? 0;
    platform.emulator?.messages.send(user, text);
    return vi.waitFor(
      () => {
        const reply = platform.emulator
          ?.transcript(user.id)
          .messages.slice(before)
          .find((m) => m.from?.is_bot);
        expect(reply).toBeDefined();
        return reply?.text ?? '';
      },
      { timeout: 10_000 },
    );
  };

  beforeAll(async () => {
    remote = mkdtempSync(path.join(tmpdir(), 'omnicore-update-remote-'));
    execFileSync('git', ['init', '--quiet', '--bare', remote]);
    execFileSync('git', ['push', '--quiet', remote, 'HEAD:refs/heads/release'], { cwd: CHECKOUT });
    database = await createTestDatabase(kind);
    platform = await startTestPlatform(
      database,
      {
        ADMIN_USERNAME: 'admin',
        ADMIN_PASSWORD: PASSWORD,
        ADMIN_TELEGRAM_IDS: String(ADMIN.id),
        UPDATE_REMOTE: remote,
        UPDATE_BRANCH: 'release',
      },
      { updateCommand: STANDIN },
    );
    await platform.ready;
    session = await adminSession(platform, 'admin', PASSWORD);
  });

  afterEach(async () => {
    await stopUpdaters();
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.dispose();
    rmSync(remote, { recursive: true, force: true });
  });

  it('lists the update history on the API and the System page', async () => {
    const history = new UpdateHistory(() => openConfiguredDatabase(platform.config));
    const draft = {
      fromVersion: '0.1.0',
      toVersion: '0.2.0',
      fromCommit: 'a'.repeat(40),
      toCommit: 'b'.repeat(40),
      status: 'rolled_back' as const,
      startedAt: Date.now() - 60_000,
      finishedAt: Date.now(),
      result: 'health failed: not ready',
      backupId: '20261130T010000Z-abcdef',
      log: '== taking a backup\n',
    };
    const id = await history.start(draft);
    const listed = (await get('/api/admin/updates')).json<{ history: Record<string, unknown>[] }>().history;
    const { log: _log, ...shown } = draft;
    expect(listed).toEqual([{ id, ...shown }]);
    const page = (await get('/admin/system')).body;
    expect(page).toContain(`data-update="${id}"`);
    expect(page).toContain('20261130T010000Z-abcdef');
    expect(page).toContain('health failed: not ready');
  });

  it('starts one updater, refuses a second while it runs, and audits the start', async () => {
    expect((await post('/api/admin/updates/apply', {}, false)).statusCode).toBe(401);
    const forged = await post('/api/admin/updates/apply', { 'x-csrf-token': 'forged' });
    expect(forged.json()).toMatchObject({ ok: false, error: { code: 'OMNI_CSRF_REJECTED' } });
    expect(await starts()).toEqual([]);

    const first = await post('/api/admin/updates/apply');
    expect(first.json()).toEqual({ ok: true, started: true });
    expect((await get('/api/admin/updates/progress')).json()).toMatchObject({ running: true });
    const second = await post('/api/admin/updates/apply');
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ ok: false, error: { code: 'UPDATE_IN_PROGRESS' } });
    expect(await say(ADMIN, '/update apply')).toBe(en.update.inProgress);
    const rows = await starts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'admin', ip: '127.0.0.1' });
  });

  it('refuses to start while an update left its state file (an updater run from the shell)', async () => {
    writeState(platform.config.DATA_DIR, {
      historyId: 1,
      fromCommit: 'a'.repeat(40),
      toCommit: 'b'.repeat(40),
      fromVersion: '0.1.0',
      toVersion: '0.2.0',
      backupId: null,
      startedAt: Date.now(),
      step: 'install',
    });
    try {
      const refused = await post('/api/admin/updates/apply');
      expect(refused.json()).toMatchObject({ ok: false, error: { code: 'UPDATE_IN_PROGRESS' } });
    } finally {
      clearState(platform.config.DATA_DIR);
    }
  });

  it('answers /update for an admin (check, then apply) and refuses it to anyone else', async () => {
    expect(await say(GUEST, '/update')).toBe(en.adminOnly);
    expect(await say(GUEST, '/update apply')).toBe(en.adminOnly);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: CHECKOUT, encoding: 'utf8' }).trim();
    const check = await say(ADMIN, '/update');
    expect(check).toContain(en.update.status(`${VERSION} (${head.slice(0, 12)})`, ''));
    expect(check).toContain(`${remote}/release`);
    const before = (await starts()).length;
    expect(await say(ADMIN, '/update apply')).toBe(en.update.started);
    expect((await starts()).slice(before)).toEqual([expect.objectContaining({ actor: `telegram:${ADMIN.id}` })]);
  });
});
