// Issue 18, defect 2, as the issue states it: one `minik logs -t` follower paused (SIGSTOP, stdin closed) while a
// worker logs 50 MB as fast as its pipe drains. The daemon grows by under 20 MB, a second, live follower sees new
// lines within 1 s, and the paused one, resumed, prints one L10 line for what it missed and then new lines. A
// third follower writes into a pipe nobody reads (`minik logs -t | sleep 1000`): the CLI itself must not grow.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, minik, until, type Minik } from './harness.js';

const LINES = 262_144; // 200 bytes each: 50 MiB
const MB = 1024 * 1024;

// Lines of 200 bytes (9 digits, a space, 189 x, a newline) as fast as stdout drains; a MARK line with the time every
// 25,600 lines, BURST-DONE at the end, then a MARK line every 200 ms.
const BURST = `const fs = require('fs');
const pad = 'x'.repeat(189);
const mark = () => fs.writeSync(1, 'MARK ' + Date.now() + '\\n');
let i = 0;
while (i < ${LINES}) {
  let s = '';
  for (let k = 0; k < 64 && i < ${LINES}; k++, i++) s += String(i).padStart(9, '0') + ' ' + pad + '\\n';
  fs.writeSync(1, s);
  if (i % 25600 === 0) mark();
}
fs.writeSync(1, 'BURST-DONE ${LINES}\\n');
mark();
setInterval(mark, 200);
`;

/** Resets VmHWM (the peak RSS since start) to the current RSS, so that it measures the peak from now on. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** kB → bytes of a field of /proc/PID/status. */
function status(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** What a `minik logs -t` printed, parsed as it streams (50 MB is not kept). */
interface Follower {
  proc: ChildProcess;
  lines: number;
  burst: number;
  /** The sum of the L10 lines' counts, and where the first one was (in lines printed). */
  dropped: number;
  firstL10: number;
  done: boolean;
  /** MARK lines: the app's time, when this follower printed them, and whether it was after BURST-DONE. */
  marks: { at: number; seen: number; afterDone: boolean }[];
  /** logplex lines that are not the L10 line. */
  odd: string[];
  stderr: string;
}

function follow(m: Minik, app: string): Follower {
  const proc = spawn(process.execPath, [BIN, 'logs', '-t', '-a', app], { env: { ...process.env, ...m.env }, cwd: m.home, stdio: ['ignore', 'pipe', 'pipe'] });
  const f: Follower = { proc, lines: 0, burst: 0, dropped: 0, firstL10: -1, done: false, marks: [], odd: [], stderr: '' };
  let rest = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    const seen = Date.now();
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      f.lines++;
      const msg = line.slice(line.indexOf(': ') + 2);
      if (line.includes(' app[worker.1]: ')) {
        if (/^\d{9} x{189}$/.test(msg)) f.burst++;
        else if (msg.startsWith('BURST-DONE ')) f.done = true;
        else if (msg.startsWith('MARK ')) f.marks.push({ at: Number(msg.slice(5)), seen, afterDone: f.done });
      } else if (line.includes(' minik[logplex]: ')) {
        const l10 = /^Error L10 \(output buffer overflow\): (\d+) messages dropped since \S+\.$/.exec(msg);
        if (!l10) f.odd.push(line);
        f.dropped += Number(l10?.[1] ?? 0);
        if (f.firstL10 < 0) f.firstL10 = f.lines;
      }
    }
  });
  proc.stderr!.on('data', (c: Buffer) => (f.stderr += c.toString()));
  return f;
}

