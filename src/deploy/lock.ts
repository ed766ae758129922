// Why: deploys, config changes, rollbacks and scaling of one app must not interleave.

/** Runs async tasks one at a time per key, in arrival order. */
export class KeyedMutex {
  private tails = new Map<string, Promise<unknown>>();

  /** Why: a task waits for the previous task on its key, whether that one failed or not. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  /** True while a task holds or waits for the key. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }
}
