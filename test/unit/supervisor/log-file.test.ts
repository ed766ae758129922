// Issue 18, defect 2: an app's log file never queues more than its cap for a disk that fell behind; the lines it
// had to drop are named in the file by logplex's L10 line, at the gap.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLogLine } from '../../../src/core/time.js';
import type { LogLine } from '../../../src/core/types.js';
import { LogFile } from '../../../src/supervisor/log-file.js';
import { LogRing } from '../../../src/supervisor/log-ring.js';
import { tempDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

const time = (i: number) => `2026-11-23T08:00:00.${String(i).padStart(6, '0')}+00:00`;
const line = (i: number): LogLine => ({ time: time(i), source: 'app', process: 'worker.1', message: `line ${i} ${'x'.repeat(90)}` });
/** Appends a line as the LogHub does: through a ring that formats it. */
const ring = new LogRing(10, 1 << 20);
const append = (f: LogFile, l: LogLine) => {
  ring.push(l);
  f.append(ring, ring.next - 1);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads the FIFO (non-blocking) until it has been idle for 200 ms, logs one more line, then reads to the end. */
async function drain(f: LogFile, rfd: number, onText: (t: string) => void): Promise<void> {
  const buf = Buffer.alloc(64 * 1024);
  const read = async (toEof: boolean) => {
    for (let idle = 0; toEof || idle < 20;) {
      let n = -1;
      try {
        n = fs.readSync(rfd, buf);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      }
      if (n === 0) return; // the writer closed its end
      if (n > 0) {
        onText(buf.toString('utf8', 0, n));
        idle = 0;
      } else {
        idle++;
        await sleep(10);
      }
    }
  };
  await read(false);
  append(f, line(99_999));
  const closed = f.close();
  await read(true);
  await closed;
}

describe('LogFile', () => {
  it('writes every line in order, and close() flushes what is queued', async () => {
    const dir = tempDir('minik-logfile-');
    dirs.push(dir);
    const file = path.join(dir, 'demo.log');
    const f = new LogFile(file, { maxFileBytes: 1e9 });
    for (let i = 0; i < 20_000; i++) append(f, line(i)); // 2.3 MB, more than one write
    await f.close();
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toBe(Array.from({ length: 20_000 }, (_, i) => `${formatLogLine(line(i))}\n`).join(''));
    append(f, line(1)); // a closed file takes nothing more
    await f.close();
    expect(fs.statSync(file).size).toBe(Buffer.byteLength(text));
  });

  it('holds at most maxQueueBytes for a disk that stopped, then writes one L10 line for the dropped lines at the gap', async () => {
    const dir = tempDir('minik-logfile-');
    dirs.push(dir);
    // A FIFO nobody reads yet is a disk that stopped: the write in flight blocks until the test reads.
    const fifo = path.join(dir, 'stalled.log');
    execFileSync('mkfifo', [fifo]);
    const rfd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const f = new LogFile(fifo, { maxFileBytes: 1e9, maxQueueBytes: 256 * 1024 });
    let text = '';
    try {
      for (let i = 0; i < 10_000; i++) append(f, line(i)); // 1.1 MB
      expect(f.backlog.bytes).toBeLessThanOrEqual(256 * 1024);
      await sleep(300);
      expect(f.backlog.bytes).toBeLessThanOrEqual(256 * 1024);
      await drain(f, rfd, (t) => (text += t));
    } finally {
      fs.closeSync(rfd); // a write still blocked on the FIFO fails (EPIPE) instead of holding a thread forever
    }

    const lines = text.split('\n').filter(Boolean);
    const gap = lines.findIndex((l) => l.includes('Error L10'));
    expect(gap).toBeGreaterThan(0);
    expect(lines.slice(0, gap)).toEqual(Array.from({ length: gap }, (_, i) => formatLogLine(line(i))));
    expect(10_000 - gap).toBeGreaterThan(7000);
    expect(lines[gap]).toMatch(new RegExp(`^\\S+ minik\\[logplex\\]: Error L10 \\(output buffer overflow\\): ${10_000 - gap} messages dropped since ${time(gap).replace(/[.+]/g, '\\$&')}\\.$`));
    expect(lines.slice(gap + 1)).toEqual([formatLogLine(line(99_999))]);
  });

  it('rotates to one .1 generation at a line boundary once the file reaches maxFileBytes', async () => {
    const dir = tempDir('minik-logfile-');
    dirs.push(dir);
    const file = path.join(dir, 'demo.log');
    fs.writeFileSync(file, `${formatLogLine(line(0))}\n`); // an existing file counts toward the cap
    const f = new LogFile(file, { maxFileBytes: 1000 });
    for (let i = 1; i < 30; i++) append(f, line(i));
    await f.close();
    const older = fs.readFileSync(`${file}.1`, 'utf8').split('\n').filter(Boolean);
    const newer = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect([...older, ...newer].slice(-newer.length - older.length)).toEqual(
      Array.from({ length: 30 }, (_, i) => formatLogLine(line(i))).slice(-newer.length - older.length),
    );
    expect(fs.statSync(file).size).toBeLessThan(1000);
    expect(fs.existsSync(`${file}.2`)).toBe(false);
  });

  it('discard() drops what is queued and writes nothing more', async () => {
    const dir = tempDir('minik-logfile-');
    dirs.push(dir);
    const file = path.join(dir, 'gone.log');
    const f = new LogFile(file, { maxFileBytes: 1e9 });
    append(f, line(1));
    f.discard();
    append(f, line(2));
    await sleep(250);
    expect(fs.readFileSync(file, 'utf8')).toBe('');
  });
});
