// Why: one dyno across its restarts: spawns its process, tracks its state from the port and the exit
// status, stops it with SIGTERM → grace → SIGKILL, and restarts crashes with back-off.
import { EventEmitter } from 'node:events';
import type { MinikError } from '../core/errors.js';
import type { DynoState } from '../core/types.js';
import { Backoff } from './backoff.js';
import { hasLeftovers, terminateGroup } from './kill.js';
import { bootTimeoutError, crashedError, lines, stoppedError } from './messages.js';
import { exitStatus, type ExitInfo } from './process.js';
import { startRun, type Run } from './run.js';
import type { DynoDeps, DynoSpec } from './types.js';
import { withFreshPort } from './ports.js';
import { memoryVerdict } from './usage.js';

/** Why: the unit `minik ps` shows; events 'state' (from, to) and 'exit' ({code, signal}). */
export class Dyno extends EventEmitter {
  state: DynoState = 'starting';
  pid: number | null = null;
  startTime: number | null = null;
  /** The MINIK_OWNER value of the current process (null while none runs). */
  marker: string | null = null;
  restarts = 0;
  since = new Date();
  nextRestartAt: Date | null = null;
  lastExit: ExitInfo | null = null;

  readonly #deps: DynoDeps;
  #spec: DynoSpec;
  #run: Run | null = null;
  /** Set while stop() or R10 owns the current process's end. */
  #ending: 'stop' | 'boot' | null = null;
  /** No more automatic restarts (stopping, or stopped for good). */
  #stopped = false;
  #removed = false;
  #busy: Promise<void> | null = null;
  #halting: Promise<void> | null = null;
  #restarting: Promise<void> | null = null;
  #restartTimer: NodeJS.Timeout | null = null;
  readonly #backoff: Backoff;
  #upAt: number | null = null;
  #lastR14 = -Infinity;
  #waiters: { resolve(): void; reject(err: Error): void }[] = [];

  constructor(spec: DynoSpec, deps: DynoDeps) {
    super();
    this.#spec = spec;
    this.#deps = deps;
    this.#backoff = new Backoff(deps.backoff);
  }

  /** What it runs; a web dyno's port (and PORT) change when it restarts. */
  get spec(): DynoSpec {
    return this.#spec;
  }

  /** 'app/name', the key of usage(). */
  get key(): string {
    return `${this.spec.app}/${this.spec.name}`;
  }

