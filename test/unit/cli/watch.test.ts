import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeployQueue, type DeployJob, makeIgnoreMatcher, parseGitignore, SETTLE_MS, settleAt, watchFolder } from '../../../src/cli/watch.js';

/** A deploy that stays running until `finish()` is called or its signal aborts it. */
function controlledDeploy() {
  const runs: string[] = [];
  const aborted: string[] = [];
  let finish: () => void = () => {};
  let built: () => void = () => {};
  const run = (reason: string, job: DeployJob) => {
    runs.push(reason);
    built = job.built;
    return new Promise<void>((resolve, reject) => {
      finish = resolve;
      job.signal.addEventListener('abort', () => { aborted.push(reason); reject(new Error('aborted')); });
    });
  };
  return { runs, aborted, run, finish: () => finish(), built: () => built() };
}

describe('DeployQueue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('deploys on the first change at once, and changes of the same instant join it', async () => {
    const d = controlledDeploy();
    const q = new DeployQueue(d.run);
    q.trigger('a.js');
    q.trigger('b.js');
    await vi.advanceTimersByTimeAsync(0);
    expect(d.runs).toEqual(['b.js']);
    d.finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(d.runs).toEqual(['b.js']);
    await expect(q.idle()).resolves.toBeUndefined();
  });

  it('supersedes a running deploy: aborts it, then deploys once the burst has been quiet for SETTLE_MS', async () => {
    const d = controlledDeploy();
    const q = new DeployQueue(d.run);
    q.trigger('a.js');
    await vi.advanceTimersByTimeAsync(0);
    q.trigger('b.js');
    await vi.advanceTimersByTimeAsync(SETTLE_MS - 2);
    q.trigger('c.js'); // the burst goes on while nothing runs: the settle time moves
    await vi.advanceTimersByTimeAsync(SETTLE_MS - 1);
    expect(d.aborted).toEqual(['a.js']);
    expect(d.runs).toEqual(['a.js']);
    await vi.advanceTimersByTimeAsync(1);
    expect(d.runs).toEqual(['a.js', 'c.js']);
    d.finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(d.runs).toEqual(['a.js', 'c.js']);
    expect(d.aborted).toEqual(['a.js']);
    expect(q.busy).toBe(false);
  });

  it('queues one more deploy for changes once the slug is built: a release under way is never abandoned', async () => {
    const d = controlledDeploy();
    const q = new DeployQueue(d.run);
    q.trigger('a.js');
    await vi.advanceTimersByTimeAsync(0);
    d.built();
    for (const f of ['b.js', 'c.js', 'd.js']) {
      q.trigger(f);
      await vi.advanceTimersByTimeAsync(400);
    }
    expect(d.aborted).toEqual([]);
    expect(d.runs).toEqual(['a.js']);
    d.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(d.runs).toEqual(['a.js', 'd.js']);
    d.finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(d.runs).toEqual(['a.js', 'd.js']);
    expect(q.busy).toBe(false);
    await expect(q.idle()).resolves.toBeUndefined();
  });

  it('stops superseding once a burst is 1 s old: a writer that never stops gets its deploys finished', async () => {
    const d = controlledDeploy();
    const q = new DeployQueue(d.run);
    q.trigger('log-0');
    await vi.advanceTimersByTimeAsync(0);
    for (let t = 5; t < 1500; t += 5) {
      q.trigger(`log-${t}`);
      await vi.advanceTimersByTimeAsync(5);
    }
    expect(d.aborted).toEqual(['log-0']);
    expect(d.runs).toEqual(['log-0', 'log-1000']); // the settle time is capped at 1 s after the burst began
    d.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(d.runs).toEqual(['log-0', 'log-1000', 'log-1495']); // late changes queued exactly one more
    expect(d.aborted).toEqual(['log-0']);
  });

  it('waits for the quiet spell it is given after a superseded deploy', async () => {
    const d = controlledDeploy();
    const q = new DeployQueue(d.run, { quietMs: 200, maxWaitMs: 5000 });
    q.trigger('a.js');
    await vi.advanceTimersByTimeAsync(0);
    q.trigger('b.js');
    await vi.advanceTimersByTimeAsync(150);
    q.trigger('c.js');
    await vi.advanceTimersByTimeAsync(199);
    expect(d.runs).toEqual(['a.js']);
    await vi.advanceTimersByTimeAsync(1);
    expect(d.runs).toEqual(['a.js', 'c.js']);
  });

  it('does not report a superseded deploy as an error, but reports a failed one and keeps going', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const q = new DeployQueue(async (_reason, job) => {
      calls++;
      if (calls === 1) await new Promise((_resolve, reject) => job.signal.addEventListener('abort', () => reject(new Error('aborted'))));
      if (calls === 2) throw new Error('build failed');
    }, { onError: (e) => errors.push(e) });
    q.trigger('a');
    await vi.advanceTimersByTimeAsync(0);
    q.trigger('b');
    await vi.advanceTimersByTimeAsync(300);
    q.trigger('c');
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toBe(3);
    expect(errors.map((e) => (e as Error).message)).toEqual(['build failed']);
  });

  it('drops waiting work when closed', async () => {
    const d = controlledDeploy();
    const q = new DeployQueue(d.run, { quietMs: 50 });
    q.trigger('a');
    await vi.advanceTimersByTimeAsync(0);
    q.trigger('b');
    await vi.advanceTimersByTimeAsync(10);
    q.close();
    await vi.advanceTimersByTimeAsync(500);
    q.trigger('c');
    await vi.advanceTimersByTimeAsync(500);
    expect(d.runs).toEqual(['a']);
  });
});

