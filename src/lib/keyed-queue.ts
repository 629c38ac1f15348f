// Runs tasks one after another per key and tasks of different keys side by side: writers in one
// process that read-modify-write the same record wait for each other instead of racing.
export class KeyedQueue<K> {
  private readonly tails = new Map<K, Promise<unknown>>();

  /** Runs `task` once every task queued before it under `key` has settled; a failure stays its own. */
  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.tails.set(key, next);
    void next
      .finally(() => {
        if (this.tails.get(key) === next) this.tails.delete(key);
      })
      .catch(() => {});
    return next;
  }
}
