// `omnicore experiments …` through the real process, on both databases: an experiment started from
// the CLI, users exposed and converting through the engine, then listed, reported and stopped by
// the CLI; the engine's refusals as one line and exit 1, bad usage as exit 2; and a running server
// that follows a CLI start and stop through the change signal, its poll slowed past the test.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { type DatabaseHandle, openConfiguredDatabase } from '../../src/db/database.js';
import { SettingsStore } from '../../src/db/settings-store.js';
import { assignArm } from '../../src/ops/experiments/assignment.js';
import { Experiments } from '../../src/ops/experiments/engine.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { assertBuilt, type Finished, runOmnicoreOn } from '../support/processes.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const NOT_RUNNING = { command: undefined, failed: false, latencyMs: 5, blocked: false };

function cliOn(database: TestDatabase, env: Record<string, string> = {}) {
  return (...args: string[]): Promise<Finished> => runOmnicoreOn(database, ['experiments', ...args], env);
}

/** The experiment id in `start`'s line. */
function startedId(result: Finished): number {
  expect(result.code, result.stderr).toBe(0);
  const match = /^experiment #(\d+) running: /.exec(result.stdout);
  expect(match, result.stdout).not.toBeNull();
  return Number(match?.[1]);
}

function oneLineOn(result: Finished): string {
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

beforeAll(() => assertBuilt());

describe.each(DATABASE_KINDS)('omnicore experiments list, show and stop on %s', (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let cli: ReturnType<typeof cliOn>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    cli = cliOn(database);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.dispose();
  });

  it('reports what the users of each arm did, and stops it with control kept', async () => {
    const id = startedId(
      await cli('start', 'bot.welcome', 'guided', '--metric', 'command', '--share', '0.5', '--reason', 'cli test'),
    );
    handle = await openConfiguredDatabase(loadConfig({ DATA_DIR: database.dataDir, DATABASE_URL: database.url }));
    const settings = new SettingsStore(handle.db);
    await settings.refresh();
    const engine = new Experiments({
      db: handle.db,
      bookkeeping: handle.bookkeeping,
      settings,
      log: pino({ level: 'silent' }),
    });
    await engine.refresh();
    // Planted: half of guided's users run a command after /start, a quarter of control's.
    const users = [0, 0];
    const converted = [0, 0];
    let guidedUser = 0;
    for (let user = 1; user <= 300; user++) {
      const view = engine.forUser(user);
      const arm = view.setting('bot.welcome') === 'guided' ? 1 : 0;
      await view.finish({ ...NOT_RUNNING, command: 'start' });
      if (assignArm(`experiment:${id}`, user, 2, 0.5) === undefined) continue;
      users[arm] = (users[arm] as number) + 1;
      if (arm === 1) guidedUser = user;
      if (user % (arm === 1 ? 2 : 4) === 0) {
        await engine.forUser(user).finish({ ...NOT_RUNNING, command: 'status' });
        converted[arm] = (converted[arm] as number) + 1;
      }
    }
    expect(Math.min(...users)).toBeGreaterThanOrEqual(30);

    const listed = await cli('list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        id,
        status: 'running',
        target: 'bot.welcome',
        arms: ['classic', 'guided'],
        share: 0.5,
        metric: 'command',
        users,
        proposedBy: 'cli',
        reason: 'cli test',
        endedAt: null,
        outcome: null,
      }),
    ]);

    const shown = await cli('show', String(id), '--json');
    expect(shown.code, shown.stderr).toBe(0);
    const report = JSON.parse(shown.stdout);
    const rates = users.map((count, arm) => (converted[arm] as number) / count);
    expect(report.arms).toMatchObject([
      { arm: 0, value: 'classic', users: users[0], primary: { successes: converted[0], vsControl: null } },
      { arm: 1, value: 'guided', users: users[1], primary: { successes: converted[1] } },
    ]);
    const difference = report.arms[1].primary.vsControl;
    expect(difference.estimate).toBeCloseTo((rates[1] as number) - (rates[0] as number), 10);
    expect(difference.low).toBeLessThan(difference.estimate);
    expect(difference.high).toBeGreaterThan(difference.estimate);
    expect(report.arms[1].guards.errors).toMatchObject({ successes: 0, rate: 0, bound: 0.02 });
    expect(report.textbookUsersPerArm).toBeGreaterThan(0);
    expect(report.log.map((entry: { action: string; actor: string }) => [entry.action, entry.actor])).toEqual([
      ['experiment.start', 'cli'],
      ['experiment.propose', 'cli'],
    ]);

    const text = await cli('show', String(id));
    expect(text.code, text.stderr).toBe(0);
    const points = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)}`;
    expect(text.stdout).toContain(
      `${points(difference.estimate)} [${points(difference.low)}, ${points(difference.high)}]`,
    );
    expect(text.stdout).toContain(`textbook sample size: ${report.textbookUsersPerArm} users per arm`);

    const stopped = await cli('stop', String(id), '--reason', 'seen enough');
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toBe(`experiment #${id} stopped: everyone gets bot.welcome = "classic" (control)\n`);
    expect(JSON.parse((await cli('list', '--json', '--status', 'running,paused')).stdout)).toEqual([]);
    const [ended] = JSON.parse((await cli('list', '--json', '--status', 'stopped')).stdout);
    expect(ended).toMatchObject({
      id,
      status: 'stopped',
      users,
      outcome: { kind: 'stopped', by: 'cli', reason: 'seen enough' },
    });
    expect(ended.endedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await cli('list')).stdout).toContain('stopped by cli: seen enough');
    await engine.refresh();
    expect(engine.forUser(guidedUser).setting('bot.welcome')).toBe('classic');
  }, 60_000);
});

