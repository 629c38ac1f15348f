// The dispatcher's scheduling rules on their own: per-chat order, cross-chat concurrency and its
// limit, bounded retries that hold back only the failing chat, and a bounded stop.
import { describe, expect, it } from 'vitest';
import { Dispatcher, type DispatcherOptions } from '../../src/bot/dispatcher.js';
import type { InboxEntry } from '../../src/bot/inbox.js';
import { handlingOf } from '../../src/core/handling.js';

function entry(updateId: number, chatKey: string): InboxEntry {
  return { updateId, chatKey, update: { update_id: updateId } as never, attempts: 0, resumed: false };
}

function tick(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function dispatcher(overrides: Partial<DispatcherOptions>) {
  const done: number[] = [];
  const failures: [number, number, boolean][] = [];
  const dropped: [number, string][] = [];
  const instance = new Dispatcher({
    concurrency: 4,
    maxAttempts: () => 3,
    backoffMs: () => 5,
    handle: async () => {},
    onSuccess: async (item) => {
      done.push(item.updateId);
    },
    onFailure: async (item, _error, final) => {
      failures.push([item.updateId, item.attempts, final]);
    },
    onDropped: (item, reason) => {
      dropped.push([item.updateId, reason]);
    },
    onInternalError: (error) => {
      throw error;
    },
    ...overrides,
  });
  return { instance, done, failures, dropped };
}

describe('dispatcher', () => {
  it('handles one chat in update_id order even when a lower id is enqueued late', async () => {
    const order: number[] = [];
    const { instance } = dispatcher({
      handle: async (item) => {
        order.push(item.updateId);
        await tick(2);
      },
    });
    instance.enqueue(entry(1, 'a'));
    instance.enqueue(entry(4, 'a'));
    instance.enqueue(entry(3, 'a'));
    instance.enqueue(entry(2, 'a'));
    await instance.idle();
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('runs different chats at the same time, never more than the limit, one handler per chat', async () => {
    let running = 0;
    let peak = 0;
    const perChat = new Map<string, number>();
    const { instance, done } = dispatcher({
      concurrency: 3,
      handle: async (item) => {
        running++;
        peak = Math.max(peak, running);
        perChat.set(item.chatKey, (perChat.get(item.chatKey) ?? 0) + 1);
        expect(perChat.get(item.chatKey)).toBe(1);
        await tick(3);
        perChat.set(item.chatKey, (perChat.get(item.chatKey) ?? 1) - 1);
        running--;
      },
    });
    for (let id = 1; id <= 40; id++) instance.enqueue(entry(id, `chat${id % 8}`));
    await instance.idle();
    expect(done).toHaveLength(40);
    expect(peak).toBe(3);
  });

  it('retries a failing update with backoff, holding back only its own chat, then gives up', async () => {
    const seen: string[] = [];
    const { instance, failures, done } = dispatcher({
      handle: async (item) => {
        seen.push(`${item.chatKey}:${item.updateId}`);
        if (item.updateId === 1) throw new Error('always broken');
        await tick(1);
      },
    });
    instance.enqueue(entry(1, 'bad'));
    instance.enqueue(entry(2, 'bad'));
    instance.enqueue(entry(3, 'good'));
    await instance.idle();
    expect(failures).toEqual([
      [1, 1, false],
      [1, 2, false],
      [1, 3, true],
    ]);
    // The good chat finished while the bad one waited; the bad chat's next update came after the give-up.
    expect(seen.indexOf('good:3')).toBeLessThan(seen.lastIndexOf('bad:1'));
    expect(seen.at(-1)).toBe('bad:2');
    expect(done.sort()).toEqual([2, 3]);
  });

  it('succeeds on a later attempt without marking the update failed', async () => {
    let calls = 0;
    const { instance, failures, done } = dispatcher({
      handle: async () => {
        calls++;
        if (calls < 3) throw new Error('flaky');
      },
    });
    instance.enqueue(entry(9, 'x'));
    await instance.idle();
    expect(failures).toEqual([
      [9, 1, false],
      [9, 2, false],
    ]);
    expect(done).toEqual([9]);
  });

  it('stops within its bound, leaving unstarted and slow work for the next start', async () => {
    let release: () => void = () => {};
    const { instance, done } = dispatcher({
      concurrency: 1,
      handle: (item) => (item.updateId === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve()),
    });
    instance.enqueue(entry(1, 'a'));
    instance.enqueue(entry(2, 'b'));
    await tick();
    expect(await instance.stop(30)).toBe(false);
    release();
    await tick(5);
    expect(done).toEqual([1]);
    instance.enqueue(entry(3, 'c'));
    await tick(5);
    expect(done).toEqual([1]);
  });

  it('abandons a handling past its deadline: its chat moves on and the update is not retried', async () => {
    const seen: number[] = [];
    const { instance, failures, done } = dispatcher({
      deadlineMs: () => 20,
      handle: async (item) => {
        seen.push(item.updateId);
        if (item.updateId === 1) await new Promise(() => {});
      },
    });
    instance.enqueue(entry(1, 'a'));
    instance.enqueue(entry(2, 'a'));
    await instance.idle();
    expect(failures).toEqual([[1, 1, true]]);
    expect(done).toEqual([2]);
    expect(seen).toEqual([1, 2]);
  });

  it('abandons what a switched-off plugin is handling, and only that', async () => {
    const { instance, failures, done } = dispatcher({
      handle: async (item) => {
        const handling = handlingOf(item.update);
        if (handling && item.updateId === 1) {
          handling.plugin = 'stuck';
          await new Promise(() => {});
        }
        await tick(30);
      },
    });
    instance.enqueue(entry(1, 'a'));
    instance.enqueue(entry(2, 'b'));
    await tick(5);
    instance.abandonPlugin('other', 0);
    instance.abandonPlugin('stuck', 10);
    await instance.idle();
    expect(failures).toEqual([[1, 1, true]]);
    expect(done).toEqual([2]);
  });

  it('counts a start before the handler runs, and runs nothing until started when paused', async () => {
    const events: string[] = [];
    const { instance } = dispatcher({
      paused: true,
      onStart: async (item) => {
        events.push(`start ${item.updateId} (attempt ${item.attempts})`);
        return true;
      },
      handle: async (item) => {
        events.push(`handle ${item.updateId}`);
      },
    });
    instance.enqueue(entry(1, 'a'));
    await tick(5);
    expect(events).toEqual([]);
    instance.start();
    await instance.idle();
    expect(events).toEqual(['start 1 (attempt 1)', 'handle 1']);
  });

  it('drops what a full chat backlog cannot take, and waiting entries on request, saying why', async () => {
    let release: () => void = () => {};
    const { instance, dropped, done } = dispatcher({
      maxQueuedPerChat: () => 3,
      handle: (item) => (item.updateId === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve()),
    });
    for (let id = 1; id <= 5; id++) instance.enqueue(entry(id, 'flood'));
    instance.enqueue(entry(6, 'calm'));
    await tick();
    expect(dropped).toEqual([
      [4, 'chat_backlog_full'],
      [5, 'chat_backlog_full'],
    ]);
    // The running head stays; the waiting ones of that chat go.
    expect(instance.drop((item) => item.chatKey === 'flood', 'banned')).toBe(2);
    release();
    await instance.idle();
    expect(dropped.slice(2).sort()).toEqual([
      [2, 'banned'],
      [3, 'banned'],
    ]);
    expect(done.sort()).toEqual([1, 6]);
  });

  it('has room while fewer chats wait for a slot than there are slots, and says when it waited for it', async () => {
    const releases: (() => void)[] = [];
    const { instance } = dispatcher({
      concurrency: 1,
      handle: () => new Promise<void>((resolve) => releases.push(resolve)),
    });
    instance.enqueue(entry(1, 'a'));
    expect(await instance.whenRoom(1000)).toBe(false);
    // One chat waiting for the one slot: no room until the running one is done.
    instance.enqueue(entry(2, 'b'));
    const waited = instance.whenRoom(1000);
    let resolved = false;
    void waited.then(() => {
      resolved = true;
    });
    await tick(20);
    expect(resolved).toBe(false);
    releases.shift()?.();
    expect(await waited).toBe(true);
    // Past the bound, the wait gives up.
    instance.enqueue(entry(3, 'c'));
    const started = Date.now();
    expect(await instance.whenRoom(50)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    releases.shift()?.();
    await tick(5);
    releases.shift()?.();
    await instance.idle();
  });

  it('never holds a source back while paused or stopped', async () => {
    const { instance } = dispatcher({ concurrency: 1, paused: true });
    for (const [id, chat] of [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ] as const)
      instance.enqueue(entry(id, chat));
    expect(await instance.whenRoom(1000)).toBe(false);
    instance.start();
    const held = instance.whenRoom(10_000);
    await instance.stop(1000);
    expect(await held).toBe(true);
  });
});
