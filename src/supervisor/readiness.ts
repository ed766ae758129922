// Why: a dyno is 'up' when it can serve, not when it was spawned: web dynos once their port accepts
// a TCP connection, other dynos once they stayed alive for a moment.
import net from 'node:net';

// Why 2 ms: a web dyno usually listens within its first second, and each ms between its listen() and our
// connect is a ms of every redeploy (`up --watch`). A refused connect to 127.0.0.1 costs tens of microseconds,
// but 1 ms polling slowed an Express app's boot on 2 cores by more than the ms it saved (`npm run bench`).
const FAST_POLL_MS = 2;
const SLOW_POLL_MS = 100;
const FAST_PHASE_MS = 1000;
const CONNECT_TIMEOUT_MS = 1000;

/** Why: one TCP connect attempt to 127.0.0.1:port; true if it was accepted. */
export function canConnect(port: number, timeoutMs = CONNECT_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Why: watches one process for readiness and its boot deadline; returns a cancel function. */
export function watchReadiness(opts: {
  port: number | null;
  upAfterMs: number;
  /** Only for dynos with a port; 0 or less disables it. */
  bootTimeoutMs: number;
  onUp(): void;
  onBootTimeout(): void;
}): () => void {
  let cancelled = false;
  const timers: NodeJS.Timeout[] = [];
  const cancel = () => {
    cancelled = true;
    for (const t of timers) clearTimeout(t);
  };
  const up = () => {
    if (cancelled) return;
    cancel();
    opts.onUp();
  };
  if (opts.port == null) {
    timers.push(setTimeout(up, opts.upAfterMs));
    return cancel;
  }
  if (opts.bootTimeoutMs > 0) {
    timers.push(
      setTimeout(() => {
        if (cancelled) return;
        cancel();
        opts.onBootTimeout();
      }, opts.bootTimeoutMs),
    );
  }
  void pollPort(opts.port, () => cancelled, up);
  return cancel;
}

async function pollPort(port: number, cancelled: () => boolean, up: () => void): Promise<void> {
  const started = Date.now();
  while (!cancelled()) {
    if (await canConnect(port)) return up();
    const wait = Date.now() - started < FAST_PHASE_MS ? FAST_POLL_MS : SLOW_POLL_MS;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
