// Why: an add-on's server, supervised like a dyno: its own process group and environment marker, a pid file
// for the next daemon, readiness from the server itself (it answers a query), restarts with backoff, and a clean stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { AddonRecord, AddonState } from '../core/addons.js';
import { MinikError } from '../core/errors.js';
import { Backoff, type BackoffOptions } from '../supervisor/index.js';
import type { Driver } from './driver.js';
import { isOurs, killGroup, MARKER, readPidFile, signal, waitGone } from './proc.js';

/** What a server needs from the daemon. */
export interface ServerOptions {
  /** One line of the server's output, or a platform line (`State changed …`). */
  log(line: string, platform: boolean): void;
  backoff: BackoffOptions;
  bootTimeoutMs: number;
  stopTimeoutMs: number;
  /** The file its lines are kept in (its app's log), named by errors that send the user to its output. */
  logFile: string;
}

/** A promise settled from outside: the one readiness all waiters of a start share. */
interface Readiness { promise: Promise<void>; resolve(): void; reject(err: MinikError): void }

/** One add-on's server process over its life; emits 'state' on every change and 'failed' when a start fails. */
export class AddonServer extends EventEmitter {
  state: AddonState = 'down';
  pid: number | null = null;
  since: Date | null = null;
  restarts = 0;
  private child: ChildProcess | null = null;
  private wanted = false;
  private upAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Why the last start failed; cleared when the next one begins. */
  private failure: MinikError | null = null;
  /** How the last crash ended and when its restart is due (state `crashed`). */
  private crash: { how: string; restartAt: number } | null = null;
  /**
   * Why: one promise per start, settled when it is up or fails, that every waiter races against its own bound, so a
   * hundred commands arriving during a start add no listener each (EventEmitter warns past 10) and probe nothing.
   */
  private readiness: Readiness | null = null;
  private readonly backoff: Backoff;

  constructor(readonly addon: AddonRecord, readonly dir: string, private readonly driver: Driver, private readonly opts: ServerOptions) {
    super();
    this.backoff = new Backoff(opts.backoff);
  }

