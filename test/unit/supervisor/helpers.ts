// Why: every supervisor test gets its own temp folder, LogHub and Supervisor, and afterwards nothing
// it started may remain: dynos are stopped and any group they led is SIGKILLed as a last resort.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogHub } from '../../../src/supervisor/logs.js';
import { Supervisor, type SupervisorOptions } from '../../../src/supervisor/supervisor.js';
import type { DynoSpec } from '../../../src/supervisor/types.js';
import { allStats } from '../../../src/supervisor/procfs.js';

/** A new temp folder. */
export function tempDir(prefix = 'minik-sup-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Pids of the live (non-zombie) members of a process group. */
export function groupPids(pgid: number): number[] {
  return allStats()
    .filter((s) => s.pgid === pgid && s.state !== 'Z')
    .map((s) => s.pid);
}

/** True while a pid exists and is not a zombie. */
export function alive(pid: number): boolean {
  return allStats().some((s) => s.pid === pid && s.state !== 'Z');
}

/** Polls `cond` every 20 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir() });

export interface Harness {
  dir: string;
  logs: LogHub;
  sup: Supervisor;
  /** A spec with test defaults (app 'demo', web.1, cwd = dir/slug, quick timeouts). */
  spec(over: Partial<DynoSpec>): DynoSpec;
  /** Messages logged for a dyno, optionally only one source. */
  messages(name: string, source?: 'app' | 'minik'): string[];
  /** Resolves once a line containing `text` was logged for the dyno (from `source`, if given). */
  waitLog(name: string, text: string, source?: 'app' | 'minik', timeoutMs?: number): Promise<void>;
  /** Every pid the supervisor reported, for the last-resort cleanup. */
  pids: Set<number>;
  cleanup(): Promise<void>;
}

/** Why: one place that builds a supervisor for a test and tears it all down. */
export function harness(opts: Partial<Omit<SupervisorOptions, 'logs'>> = {}): Harness {
  const dir = tempDir();
  const slug = path.join(dir, 'slug');
  fs.mkdirSync(slug);
  const logs = new LogHub(path.join(dir, 'logs'), { ringSize: 5000 });
  const sup = new Supervisor({ logs, upAfterMs: 150, backoff: { baseMs: 100 }, ...opts });
  const pids = new Set<number>();
  sup.on('change', (d) => d.pid && pids.add(d.pid));
  const messages = (name: string, source?: 'app' | 'minik') =>
    logs
      .recent('demo', { n: 5000, process: name, source })
      .map((l) => l.message);
  return {
    dir,
    logs,
    sup,
    pids,
    spec: (over) => ({
      app: 'demo',
      name: 'web.1',
      type: 'web',
      release: 1,
      command: 'sleep 1000',
      cwd: slug,
      env: baseEnv(),
      port: null,
      restart: false,
      bootTimeoutMs: 5000,
      stopTimeoutMs: 1000,
      ...over,
    }),
    messages,
    waitLog: (name, text, source, timeoutMs = 5000) =>
      waitFor(() => messages(name, source).some((m) => m.includes(text)), timeoutMs, `log line '${text}'`),
    async cleanup() {
      await sup.stopAll();
      for (const pid of pids) {
        if (groupPids(pid).length === 0) continue;
        try {
          process.kill(-pid, 'SIGKILL'); // a group one of our dynos led: still ours
        } catch {
          // gone meanwhile
        }
      }
      await logs.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
