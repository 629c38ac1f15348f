// Group commit: items added in the same turn of the event loop are handed to `flush` together, and
// each caller's promise settles with its own result. One statement for a burst instead of one each.
export class Batcher<T, R> {
  private pending: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private readonly flushing = new Set<Promise<void>>();

  /** `maxBatch` keeps one statement under the databases' limits on bound parameters. */
  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => void this.run());
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) void this.run();
    });
  }

  /** Settles once everything added so far is flushed: before the database under it closes. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.flushing.size > 0) {
      await (this.pending.length > 0 ? this.run() : Promise.all(this.flushing));
    }
  }

  private async run(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const flushing = this.write(batch);
    this.flushing.add(flushing);
    await flushing;
    this.flushing.delete(flushing);
  }

  private async write(batch: typeof this.pending): Promise<void> {
    try {
      const results = await this.flush(batch.map((entry) => entry.item));
      for (const [index, entry] of batch.entries()) entry.resolve(results[index] as R);
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
