// Why: `minik up --watch` redeploys on save: a burst of changes becomes one deploy once the writes settle,
// a change during a deploy queues exactly one more, and ignored paths (.git, node_modules, .gitignore
// entries) never trigger.
// The gitignore matching itself is core/ignore.ts, shared with the deploy's .slugignore.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { ignoreMatcher, ignoreRules } from '../core/ignore.js';

/**
 * Why these numbers: an editor's save (truncate + write, or write-temp + rename) reaches us as events well
 * under a millisecond apart, so 10 ms without an event means the burst is over. Measured side by side with
 * nodemon, which restarts on the first event with no wait at all, the quiet spell was the whole gap: a fixed
 * 300 ms, then 40 ms, were most of a redeploy. A burst with longer gaps (a `git checkout`) may deploy twice;
 * the last deploy always has the final files. Something that never stops writing (an unignored log) still
 * deploys, at most 1 s after its first event.
 */
export const SETTLE_MS = 10;
export const MAX_WAIT_MS = 1000;

/** When a burst that began at `first` and last changed at `last` is settled: `quietMs` after `last`, capped at `maxWaitMs` after `first`. */
export function settleAt(first: number, last: number, quietMs = SETTLE_MS, maxWaitMs = MAX_WAIT_MS): number {
  return Math.min(last + quietMs, first + maxWaitMs);
}

/** Turns bursts of triggers into deploys and never runs two at once. */
export class DeployQueue {
  private timer: NodeJS.Timeout | null = null;
  private burstStart: number | null = null;
  private running = false;
  private pending = false;
  private closed = false;
  private reason = '';
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly run: (reason: string) => Promise<void>,
    private readonly opts: { quietMs?: number; maxWaitMs?: number; onError?: (err: unknown) => void } = {},
  ) {}

  /** Records a change; the deploy starts once no change came for `quietMs` (or `maxWaitMs` after the burst began). */
  trigger(reason: string): void {
    if (this.closed) return;
    this.reason = reason;
    const now = Date.now();
    this.burstStart ??= now;
    if (this.timer) clearTimeout(this.timer);
    const at = settleAt(this.burstStart, now, this.opts.quietMs, this.opts.maxWaitMs);
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - now));
  }

  /** True while a deploy runs. */
  get busy(): boolean {
    return this.running;
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

  private fire(): void {
    this.timer = null;
    this.burstStart = null;
    if (this.running) this.pending = true;
    else this.start();
  }

  private start(): void {
    this.running = true;
    const reason = this.reason;
    void this.run(reason)
      .catch((err: unknown) => this.opts.onError?.(err))
      .finally(() => {
        this.running = false;
        if (this.pending && !this.closed) {
          this.pending = false;
          this.start();
        } else if (!this.timer) this.notifyIdle();
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
