// Several `omnicore start` processes on one PostgreSQL schema behind a round-robin proxy, as an
// operator runs them behind a load balancer, under a stream of updates over many chats; one instance
// is killed with SIGKILL half-way. Afterwards every acknowledged update has been answered, in
// update_id order within each chat, and none twice unless its reply was in flight at the kill
// (answered by the Bot API but not yet journaled by the killed process: no platform can know that
// one; the criterion of crash-cycles.test.ts). The figures are printed for the report.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answeredUpdates, judgeStreams, sendChatStreams } from '../support/chat-streams.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { FakeBotApi, type RecordedCall } from '../support/fake-bot-api.js';
import { webhookEnv } from '../support/platform.js';
import { type ServingOmnicore, startOmnicore } from '../support/processes.js';
import { type RoundRobinProxy, startRoundRobinProxy } from '../support/round-robin-proxy.js';
import { presetSettings } from '../support/settings.js';
import { FULL, faultScale } from './scale.js';

const LEASE_SECONDS = 5;

describe.each([2, 3])('%i instances behind a round-robin proxy', (count) => {
  let database: TestDatabase | undefined;
  let fake: FakeBotApi | undefined;
  let proxy: RoundRobinProxy | undefined;
  let instances: ServingOmnicore[] = [];

  afterEach(async () => {
    for (const instance of instances) instance.killTree();
    await Promise.all(instances.map((instance) => instance.finished));
    instances = [];
    await proxy?.stop();
    await fake?.stop();
    await database?.dispose();
  });

  it(
    `loses none of ${faultScale.instanceUpdates} updates over ${faultScale.instanceChats} chats, doubles none and keeps each chat's order when one is killed`,
    async () => {
      database = await createTestDatabase('postgres');
      // A steady stream per chat is a flood to the security layer; this test is about the inbox.
      await presetSettings(database, { 'security.enabled': false, 'inbox.leaseSeconds': LEASE_SECONDS });
      fake = await new FakeBotApi().start();
      // Answers take a moment, so the kill lands while replies are in flight.
      fake.setLatency(2);
      const env = { ...webhookEnv(fake.url), DATABASE_URL: database.url as string };
      // One after another: starting them all at once on a busy machine can outlast the start timeout.
      for (let index = 0; index < count; index++) {
        instances.push(
          await startOmnicore({ ...env, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'omnicore-instance-')) }),
        );
      }
      const answered = answeredUpdates(fake);
      proxy = await startRoundRobinProxy(instances.map((instance) => instance.url));
      const victim = instances[0] as ServingOmnicore;
      let killedAt: number | undefined;
      const started = Date.now();
      const acknowledged = await sendChatStreams({
        target: () => (proxy as RoundRobinProxy).url,
        updates: faultScale.instanceUpdates,
        chats: faultScale.instanceChats,
        firstUpdateId: 1_000_000,
        onAcknowledged: (acknowledgedSoFar) => {
          if (killedAt === undefined && acknowledgedSoFar >= faultScale.instanceUpdates / 2) {
            killedAt = Date.now();
            victim.child.kill('SIGKILL');
          }
        },
      });
      const sentMs = Date.now() - started;
      const answers = fake as FakeBotApi;
      await answers.waitFor(() => [...acknowledged].every((id) => answered.has(id)), FULL ? 900_000 : 120_000);
      const doneMs = Date.now() - started;
      const verdict = judgeStreams(answers, acknowledged);
      const kill = killedAt as number;
      // A reply made twice is one the victim had in flight: its first copy was answered at most 250 ms
      // before the kill, or reached the fake after it (the fake, busy in this process, may read late
      // what the victim wrote before it died). No survivor can send it then: the victim's chats are
      // its own until their leases lapse, at the earliest two thirds of LEASE_SECONDS after the kill
      // (leases are renewed every third of it).
      const inFlight = ({ at, answeredAt = at }: RecordedCall): boolean =>
        at - kill < (LEASE_SECONDS * 1000 * 2) / 3 && kill - answeredAt < 250;
      const unexplained = verdict.doubled.filter(([, calls]) => !inFlight(calls[0] as RecordedCall)).map(([id]) => id);
      console.log(
        `${count} instances: ${acknowledged.size} updates over ${faultScale.instanceChats} chats acknowledged in ${sentMs} ms, ` +
          `all answered after ${doneMs} ms (${Math.round(acknowledged.size / (doneMs / 1000))}/s); one killed at ` +
          `${kill - started} ms; ${verdict.lost.length} lost, ${verdict.doubled.length} answered twice (all in flight ` +
          `at the kill: ${unexplained.length === 0}), ${verdict.disordered.length} chats out of order; forwarded: ` +
          `${[...(proxy as RoundRobinProxy).forwarded.values()].join('/')}`,
      );
      for (const id of unexplained.slice(0, 5)) {
        const calls = verdict.doubled.find(([doubled]) => doubled === id)?.[1] ?? [];
        console.log(
          id,
          calls.map((call) => `${call.at - kill}/${(call.answeredAt ?? 0) - kill}/${call.delivered}`).join(' '),
        );
      }
      expect(acknowledged.size).toBe(faultScale.instanceUpdates);
      expect(verdict.lost).toEqual([]);
      expect(unexplained).toEqual([]);
      expect(verdict.disordered).toEqual([]);

      // The survivors stop cleanly.
      for (const instance of instances.slice(1)) instance.child.kill('SIGTERM');
      for (const instance of instances.slice(1)) expect((await instance.finished).code).toBe(0);
    },
    FULL ? 1_800_000 : 300_000,
  );
});