describe('omnicore experiments refusals and hand actions', () => {
  let database: TestDatabase;
  let cli: ReturnType<typeof cliOn>;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    cli = cliOn(database);
  });
  afterAll(() => database?.dispose());

  it('documents its JSON in --help', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('textbookUsersPerArm');
    expect(help.stdout).toContain('stop <id> [--reason TEXT]');
  });

  it('says in one line, exit 1, that an experiment does not exist or a target is not mutable', async () => {
    const unknown = await cli('stop', '999');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(oneLineOn(unknown)).toBe('omnicore: EXPERIMENT_NOT_FOUND: no such experiment: #999');

    const undeclared = await cli('start', 'security.banLadderSeconds', '60', '--metric', 'command');
    expect(undeclared.code).toBe(1);
    expect(oneLineOn(undeclared)).toMatch(
      /^omnicore: EXPERIMENT_NOT_MUTABLE: this is not declared mutable: security\.banLadderSeconds \(mutable: bot\.welcome, /,
    );
    const control = await cli('start', 'bot.welcome', 'classic', '--metric', 'command');
    expect(control.code).toBe(1);
    expect(oneLineOn(control)).toContain('EXPERIMENT_INVALID');
    expect(JSON.parse((await cli('list', '--json')).stdout)).toEqual([]);
  });

  it('exits 2 on bad usage, naming what is wrong', async () => {
    const cases: [string[], string][] = [
      [[], 'no action'],
      [['frobnicate'], 'unknown action "frobnicate"'],
      [['stop'], 'experiments stop needs <id>'],
      [['stop', 'abc'], '<id>: expected a whole number'],
      [['show', '1', '2'], 'unexpected argument "2"'],
      [['list', '--reason', 'x'], 'experiments list takes no --reason'],
      [['list', '--status', 'runing'], '--status: '],
      [['start', 'bot.welcome', 'guided'], 'experiments start needs --metric'],
      [['start', 'bot.welcome', '--metric', 'command'], 'experiments start needs <value…>'],
      [['start', 'bot.welcome', 'guided', '--metric', 'clicks'], '--metric: '],
      [['start', 'bot.welcome', 'guided', '--metric', 'command', '--share', 'half'], '--share: '],
      [['list', '--bogus'], 'bogus'],
    ];
    // Refused before the database is opened: they may run together.
    const results = await Promise.all(cases.map(([args]) => cli(...args)));
    for (const [index, [args, message]] of cases.entries()) {
      const result = results[index] as Finished;
      expect(result.code, args.join(' ')).toBe(2);
      expect(oneLineOn(result)).toContain(message);
    }
  });

  it('pauses, resumes and promotes by hand; the promoted value becomes the target’s current one', async () => {
    const id = startedId(await cli('start', 'conversation.confidenceThreshold', '0.35', '--metric', 'answered'));
    expect((await cli('pause', String(id))).stdout).toBe(`experiment #${id} is paused\n`);
    expect((await cli('pause', String(id))).stderr).toContain('EXPERIMENT_STATE');
    expect((await cli('resume', String(id))).stdout).toBe(`experiment #${id} is running\n`);
    const promoted = await cli('promote', String(id), '1');
    expect(promoted.stdout).toBe(`experiment #${id} promoted: everyone gets conversation.confidenceThreshold = 0.35\n`);
    const targets = JSON.parse((await cli('targets', '--json')).stdout);
    expect(targets).toContainEqual(
      expect.objectContaining({ key: 'conversation.confidenceThreshold', kind: 'setting', current: 0.35 }),
    );
    expect(targets).toContainEqual(
      expect.objectContaining({ key: 'bot.welcome', current: 'classic', values: ['classic', 'guided'] }),
    );
    const [entry] = JSON.parse((await cli('show', String(id), '--json')).stdout).log;
    expect(entry).toMatchObject({ actor: 'cli', action: 'experiment.promote', details: { kind: 'promoted', arm: 1 } });
  }, 30_000);
});

describe('a running server and the CLI', () => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let cli: ReturnType<typeof cliOn>;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    // Polling slowed past the test: what the server sees in time came by the change signal.
    platform = await startTestPlatform(database, { REDIS_URL }, { pollMs: 60_000 });
    cli = cliOn(database, { REDIS_URL });
  });
  afterAll(async () => {
    await platform?.stop();
    await database?.dispose();
  });

  /** Milliseconds until `seen` holds; fails past 2 s. */
  const within2s = async (seen: () => boolean): Promise<number> => {
    const started = performance.now();
    while (!seen()) {
      expect(performance.now() - started).toBeLessThan(2000);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return performance.now() - started;
  };

  it('serves a CLI-started experiment at once, and control again once the CLI stops it', async () => {
    const id = startedId(await cli('start', 'bot.welcome', 'guided', '--metric', 'command', '--share', '0.5'));
    const user = Array.from({ length: 1000 }, (_, index) => index + 1).find(
      (candidate) => assignArm(`experiment:${id}`, candidate, 2, 0.5) === 1,
    ) as number;
    const welcome = () => platform.experiments.forUser(user).setting('bot.welcome');
    await within2s(() => welcome() === 'guided');

    expect((await cli('stop', String(id))).code).toBe(0);
    await within2s(() => welcome() === 'classic');
    expect((await platform.experiments.list(['stopped'])).map((experiment) => experiment.id)).toEqual([id]);
  }, 60_000);
});
