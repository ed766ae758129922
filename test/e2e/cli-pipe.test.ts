// Issue 8 item 19: CLI output through a pipe is complete, however slowly the reader drains it.
import { execa } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, minik, until, type Minik } from './harness.js';

// 1,500 lines of ~130 bytes: about 200 KB, three times a pipe's 64 KiB buffer.
const CHATTY = `for (let i = 0; i < 1500; i++) console.log('line ' + i + ' ' + 'x'.repeat(80)); `
  + `require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT)`;

describe('CLI output through a pipe', () => {
  let m: Minik;
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => { await m.stop(); });

  it('delivers every byte of `minik logs -n 1500` to a reader that starts late', async () => {
    const dir = join(m.home, 'src', 'chatty');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'Procfile'), `web: node -e "${CHATTY}"\n`);
    expect((await m.run(['up', dir])).exitCode).toBe(0);
    await until(async () => String((await m.run(['logs', '-a', 'chatty', '-n', '5'])).stdout).includes('line 1499 '), 'the 1,500th line');
    // The reader sleeps first, so the pipe fills and the CLI must wait for it to drain before exiting.
    const piped = await execa('/bin/sh', ['-c', '"$0" "$1" logs -a chatty -n 1500 | (sleep 1; cat)', process.execPath, BIN], {
      env: m.env, cwd: m.home, reject: false, timeout: 60_000,
    });
    expect(piped.exitCode).toBe(0);
    const out = String(piped.stdout);
    expect(Buffer.byteLength(out)).toBeGreaterThan(64 * 1024);
    expect(out.split('\n')).toHaveLength(1500);
    expect(out).toMatch(/app\[web\.1\]: line 1499 x{80}(\n|$)/); // execa drops the final newline
    // The same bytes as a reader that keeps up (the app is idle now, so its log does not change in between).
    expect(out).toBe(String((await m.run(['logs', '-a', 'chatty', '-n', '1500'])).stdout));
  });

  it('ends any command quietly when its reader is gone before it writes (EPIPE), with its own exit code', { timeout: 60_000 }, async () => {
    // `minik logs -n 1500` (no -t) has no EPIPE handling of its own: the CLI's root handler ends it.
    const r = await execa('/bin/sh', ['-c', '{ "$0" "$1" logs -n 1500 -a chatty; echo "minik exited $?" >&2; } | head -c 1 >/dev/null', process.execPath, BIN], {
      env: m.env, cwd: m.home, reject: false, stdin: 'ignore', timeout: 50_000,
    });
    // A daemon started on demand may say so first; nothing else may appear (no EPIPE stack).
    expect(String(r.stderr).replace(/^Starting minik daemon… done\n/, '')).toBe('minik exited 0');
    const bad = await execa('/bin/sh', ['-c', '{ "$0" "$1" logs -n 1500 -a no-such-app; echo "minik exited $?" >&2; } | true', process.execPath, BIN], {
      env: m.env, cwd: m.home, reject: false, stdin: 'ignore', timeout: 50_000,
    });
    expect(String(bad.stderr)).toMatch(/^minik: .*no-such-app[^]*minik exited [1-9]/);
  });

  it('ends `minik logs -t | head -n 5` quietly once head is gone (EPIPE)', { timeout: 60_000 }, async () => {
    // 1,500 lines (200 KB) overfill the pipe, so minik is still writing when head exits.
    const r = await execa('/bin/sh', ['-c', '{ "$0" "$1" logs -t -n 1500 -a chatty; echo "minik exited $?" >&2; } | head -n 5', process.execPath, BIN], {
      env: m.env, cwd: m.home, reject: false, stdin: 'ignore', timeout: 50_000,
    });
    expect(String(r.stdout).split('\n')).toHaveLength(5);
    expect(String(r.stderr)).toBe('minik exited 0');
  });

  it('ends `minik up --watch | head -n 1` quietly once head is gone (EPIPE), as Ctrl-C would, not with an uncaught error', { timeout: 120_000 }, async () => {
    const dir = join(m.home, 'src', 'watched');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'Procfile'), 'web: node -e "require(\'http\').createServer((q, s) => s.end(\'ok\')).listen(process.env.PORT)"\n');
    const run = execa('/bin/sh', ['-c', '{ "$0" "$1" up --watch "$2"; echo "minik exited $?" >&2; } | head -n 1', process.execPath, BIN, dir], {
      env: m.env, cwd: m.home, reject: false, stdin: 'ignore', timeout: 100_000,
    });
    let said = '';
    run.stderr!.on('data', (c: Buffer) => (said += c.toString()));
    // head is gone after the first deploy's first line; a change makes the watch write to stdout again for sure.
    await until(() => said.includes('Watching') || said.includes('minik exited'), 'the watch to start or end', 90_000);
    for (let i = 0; !said.includes('minik exited') && i < 20; i++) {
      await writeFile(join(dir, 'touched.txt'), String(i));
      await sleep(2000);
    }
    const r = await run;
    expect(String(r.stdout)).toMatch(/^-----> /);
    expect(said).toMatch(/Stopped watching; .*watched keeps running/);
    expect(said).toContain('minik exited 0');
    expect(said).not.toMatch(/EPIPE|Error/);
  });
});
