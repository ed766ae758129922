// Why: deploys, config changes, rollbacks and scaling of one app must not interleave.

/** Runs async tasks one at a time per key, in arrival order. */
export class KeyedMutex {
  private tails = new Map<string, Promise<unknown>>();

  /**
   * Why: a task waits for the previous task on its key, whether that one failed or not. With a signal,
   * a task still waiting when it aborts is given up (the promise rejects with `onAbort()`); one that has
   * started runs to its end, since only it knows how to stop cleanly.
   */
  run<T>(key: string, task: () => Promise<T>, signal?: AbortSignal, onAbort?: () => Error): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let started = false;
    const guarded = () => {
      if (signal?.aborted) return Promise.reject(onAbort?.() ?? new Error('aborted'));
      started = true;
      return task();
    };
    const next = prev.then(guarded, guarded);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    if (!signal) return next;
    return new Promise<T>((resolve, reject) => {
      const abort = () => { if (!started) reject(onAbort?.() ?? new Error('aborted')); };
      signal.addEventListener('abort', abort, { once: true });
      next.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
    });
  }

  /** True while a task holds or waits for the key. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }
}
