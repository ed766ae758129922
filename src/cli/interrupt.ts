// Why: long-running commands (`up --watch`, `logs -t`) end cleanly on Ctrl-C instead of being killed.

/** Resolves with the first SIGINT or SIGTERM; `stop()` forgets the handlers. */
export function onInterrupt(): { signal: Promise<NodeJS.Signals>; stop(): void } {
  let handler: (s: NodeJS.Signals) => void = () => {};
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    handler = (s) => resolve(s);
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
  });
  return {
    signal,
    stop() {
      process.removeListener('SIGINT', handler);
      process.removeListener('SIGTERM', handler);
    },
  };
}