  /** Resolves once 'up'; rejects with a MinikError if it crashes, times out (R10) or stops first. */
  waitUp(): Promise<void> {
    if (this.state === 'up') return Promise.resolve();
    if (this.state !== 'starting' || this.#ending) return Promise.reject(this.#notUpError());
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** The current process's exit; the last exit if no process runs now. */
  waitExit(): Promise<ExitInfo> {
    if (this.#run) return this.#run.proc.exited;
    return Promise.resolve(this.lastExit ?? { code: null, signal: null });
  }

  /** @internal Spawns a process for the spec; the Supervisor calls it once, restarts call it again. */
  launch(): void {
    this.#ending = null;
    this.#upAt = null;
    this.#log(lines.starting(this.spec.command));
    const run = startRun(this.spec, {
      marker: this.#deps.newMarker(this.spec),
      logs: this.#deps.logs,
      upAfterMs: this.#deps.upAfterMs,
      onSpawnError: (err) => this.#log(`Error starting process: ${err.message}`),
      onUp: (r) => this.#onUp(r),
      onBootTimeout: (r) => this.#onBootTimeout(r),
      onExit: (r, exit) => this.#onExit(r, exit),
    });
    this.#run = run;
    this.pid = run.pid || null;
    this.startTime = run.startTime;
    this.marker = run.marker;
    this.#deps.onChange(this);
  }

  /** @internal Stops for good: no restart will follow, and its port is given back. */
  async stop(): Promise<void> {
    this.#removed = true;
    await this.#halt();
    this.#deps.ports.release(Number(this.spec.env.PORT) || this.spec.port);
  }

  /** @internal Stops the process, then starts a fresh one; the restart count is kept. */
  restart(): Promise<void> {
    this.#restarting ??= this.#halt()
      .then(() => {
        if (this.#removed) return;
        this.#stopped = false;
        this.#backoff.reset();
        this.#freshPort();
        this.#setState('starting');
        this.launch();
      })
      .finally(() => (this.#restarting = null));
    return this.#restarting;
  }

  /** @internal R14 above the limit (at most once a minute); once up, R15 and a crash restart above twice it. */
  checkMemory(rss: number, now = Date.now()): void {
    const limit = this.spec.memoryLimitBytes;
    const run = this.#run;
    if (!limit || !run || run.killed || this.#ending) return;
    const verdict = memoryVerdict(rss, limit, this.#lastR14, now, this.state === 'up');
    this.#lastR14 = verdict.lastR14At;
    for (const line of verdict.log) this.#log(line);
    if (!verdict.kill) return;
    // The exit then takes the crash path: 'crashed', leftovers killed, restart with back-off.
    run.killed = true;
    this.#killGroup(run, 0).catch(() => {});
  }

  #onUp(run: Run): void {
    if (run !== this.#run || this.#ending || this.state !== 'starting') return;
    this.#upAt = Date.now();
    this.#setState('up');
  }

  #onBootTimeout(run: Run): void {
    if (run !== this.#run || this.#ending || this.state !== 'starting') return;
    this.#log(lines.r10(this.spec.bootTimeoutMs));
    this.#ending = 'boot';
    this.#settleWaiters(this.#notUpError());
    this.#inBackground(this.#terminate(run), () => {
      this.#clearRun();
      this.#setState('crashed');
      this.#scheduleRestart();
    });
  }

  #onExit(run: Run, exit: ExitInfo): void {
    this.lastExit = exit;
    if (this.#ending !== null || run !== this.#run) {
      this.emit('exit', exit); // stop() or R10 logs and sets the state
      return;
    }
    this.#log(lines.exited(exitStatus(exit)));
    this.#clearRun();
    this.#setState(exit.code === 0 && !this.spec.restart ? 'down' : 'crashed');
    this.emit('exit', exit);
    this.#inBackground(this.#reapLeftovers(run), () => this.#scheduleRestart());
  }

  /** Cleanup that stop() must wait for (as #busy), then `next` once it is done. */
  #inBackground(work: Promise<unknown>, next: () => void): void {
    this.#busy = work
      .catch(() => {})
      .then(() => {
        this.#busy = null;
        next();
      });
  }

  /** The leader exited on its own; grandchildren in its group must not outlive it. */
  async #reapLeftovers(run: Run): Promise<void> {
    if (hasLeftovers({ pid: run.pid, pgid: run.pid, marker: run.marker })) await this.#killGroup(run);
  }

  /** The stop sequence with its log lines; resolves once the whole group is gone. */
  async #terminate(run: Run): Promise<void> {
    this.#log(lines.sigterm);
    await this.#killGroup(run);
    this.#log(lines.exited(exitStatus(await run.proc.exited)));
  }

  /** SIGTERM, grace, SIGKILL (R12) for the run's group and tree; graceMs 0 kills at once (R15). */
  #killGroup(run: Run, graceMs = this.spec.stopTimeoutMs): Promise<unknown> {
    const onEscalate = () => {
      this.#log(lines.r12(graceMs));
      this.#log(lines.sigkillRest);
    };
    const target = { pid: run.pid, pgid: run.pid, startTime: run.startTime, marker: run.marker, graceMs };
    return terminateGroup(graceMs > 0 ? { ...target, onEscalate } : target);
  }

  #halt(): Promise<void> {
    this.#halting ??= this.#doHalt().finally(() => (this.#halting = null));
    return this.#halting;
  }

  async #doHalt(): Promise<void> {
    this.#stopped = true;
    this.#cancelRestart();
    while (this.#busy) await this.#busy;
    const run = this.#run;
    if (run) {
      this.#ending = 'stop';
      this.#setState('stopping');
      await this.#terminate(run);
      this.#clearRun();
    }
    this.#setState('down');
  }

  #scheduleRestart(): void {
    if (this.#stopped || !this.spec.restart || this.state !== 'crashed') return;
    const delay = this.#backoff.next(this.#upAt === null ? null : Date.now() - this.#upAt);
    this.nextRestartAt = new Date(Date.now() + delay);
    this.#deps.onChange(this);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      this.nextRestartAt = null;
      this.restarts += 1;
      this.#freshPort();
      this.#setState('starting');
      this.launch();
    }, delay);
  }

  /** A web dyno restarts on a fresh port (see withFreshPort); with none free, on its old one. */
  #freshPort(): void {
    try {
      this.#spec = withFreshPort(this.#spec, this.#deps.ports);
    } catch (err) {
      this.#log(`Error: ${(err as Error).message}; restarting on port ${this.#spec.port}`);
    }
  }

  #cancelRestart(): void {
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    if (this.nextRestartAt) {
      this.nextRestartAt = null;
      this.#deps.onChange(this);
    }
  }

  #clearRun(): void {
    this.#run = null;
    this.pid = null;
    this.startTime = null;
    this.marker = null;
  }

  #setState(to: DynoState): void {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    this.since = new Date();
    this.#log(lines.state(from, to));
    if (to === 'up') this.#settleWaiters();
    else if (from === 'starting') this.#settleWaiters(this.#notUpError());
    this.emit('state', from, to);
    this.#deps.onChange(this);
  }

  #settleWaiters(err?: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) err ? w.reject(err) : w.resolve();
  }

  #notUpError(): MinikError {
    if (this.#ending === 'boot') return bootTimeoutError(this.spec);
    if (this.#stopped || this.state === 'stopping') return stoppedError(this.spec);
    return crashedError(this.spec, this.lastExit ? exitStatus(this.lastExit) : null);
  }

  #log(message: string): void {
    this.#deps.logs.write(this.spec.app, 'minik', this.spec.name, message);
  }
}
