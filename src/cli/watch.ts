// Why: `minik up --watch` redeploys on save: a burst of changes becomes one deploy once the writes settle,
// a change during a deploy queues exactly one more, and ignored paths (.git, node_modules, .gitignore
// entries) never trigger.
// The gitignore matching itself is core/ignore.ts, shared with the deploy's .slugignore.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { ignoreMatcher, ignoreRules } from '../core/ignore.js';

/**
 * Why these rules and numbers. nodemon restarts on a change's first event, with no wait at all; measured side by
 * side, every fixed wait (300 ms, then 40 ms, then 10 ms) was the largest part of the gap. So:
 * - the first change after a quiet time starts a deploy at once (changes of the same instant make one deploy);
 * - a change while a deploy builds supersedes it: its request is aborted (the daemon cancels the build and
 *   releases nothing of it) and one more deploy follows, SETTLE_MS after the burst's last change, so a burst (an
 *   editor's truncate-then-write, a `git checkout`, a formatter over many files) ends in one deploy of its final
 *   state rather than a failed or half-changed release; a change once the slug is built queues one more deploy;
 * - superseding stops once a burst is MAX_WAIT_MS old: something that never stops writing (an unignored log)
 *   then gets a deploy at least once a second instead of having every deploy cancelled.
 */
export const SETTLE_MS = 10;
export const MAX_WAIT_MS = 1000;

/** When a burst that began at `first` and last changed at `last` is settled: `quietMs` after `last`, capped at `maxWaitMs` after `first`. */
export function settleAt(first: number, last: number, quietMs = SETTLE_MS, maxWaitMs = MAX_WAIT_MS): number {
  return Math.min(last + quietMs, first + maxWaitMs);
}

/** What the queue gives a deploy: `signal` aborts it when a newer change supersedes it while it builds. */
export interface DeployJob {
  signal: AbortSignal;
  /** Called once the slug is built: a newer change then queues one more deploy rather than abort this one. */
  built(): void;
}

export type QueuedDeploy = (reason: string, job: DeployJob) => Promise<void>;

/** Turns changes into deploys (see SETTLE_MS) and never runs two at once. */
export class DeployQueue {
  private timer: NodeJS.Timeout | null = null;
  /** When the burst began: the first change that came while a deploy ran; null once a deploy ends with none. */
  private burstStart: number | null = null;
  private lastChange = 0;
  private running: { ctl: AbortController; built: boolean } | null = null;
  private pending = false;
  private closed = false;
  private reason = '';
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly run: QueuedDeploy,
    private readonly opts: { quietMs?: number; maxWaitMs?: number; onError?: (err: unknown) => void } = {},
  ) {}

  /** Records a change: deploys at once when idle; during a deploy supersedes it (or, late in a burst, queues one more). */
  trigger(reason: string): void {
    if (this.closed) return;
    this.reason = reason;
    const now = Date.now();
    this.lastChange = now;
    if (this.running) {
      this.burstStart ??= now;
      this.pending = true;
      if (!this.running.built && now - this.burstStart < (this.opts.maxWaitMs ?? MAX_WAIT_MS)) this.running.ctl.abort();
    } else if (this.burstStart !== null) {
      this.schedule(); // the burst goes on: wait for it to settle
    } else {
      this.timer ??= setTimeout(() => this.fire(), 0); // at once; changes of this instant join it
    }
  }

  /** True while a deploy runs. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Resolves when no deploy runs or waits. */
  idle(): Promise<void> {
    if (!this.timer && !this.running && !this.pending) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops waiting work; a running deploy finishes on its own. */
  close(): void {
    this.closed = true;
    this.pending = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.burstStart = null;
    if (!this.running) this.notifyIdle();
  }

  /** Arms the timer for the burst's settle time (at once when that has passed). */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const at = settleAt(this.burstStart ?? this.lastChange, this.lastChange, this.opts.quietMs, this.opts.maxWaitMs);
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - Date.now()));
  }

  private fire(): void {
    this.timer = null;
    const ctl = new AbortController();
    const running = { ctl, built: false };
    this.running = running;
    this.pending = false;
    void this.run(this.reason, { signal: ctl.signal, built: () => { running.built = true; } })
      .catch((err: unknown) => { if (!ctl.signal.aborted) this.opts.onError?.(err); })
      .finally(() => {
        this.running = null;
        if (this.pending && !this.closed) {
          this.schedule();
        } else {
          this.burstStart = null;
          if (!this.timer) this.notifyIdle();
        }
      });
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }
}

/** A file's modification time and size as one comparable string ('gone' once it is missing). */
export function fileStamp(path: string): string {
  try {
    const st = statSync(path);
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return 'gone';
  }
}

/** The rules of a .gitignore, negations (`!keep.log`) included. */
export function parseGitignore(text: string): string[] {
  return ignoreRules(text);
}

/** Never worth a redeploy, whatever .gitignore says. */
export const ALWAYS_IGNORED = ['.git', 'node_modules', '*.swp', '*.swx', '*~', '.DS_Store'];

/**
 * A predicate for chokidar's `ignored`: .gitignore rules under `root` (git's semantics), plus whole folders nested
 * in root (MINIK_HOME inside the app); a folder that contains root itself is not ignored. ALWAYS_IGNORED is
 * matched on its own, so a `!node_modules` in .gitignore cannot re-include it.
 */
export function makeIgnoreMatcher(root: string, patterns: string[], ignoredDirs: string[] = []): (path: string, isDir?: boolean) => boolean {
  const always = ignoreMatcher(ALWAYS_IGNORED);
  const user = ignoreMatcher(patterns);
  ignoredDirs = ignoredDirs.filter((d) => d.startsWith(root + sep));
  return (path, isDir) => {
    const abs = isAbsolute(path) ? path : join(root, path);
    if (ignoredDirs.some((d) => abs === d || abs.startsWith(d + sep))) return true;
    const rel = relative(root, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false;
    const posix = rel.split(sep).join('/');
    return always(posix, isDir) || user(posix, isDir);
  };
}

/** The top-level .gitignore's patterns, or none. */
export function readGitignore(dir: string): string[] {
  try {
    return parseGitignore(readFileSync(join(dir, '.gitignore'), 'utf8'));
  } catch {
    return [];
  }
}

/** Watches `dir` and calls `onChange` with the relative path of every change that is not ignored; resolves once watching. */
export async function watchFolder(dir: string, ignored: (path: string, isDir?: boolean) => boolean, onChange: (rel: string) => void): Promise<FSWatcher> {
  const { watch } = await import('chokidar'); // loaded only by `up --watch`, not on every CLI start
  const watcher = watch(dir, {
    ignored: (p, stats) => ignored(p, stats?.isDirectory()), // chokidar asks again with stats once it has them
    ignoreInitial: true,
    awaitWriteFinish: false,
    persistent: true,
  });
  watcher.on('all', (_event, path) => onChange(relative(dir, path) || '.'));
  // Until the initial scan is done an edit can go unseen, so "Watching…" is only said after 'ready'.
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return watcher;
}
