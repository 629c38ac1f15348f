// The observer's proposals, from samples stored and rolled up as the observer does: many "not sure"
// answers over a day propose a lower confidence threshold (waiting for an admin), once; few answers,
// or a sure engine, propose nothing; a rejected proposal is not made again within the week.
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../../src/db/settings-store.js';
import { Experiments } from '../../../src/ops/experiments/engine.js';
import { proposeFromObservations } from '../../../src/ops/experiments/observer-proposals.js';
import { MetricStore, MINUTE_MS } from '../../../src/ops/observer/metric-store.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../../support/databases.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

describe.each(DATABASE_KINDS)("the observer's experiment proposals on %s", (kind) => {
  const migrated = useMigratedDatabase(kind);
  const db = () => migrated.handle.db;
  let experiments: Experiments;
  let metrics: MetricStore;
  const log = pino({ level: 'silent' });

  beforeEach(async () => {
    for (const table of ['experiments', 'system_metrics', 'audit_log'] as const) await db().deleteFrom(table).execute();
    experiments = new Experiments({ db: db(), settings: new SettingsStore(db()), log });
    await experiments.refresh();
    metrics = new MetricStore(db(), 'instance-a');
  });

  /** An hour of samples, two a minute, as the observer takes them, rolled up per minute. */
  async function observe(answersPerMinute: number, unsureRate: number): Promise<void> {
    for (let at = NOW - 60 * MINUTE_MS; at < NOW; at += MINUTE_MS / 2) {
      await metrics.insert({
        at,
        values: { 'conversation.answers_per_minute': answersPerMinute, 'conversation.unsure_rate': unsureRate },
      });
    }
    await metrics.rollup(NOW);
  }
  const propose = () =>
    proposeFromObservations(
      { experiments, history: (name, from, to) => metrics.history(name, from, to, '1m'), log },
      NOW,
    );

  it('proposes a lower threshold when the engine was unsure of many messages, and only once', async () => {
    await observe(5, 0.5);
    const id = await propose();
    expect(id).toBeDefined();
    const proposed = await experiments.get(id as number);
    expect(proposed).toMatchObject({
      status: 'proposed',
      proposedBy: 'observer',
      target: 'conversation.confidenceThreshold',
      arms: [0.45, 0.4, 0.35],
      metric: 'answered',
      reason: '50% of 300 plain messages in the last 24 h were answered "not sure" at a threshold of 0.45',
    });
    expect(await propose()).toBeUndefined();
    await experiments.reject(id as number, 'admin:ann');
    expect(await propose()).toBeUndefined();
    expect(await experiments.list()).toHaveLength(1);
  });

  it('proposes nothing from few answers, or from an engine that is mostly sure', async () => {
    await observe(1, 0.9);
    expect(await propose()).toBeUndefined();
    await db().deleteFrom('system_metrics').execute();
    metrics = new MetricStore(db(), 'instance-a');
    await observe(10, 0.1);
    expect((await metrics.history('conversation.unsure_rate', 0, NOW, '1m')).length).toBe(60);
    expect(await propose()).toBeUndefined();
    expect(await experiments.list()).toEqual([]);
  });
});
