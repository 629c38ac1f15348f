// Group commit: one flush per burst, each caller settled with its own result or the batch's error,
// and drain() waiting for every write in flight (what lets the platform close its database safely).
import { describe, expect, it } from 'vitest';
import { Batcher } from '../../src/lib/batcher.js';

describe('Batcher', () => {
  it('flushes items added in one turn together and settles each with its own result', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher(async (items: number[]) => {
      batches.push(items);
      return items.map((item) => item * 10);
    });
    const results = await Promise.all([batcher.add(1), batcher.add(2), batcher.add(3)]);
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('rejects every caller of a batch whose flush failed', async () => {
    const batcher = new Batcher(async () => {
      throw new Error('disk full');
    });
    const settled = await Promise.allSettled([batcher.add('a'), batcher.add('b')]);
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('drains: waits for the pending batch and the one being written', async () => {
    const written: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batcher = new Batcher(async (items: string[]) => {
      await gate;
      written.push(...items);
      return items;
    });
    void batcher.add('first');
    await new Promise((resolve) => setImmediate(resolve));
    void batcher.add('second');
    let drained = false;
    const draining = batcher.drain().then(() => {
      drained = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(drained).toBe(false);
    release();
    await draining;
    expect(written).toEqual(['first', 'second']);
  });
});
