// The Broadcasts page and its routes, with Redis and without: the audience's size previewed before
// sending (a bad segment refused in words), a broadcast paused (nothing goes out), resumed and
// cancelled (what was queued never goes), a second one queued behind it and started when it ends,
// the page listing both with their counts, and every change in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, type BroadcastBed, type BroadcastView, startBroadcastBed } from '../../support/broadcast-bed.js';

const FIRST_USER = 80_000;
const USERS = 60;
const sends = (bed: BroadcastBed) => bed.limits.accepted.length;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['redis', 'jobs'] as const)('the Broadcasts page (%s)', (via) => {
  let bed: BroadcastBed;

  beforeAll(async () => {
    bed = await startBroadcastBed({ redis: via === 'redis', ratePerSecond: 10, capPerSecond: 30, blocked: new Set() });
    await bed.seed(FIRST_USER, USERS);
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
  });

  it('previews the audience, and refuses a bad segment in words', async () => {
    const panel = await bed.panel();
    const german = await panel.get(`${API}/preview?segment=language:de`);
    expect(german.json()).toEqual({ recipients: USERS / 4, blocked: 0 });
    const bad = await panel.get(`${API}/preview?segment=${encodeURIComponent('lang:de')}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('\\"lang:de\\" is not a segment');
  });

  it('pauses, resumes and cancels; the next one waits its turn', async () => {
    const panel = await bed.panel();
    const first = await bed.create({ segment: 'all', text: 'First' });
    const second = await bed.create({ segment: 'language:es', text: 'Second' });
    expect([first.status, second.status]).toEqual(['sending', 'queued']);

    await bed.until(first.id, (b) => b.sent >= 5, 10_000);
    const pausing = await panel.send('POST', `${API}/broadcasts/${first.id}/pause`);
    expect(pausing.status, pausing.body).toBe(200);
    const paused = pausing.json<BroadcastView>();
    expect(paused.status).toBe('paused');
    await pause(1500);
    const held = sends(bed);
    await pause(1500);
    expect(sends(bed)).toBe(held);
    expect((await panel.send('POST', `${API}/broadcasts/${first.id}/pause`)).status).toBe(409);

    await panel.send('POST', `${API}/broadcasts/${first.id}/resume`);
    await bed.fake.waitFor(() => sends(bed) >= held + 5, 10_000);
    const cancelled = (await panel.send('POST', `${API}/broadcasts/${first.id}/cancel`)).json<BroadcastView>();
    expect(cancelled.status).toBe('cancelled');
    const reachedFirst = () => bed.fake.callsOf('sendMessage').filter((call) => call.params.text === 'First').length;
    await pause(1000);
    const atCancel = reachedFirst();
    expect(atCancel).toBeLessThan(USERS);

    const done = await bed.until(second.id, (b) => b.status === 'done', 20_000);
    expect(done).toMatchObject({ total: USERS / 4, sent: USERS / 4, pending: 0 });
    expect(reachedFirst()).toBe(atCancel);
    const final = await bed.get(first.id);
    expect(final).toMatchObject({ status: 'cancelled', sent: atCancel });

    const page = await panel.get('/admin/plugins/broadcasts/broadcasts');
    expect(page.status).toBe(200);
    for (const b of [first, second]) expect(page.body).toContain(`data-broadcast="${b.id}"`);
    const audit = await bed.platform.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'plugin.broadcasts.%')
      .orderBy('id')
      .execute();
    expect(audit.map((row) => row.action)).toEqual([
      'plugin.broadcasts.create',
      'plugin.broadcasts.create',
      'plugin.broadcasts.pause',
      'plugin.broadcasts.resume',
      'plugin.broadcasts.cancel',
    ]);
  }, 60_000);
});