  /**
   * Resolves once the server accepts queries (state `up`), the one wait for everything that connects to it: commands
   * and the dynos a daemon start restores. Rejects at once with the reason its last start failed, or with its crash
   * when the restart is due after `timeoutMs`; else after `timeoutMs`. A server not started yet (a daemon whose
   * restore has not reached it) is waited for like a starting one.
   */
  whenReady(timeoutMs: number): Promise<void> {
    if (this.state === 'up') return Promise.resolve();
    if (this.failure && this.state !== 'starting') return Promise.reject(this.failure);
    if (this.state === 'crashed' && this.crash && this.crash.restartAt - Date.now() > timeoutMs) return Promise.reject(this.crashed(this.crash));
    this.readiness ??= readiness();
    const shared = this.readiness.promise;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(this.notReady(timeoutMs)), timeoutMs);
      shared.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }

  /** Starts the server (stopping one an earlier daemon left on the same data first); resolves once it is ready. */
  async start(): Promise<void> {
    this.failure = null;
    try {
      await this.run();
    } catch (err) {
      this.failure = err instanceof MinikError ? err : new MinikError(`${this.addon.name} could not start: ${(err as Error).message}`, { hint: this.logHint() });
      this.readiness?.reject(this.failure);
      this.readiness = null;
      this.emit('failed', this.failure);
      throw this.failure;
    }
  }

  private async run(): Promise<void> {
    this.wanted = true;
    await this.stopLeftover();
    const cmd = await this.driver.command(this.addon, this.dir);
    // A stop (daemon stop, pg:reset) that came while the leftover was stopped: spawning now would outlive the daemon.
    if (!this.wanted) throw new MinikError(`${this.addon.name} was stopped before its server started`, { hint: this.logHint() });
    this.set('starting');
    if (cmd.note) this.opts.log(cmd.note, true);
    const child = spawn(cmd.file, cmd.args, {
      cwd: cmd.cwd, uid: cmd.uid, gid: cmd.gid, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', TZ: 'UTC', [MARKER]: this.dir },
    });
    this.child = child;
    this.pid = child.pid ?? null;
    for (const s of [child.stdout, child.stderr]) s?.setEncoding('utf8').on('data', (t: string) => t.split('\n').filter(Boolean).forEach((l) => this.opts.log(l, false)));
    const exited = new Promise<string>((resolve) => {
      child.once('error', (err) => resolve(err.message));
      child.once('exit', (code, sig) => resolve(`exit status ${code ?? sig}`));
    });
    void exited.then((how) => this.onExit(child, how));
    await this.waitReady(exited);
  }

  /** Polls the driver's readiness (a real query) until it answers, the server exits, or the boot timeout passes. */
  private async waitReady(exited: Promise<string>): Promise<void> {
    const end = Date.now() + this.opts.bootTimeoutMs;
    let died: string | null = null;
    void exited.then((how) => { died = how; });
    while (this.pid !== null && died === null) {
      if (await this.driver.isReady(this.addon, this.dir, this.pid)) {
        this.upAt = Date.now();
        return this.set('up');
      }
      if (Date.now() > end) {
        const err = this.notReady(this.opts.bootTimeoutMs);
        await this.stop();
        throw err;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new MinikError(`${this.addon.name} could not start: its ${this.driver.process} server stopped while starting (${died ?? 'no process'})`, { hint: this.logHint() });
  }

  private notReady(ms: number): MinikError {
    return new MinikError(`${this.addon.name} did not accept connections within ${ms / 1000} s (its ${this.driver.process} server is ${this.state})`,
      { hint: `${this.logHint()}; MINIK_BOOT_TIMEOUT sets the wait in seconds`, code: 'addon_not_ready' });
  }

  private crashed(crash: { how: string; restartAt: number }): MinikError {
    const secs = Math.ceil(Math.max(0, crash.restartAt - Date.now()) / 1000);
    return new MinikError(`${this.addon.name} crashed (its ${this.driver.process} server ended with ${crash.how}) and restarts in ${secs} s`,
      { hint: `${this.logHint()}; MINIK_BACKOFF_CAP_MS caps the delay between restarts`, code: 'addon_not_ready' });
  }

  private logHint(): string {
    return `see its server's output: minik logs --ps ${this.driver.process} -a ${this.addon.app} (kept in ${this.opts.logFile})`;
  }

  /** A crash while wanted schedules a restart after the backoff delay. */
  private onExit(child: ChildProcess, how: string): void {
    if (child !== this.child) return;
    this.child = null;
    const pid = this.pid;
    this.pid = null;
    if (!this.wanted) return this.set('down');
    // What the dead leader left in its group (Postgres backends) must not hold the data when the next one starts.
    if (pid !== null) signal(-pid, 'SIGKILL');
    this.opts.log(`Process exited with ${how}`, true);
    this.set('crashed');
    const delay = this.backoff.next(this.upAt === null ? null : Date.now() - this.upAt);
    this.upAt = null;
    this.crash = { how, restartAt: Date.now() + delay };
    this.timer = setTimeout(() => {
      this.timer = null;
      this.crash = null;
      if (!this.wanted) return;
      this.restarts++;
      this.start().catch((err: Error) => this.opts.log(err.message, true));
    }, delay);
  }

  /** Stops for good: the clean shutdown first, SIGKILL to the group after the stop timeout. */
  async stop(): Promise<void> {
    this.wanted = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pid = this.pid;
    if (pid === null) return this.set('down');
    this.set('stopping');
    await this.driver.askStop(this.addon, this.dir, pid);
    if (!(await waitGone(pid, this.opts.stopTimeoutMs))) {
      this.opts.log(`Stopping remaining processes with SIGKILL`, true);
      await killGroup(pid);
    }
    this.pid = null;
    this.set('down');
  }

  /** Why: after a daemon crash the old server may still run on this data; stop it cleanly so only one ever does. */
  private async stopLeftover(): Promise<void> {
    const pid = readPidFile(this.driver.pidFile(this.dir));
    if (pid === null || pid === this.pid || !isOurs(pid, this.dir)) return;
    this.opts.log(`Stopping the server an earlier daemon left running (pid ${pid})`, true);
    await this.driver.askStop(this.addon, this.dir, pid);
    if (!(await waitGone(pid, this.opts.stopTimeoutMs))) await killGroup(pid);
  }

  private set(state: AddonState): void {
    if (state === this.state) return;
    const from = this.state;
    this.state = state;
    this.since = new Date();
    if (state !== 'crashed') this.crash = null;
    if (state === 'up') {
      this.readiness?.resolve();
      this.readiness = null;
    }
    if (from !== 'down' || state !== 'starting') this.opts.log(`State changed from ${from} to ${state}`, true);
    this.emit('state', state);
  }
}

function readiness(): Readiness {
  let resolve!: () => void;
  let reject!: (err: MinikError) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  promise.catch(() => undefined); // settled with no waiter left (all timed out): not an unhandled rejection
  return { promise, resolve, reject };
}
