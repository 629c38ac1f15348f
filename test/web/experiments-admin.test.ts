// The Experiments API and pages through fastify's inject, against a whole platform in emulator mode
// on both databases: what may be experimented on, proposals refused (undeclared target, no CSRF, no
// session), an experiment proposed, approved, paused, resumed and stopped with each step audited
// once as the admin, one started whose arms fill as users send /start and /settings in the emulator,
// promoted into its setting, and the Settings page saying where each value came from.
import type { User } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { adminSession, startTestPlatform, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'correct-horse-battery';
const HOSTILE = '<script>alert("reason")</script>';

interface Arm {
  index: number;
  value: unknown;
  users: number;
  primary: { successes: number; trials: number; rate: number };
  guards: Record<string, { successes: number; trials: number; rate: number; bound: number }>;
}
interface Field {
  key: string;
  value: unknown;
  mutable: boolean;
  origin: { kind: string; by?: string; experiment?: number };
  experiment: { id: number; status: string } | null;
}

describe.each(['sqlite', 'postgres'] as const)('experiments in the admin panel on %s', (kind) => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let session: { cookie: string; csrf: string };

  const get = (url: string) => platform.app.inject({ url, headers: { cookie: session.cookie } });
  const post = (
    url: string,
    payload: object = {},
    headers: Record<string, string> = { 'x-csrf-token': session.csrf },
  ) => platform.app.inject({ method: 'POST', url, payload, headers: { cookie: session.cookie, ...headers } });
  const audit = (target: string) =>
    platform.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('target', '=', target)
      .orderBy('id')
      .execute();
  const settingField = async (key: string) => {
    const groups = (await get('/api/admin/settings')).json().groups as { fields: Field[] }[];
    return groups.flatMap((group) => group.fields).find((field) => field.key === key) as Field;
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    platform = await startTestPlatform(database, { ADMIN_USERNAME: 'ann', ADMIN_PASSWORD: PASSWORD });
    await platform.ready;
    // Everyone may take part, so that each user sending /start is in the experiment.
    await platform.settings.set('experiments.maxTrafficShare', 1);
    session = await adminSession(platform, 'ann', PASSWORD);
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.dispose();
  });

  it('lists the declared targets with their current and allowed values, and the metrics with their bounds', async () => {
    const response = await get('/api/admin/experiments/targets');
    expect(response.statusCode).toBe(200);
    const { targets, metrics, guards, limits } = response.json();
    expect(targets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'bot.welcome',
          kind: 'setting',
          current: 'classic',
          values: ['classic', 'guided'],
        }),
        expect.objectContaining({ key: 'conversation.confidenceThreshold', current: 0.45 }),
      ]),
    );
    expect(targets.map((target: { key: string }) => target.key)).not.toContain('security.banLadderSeconds');
    expect(metrics.map((metric: { name: string }) => metric.name)).toEqual(['command', 'purchase', 'answered', 'goal']);
    expect(guards).toContainEqual(expect.objectContaining({ name: 'errors', bound: 0.02 }));
    expect(limits).toMatchObject({ maxTrafficShare: 1, maxConcurrent: 3 });
  });

  it('refuses an undeclared target, a bad share, a request without the CSRF token or a session, creating nothing', async () => {
    const undeclared = await post('/api/admin/experiments', {
      target: 'security.banLadderSeconds',
      values: [[1]],
      metric: 'command',
      start: true,
    });
    expect(undeclared.statusCode).toBe(400);
    expect(undeclared.json().error.code).toBe('EXPERIMENT_NOT_MUTABLE');
    const outside = await post('/api/admin/experiments', {
      target: 'bot.welcome',
      values: ['loud'],
      metric: 'command',
    });
    expect(outside.json().error.code).toBe('EXPERIMENT_NOT_MUTABLE');
    const share = await post('/api/admin/experiments', {
      target: 'bot.welcome',
      values: ['guided'],
      metric: 'command',
      share: 2,
    });
    expect(share.statusCode).toBe(400);
    expect(share.json().error.message).toContain('share');
    const body = { target: 'bot.welcome', values: ['guided'], metric: 'command', start: true };
    const forged = await post('/api/admin/experiments', body, {});
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('OMNI_CSRF_REJECTED');
    const signedOut = await platform.app.inject({ method: 'POST', url: '/api/admin/experiments', payload: body });
    expect(signedOut.statusCode).toBe(401);
    expect((await get('/api/admin/experiments')).json().experiments).toEqual([]);
    const missing = await get('/api/admin/experiments/999');
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'EXPERIMENT_NOT_FOUND']);
    expect((await get('/admin/experiments/999')).statusCode).toBe(404);
  });

  it('proposes, approves, pauses, resumes and stops an experiment, each step audited once as the admin', async () => {
    const created = await post('/api/admin/experiments', {
      target: 'conversation.confidenceThreshold',
      values: [0.35, 0.5],
      metric: 'answered',
      share: 0.3,
      guards: { errors: 0.01 },
      reason: HOSTILE,
      start: false,
    });
    expect(created.statusCode).toBe(200);
    const { id } = created.json().experiment;
    expect(created.json().experiment).toMatchObject({
      status: 'proposed',
      proposedBy: 'admin:ann',
      arms: [0.45, 0.35, 0.5],
      guards: { errors: 0.01, slow: 0.05, blocked: 0.02 },
    });
    const list = await get('/admin/experiments');
    const row = list.body.slice(list.body.indexOf(`data-experiment="${id}"`));
    expect(row).toMatch(/data-status="proposed"/);
    expect(row).toContain('/approve');
    expect(list.body).not.toContain(HOSTILE);
    expect(list.body).toContain('&lt;script&gt;alert(&quot;reason&quot;)&lt;/script&gt;');

    const step = async (action: string, status: string) => {
      const response = await post(`/api/admin/experiments/${id}/${action}`);
      expect([response.statusCode, response.json().experiment?.status]).toEqual([200, status]);
    };
    await step('approve', 'running');
    const again = await post(`/api/admin/experiments/${id}/approve`);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'EXPERIMENT_STATE']);
    expect((await settingField('conversation.confidenceThreshold')).experiment).toEqual({ id, status: 'running' });
    await step('pause', 'paused');
    await step('resume', 'running');
    const stopped = await post(`/api/admin/experiments/${id}/stop`, { reason: 'enough seen' });
    expect(stopped.json().experiment).toMatchObject({
      status: 'stopped',
      outcome: { kind: 'stopped', by: 'admin:ann', reason: 'enough seen' },
    });
    expect(await audit(`experiment:${id}`)).toEqual(
      ['propose', 'start', 'pause', 'resume', 'stop'].map((action) => ({
        actor: 'admin:ann',
        action: `experiment.${action}`,
      })),
    );

    const second = (
      await post('/api/admin/experiments', { target: 'bot.welcome', values: ['guided'], metric: 'command' })
    ).json().experiment;
    await post(`/api/admin/experiments/${second.id}/reject`);
    const listed = (await get('/api/admin/experiments')).json().experiments as { id: number; status: string }[];
    expect(listed.map((experiment) => [experiment.id, experiment.status])).toEqual([
      [second.id, 'rejected'],
      [id, 'stopped'],
    ]);
    expect((await settingField('conversation.confidenceThreshold')).experiment).toBeNull();
  });

  it('reports the arms filling as users reach them, promotes one into the setting, and the Settings page says so', async () => {
    const welcome = await settingField('bot.welcome');
    expect(welcome).toMatchObject({ mutable: true, origin: { kind: 'default' }, experiment: null });
    expect(await settingField('bot.defaultLanguage')).toMatchObject({ mutable: false, origin: { kind: 'default' } });

    const created = await post('/api/admin/experiments', {
      target: 'bot.welcome',
      values: ['guided'],
      metric: 'command',
      share: 1,
      start: true,
    });
    const { id } = created.json().experiment;
    expect(created.json().experiment.status).toBe('running');
    const users: User[] = Array.from({ length: 16 }, (_, n) => ({ id: 8100 + n, is_bot: false, first_name: `U${n}` }));
    const report = async () => (await get(`/api/admin/experiments/${id}`)).json();
    const total = async (count: (arm: Arm) => number) =>
      ((await report()).arms as Arm[]).reduce((sum, arm) => sum + count(arm), 0);
    for (const user of users) platform.emulator?.sendUserMessage(user, '/start');
    await expect.poll(() => total((arm) => arm.users), { timeout: 10_000 }).toBe(16);
    // Each user's assignment is in the audit log, listed when asked for and left out of the plain log.
    const assigned = (await get('/api/admin/audit?action=experiment.assign')).json().entries;
    expect(assigned).toHaveLength(16);
    const plain = (await get('/api/admin/audit')).json().entries as { action: string }[];
    expect(plain.map((entry) => entry.action)).toContain('experiment.start');
    expect(plain.map((entry) => entry.action)).not.toContain('experiment.assign');
    // Half of them then run a command: the `command` metric's successes.
    for (const user of users.filter((_, n) => n % 2 === 0)) platform.emulator?.sendUserMessage(user, '/settings');
    await expect.poll(() => total((arm) => arm.primary.successes), { timeout: 10_000 }).toBe(8);

    const reported = await report();
    const arms = reported.arms as Arm[];
    expect(arms.map((arm) => arm.value)).toEqual(['classic', 'guided']);
    for (const arm of arms) {
      expect(arm.primary.trials).toBe(arm.users);
      expect(arm.guards.errors).toMatchObject({ successes: 0, trials: arm.users, bound: 0.02 });
      expect(Object.keys(arm.guards).sort()).toEqual(['blocked', 'errors', 'slow']);
    }
    expect(reported.textbookUsersPerArm).toBeUndefined();
    expect(reported.log.map((entry: { action: string }) => entry.action)).toEqual([
      'experiment.start',
      'experiment.propose',
    ]);
    expect(await settingField('bot.welcome')).toMatchObject({ experiment: { id, status: 'running' } });
    const page = await get(`/admin/experiments/${id}`);
    expect(page.body).toContain('data-status="running"');
    expect(page.body).toMatch(/data-api="\/api\/admin\/experiments\/\d+\/promote" data-body="\{&quot;arm&quot;:1\}"/);

    const control = await post(`/api/admin/experiments/${id}/promote`, { arm: 0 });
    expect(control.statusCode).toBe(400);
    const promoted = await post(`/api/admin/experiments/${id}/promote`, { arm: 1 });
    expect(promoted.json().experiment).toMatchObject({
      status: 'promoted',
      outcome: { kind: 'promoted', by: 'admin:ann', arm: 1 },
    });
    expect(platform.settings.get('bot.welcome')).toBe('guided');
    expect(await settingField('bot.welcome')).toMatchObject({
      value: 'guided',
      origin: { kind: 'promoted', experiment: id },
      experiment: null,
    });
    const settingsPage = await get('/admin/settings');
    expect(settingsPage.body).toContain(`promoted by <a href="/admin/experiments/${id}">experiment #${id}</a>`);

    const change = await platform.app.inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      payload: { values: { 'bot.welcome': 'classic' } },
    });
    expect(change.statusCode).toBe(200);
    expect(await settingField('bot.welcome')).toMatchObject({ origin: { kind: 'changed', by: 'ann' } });
  });
});