describe('settleAt', () => {
  it('is the quiet spell after the last change, capped by the burst\'s age', () => {
    expect(settleAt(0, 0)).toBe(SETTLE_MS);
    expect(settleAt(0, 500)).toBe(500 + SETTLE_MS);
    expect(settleAt(0, 999)).toBe(1000);
    expect(settleAt(100, 300, 10, 150)).toBe(250);
  });
});

describe('ignore matcher', () => {
  const root = '/home/u/app';
  const gitignore = parseGitignore('# deps\nnode_modules\n\ndist/\n*.log\n/secret.txt\n!keep.log\ndocs/build\n');

  it('reads names, dir/, *.ext, anchored patterns and negations from .gitignore', () => {
    expect(gitignore).toEqual(['node_modules', 'dist/', '*.log', '/secret.txt', '!keep.log', 'docs/build']);
  });

  it('ignores .git, node_modules, MINIK_HOME and .gitignore entries; watches the rest', () => {
    const ignored = makeIgnoreMatcher(root, gitignore, ['/home/u/app/.minik']);
    const yes = ['.git', '.git/HEAD', 'node_modules/x/index.js', 'lib/node_modules/y', 'dist/app.js', 'a/dist/b.js',
      'debug.log', 'logs/x.log', 'secret.txt', 'docs/build/index.html', '.minik/minikd.sock', '.index.js.swp', 'app.js~'];
    const no = ['', 'index.js', 'src/app.ts', 'Procfile', 'sub/secret.txt', 'build/x', 'docs/readme.md', 'logfile', 'distro/x', 'keep.log'];
    for (const p of yes) expect(ignored(join(root, p)), p).toBe(true);
    for (const p of no) expect(ignored(join(root, p)), p).toBe(false);
    expect(ignored(join(root, 'dist'), true)).toBe(true); // `dist/` is a folder rule
    expect(ignored(join(root, 'dist'), false)).toBe(false);
    expect(ignored('/elsewhere/node_modules')).toBe(false);
  });

  it('never lets .gitignore re-include node_modules or .git', () => {
    const ignored = makeIgnoreMatcher(root, ['!node_modules', '!.git/']);
    expect(ignored(join(root, 'node_modules/x.js'))).toBe(true);
    expect(ignored(join(root, '.git'), true)).toBe(true);
  });

  it('watches an app kept inside MINIK_HOME (only a state folder nested in the app is ignored)', () => {
    const inside = makeIgnoreMatcher('/home/u/.minik/src/app', [], ['/home/u/.minik']);
    expect(inside('/home/u/.minik/src/app/server.js')).toBe(false);
  });
});

describe('watchFolder', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'minik-watch-'));
    mkdirSync(join(dir, 'node_modules'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports changes with relative paths and skips ignored ones', async () => {
    const seen: string[] = [];
    const watcher = await watchFolder(dir, makeIgnoreMatcher(dir, ['*.log']), (rel) => seen.push(rel));
    writeFileSync(join(dir, 'debug.log'), 'x');
    writeFileSync(join(dir, 'node_modules', 'a.js'), 'x');
    writeFileSync(join(dir, 'server.js'), 'x');
    await vi.waitFor(() => expect(seen).toContain('server.js'), { timeout: 3000 });
    await new Promise((r) => setTimeout(r, 100));
    await watcher.close();
    expect(seen).toEqual(['server.js']);
  });
});