describe('a paused `minik logs -t` while a worker logs 50 MB', () => {
  let m: Minik;
  const followers: Follower[] = [];
  beforeAll(async () => { m = await minik(); });
  afterAll(async () => {
    for (const f of followers) {
      f.proc.kill('SIGCONT');
      f.proc.kill('SIGINT');
    }
    await m.stop();
  });

  it('keeps the daemon within 20 MB, a live follower within 1 s, and tells the paused one what it missed', { timeout: 110_000 }, async () => {
    const dir = join(m.home, 'src', 'burst');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'burst.js'), BURST);
    await writeFile(join(dir, 'Procfile'), 'worker: node burst.js\n');
    const up = await m.run(['up', dir]);
    expect(up.exitCode, String(up.stderr)).toBe(0);
    const pid = (await m.daemonPid())!;
    expect(pid).toBeGreaterThan(0);

    const paused = follow(m, 'burst');
    const live = follow(m, 'burst');
    const piped = follow(m, 'burst');
    followers.push(paused, live, piped);
    await until(() => paused.lines > 0 && live.lines > 0 && piped.lines > 0, 'the followers to print the recent lines', 30_000);
    process.kill(paused.proc.pid!, 'SIGSTOP');
    piped.proc.stdout!.pause(); // from now on its stdout pipe fills and stays full
    await new Promise((r) => setTimeout(r, 500));

    // VmHWM is the peak since start (the deploy may have set it): reset it to now, so it is the peak of the burst.
    const hwmReset = resetPeak(pid);
    resetPeak(piped.proc.pid!);
    const pipedBase = status(piped.proc.pid!, 'VmRSS');
    const base = status(pid, 'VmRSS');
    const hwmBefore = status(pid, 'VmHWM');
    let sampled = base;
    const sampler = setInterval(() => { sampled = Math.max(sampled, status(pid, 'VmRSS')); }, 50);
    try {
      const scale = await m.run(['scale', 'worker=1', '-a', 'burst']);
      expect(scale.exitCode, String(scale.stderr)).toBe(0);
      await until(() => live.done, 'the live follower to print BURST-DONE', 90_000);
      await until(() => live.marks.some((k) => k.afterDone), 'a MARK line after the burst', 10_000);
    } finally {
      clearInterval(sampler);
    }
    const hwm = status(pid, 'VmHWM');
    const peak = Math.max(sampled, hwmReset || hwm > hwmBefore ? hwm : 0);
    const grew = (peak - base) / MB;
    console.log(`daemon RSS ${(base / MB).toFixed(1)} MB → peak ${(peak / MB).toFixed(1)} MB (+${grew.toFixed(1)} MB; VmHWM reset: ${hwmReset}); `
      + `live follower: ${live.burst} burst lines printed, ${live.dropped} dropped, marks ${live.marks.map((k) => k.seen - k.at).join('/')} ms`);
    expect(grew).toBeLessThan(20);
    // The CLI whose stdout nobody reads stopped reading its socket instead of buffering the burst (it grew to 135 MB).
    const cliGrew = (status(piped.proc.pid!, 'VmHWM') - pipedBase) / MB;
    console.log(`piped CLI RSS ${(pipedBase / MB).toFixed(1)} MB, +${cliGrew.toFixed(1)} MB at most`);
    expect(cliGrew).toBeLessThan(20);

    // The 50 MB went through: the app's last line came, and every burst line reached the live follower or was
    // counted in an L10 line (other lines may be counted too, hence the small slack).
    expect(live.burst).toBeLessThanOrEqual(LINES);
    expect(live.burst + live.dropped).toBeGreaterThanOrEqual(LINES);
    expect(live.burst + live.dropped).toBeLessThan(LINES + 50);
    // The live follower saw new lines within 1 s of the app logging them, during the burst and after it.
    for (const k of live.marks) expect(k.seen - k.at, `MARK ${k.at}`).toBeLessThan(1000);

    // The paused follower, resumed: the lines it had, one L10 line for the rest it missed, then new lines.
    expect(paused.firstL10).toBe(-1);
    const resumed = Date.now();
    process.kill(paused.proc.pid!, 'SIGCONT');
    await until(() => paused.marks.some((k) => k.at > resumed), 'the resumed follower to print a new line', 20_000);
    expect(paused.firstL10).toBeGreaterThan(0);
    expect(paused.dropped).toBeGreaterThan(LINES / 2);
    expect(paused.burst + paused.dropped).toBeGreaterThanOrEqual(LINES);
    expect(paused.lines).toBeLessThan(paused.firstL10 + 5000); // after the gap: the bounded backlog, then new lines
    expect([...paused.odd, ...live.odd]).toEqual([]);
    expect(paused.stderr).toBe('');
    expect(live.stderr).toBe('');
    expect(piped.stderr).toBe(''); // no MaxListenersExceededWarning from a stdout that stays full
  });
});
