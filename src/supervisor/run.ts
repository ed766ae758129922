// Why: one process of a dyno, from spawn to exit: its output goes to the logs, its readiness and
// boot deadline are watched, and the Dyno hears about each through callbacks.
import type { LogHub } from './logs.js';
import { spawnDynoProcess, type DynoProcess, type ExitInfo } from './process.js';
import { processStartTime } from './procfs.js';
import { watchReadiness } from './readiness.js';
import type { DynoSpec } from './types.js';

/** Why: what the Dyno keeps about its current process. */
export interface Run {
  proc: DynoProcess;
  /** 0 when spawning failed. */
  pid: number;
  startTime: number | null;
  /** The MINIK_OWNER value this process and its children carry. */
  marker: string;
  cancelReadiness(): void;
  /** Set once R15 killed it, so the next sample does not kill it again. */
  killed?: boolean;
}

/** Why: spawns the process and wires output, readiness, R10 and exit to the owner's callbacks. */
export function startRun(
  spec: DynoSpec,
  opts: {
    marker: string;
    logs: LogHub;
    upAfterMs: number;
    onSpawnError(err: Error): void;
    onUp(run: Run): void;
    onBootTimeout(run: Run): void;
    onExit(run: Run, exit: ExitInfo): void;
  },
): Run {
  const proc = spawnDynoProcess({ ...spec, marker: opts.marker }, (line) => opts.logs.write(spec.app, 'app', spec.name, line), opts.onSpawnError);
  const startTime = proc.pid ? processStartTime(proc.pid) : null;
  const run: Run = { proc, pid: proc.pid ?? 0, startTime, marker: opts.marker, cancelReadiness: () => {} };
  run.cancelReadiness = watchReadiness({
    port: spec.port,
    upAfterMs: opts.upAfterMs,
    bootTimeoutMs: spec.bootTimeoutMs,
    onUp: () => opts.onUp(run),
    onBootTimeout: () => opts.onBootTimeout(run),
  });
  void proc.exited.then((exit) => {
    run.cancelReadiness();
    opts.onExit(run, exit);
  });
  return run;
}
