// Processes the bench starts: each in its own process group, tracked, and stopped by pid/group only.
import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';

const live = new Set(); // children still running, stopped on exit whatever happens

/** Number of CPUs, and whether pinning (taskset, ≥ 2 cores) is possible. */
export const ncpu = cpus().length;
export const canPin = ncpu >= 2 && which('taskset') !== null;

/** Absolute path of a binary on PATH (or in /usr/sbin, /sbin), or null. */
export function which(bin) {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin'];
  for (const d of dirs) if (d && existsSync(`${d}/${bin}`)) return `${d}/${bin}`;
  return null;
}

/** Prefixes a command with `taskset -c CPU` when pinning is possible. */
export function pinned(cpu, cmd, args) {
  return canPin && cpu !== undefined ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args];
}

/** Starts a long-running child in its own process group; output goes to `logFile`. */
export function startBg(cmd, args, { env, cwd, cpu, logFile } = {}) {
  const [file, argv] = pinned(cpu, cmd, args);
  const fd = logFile ? openSync(logFile, 'a') : 'ignore';
  const child = spawn(file, argv, { env: env ?? process.env, cwd, detached: true, stdio: ['ignore', fd, fd] });
  if (typeof fd === 'number') closeSync(fd);
  live.add(child);
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => { live.delete(child); resolve({ code, signal }); });
    child.once('error', (error) => { live.delete(child); child.failed = error; resolve({ code: null, signal: null, error }); }); // e.g. ENOENT
  });
  return child;
}

/** Stops a child's process group: `signal`, then SIGKILL after `graceMs`. */
export async function stopBg(child, signal = 'SIGTERM', graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null || !live.has(child)) return;
  killGroup(child.pid, signal);
  const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(t);
  killGroup(child.pid, 'SIGKILL'); // leftovers in the group, if any
}

/** Sends `signal` to process group `pgid`, ignoring "no such process". */
export function killGroup(pgid, signal) {
  try { process.kill(-pgid, signal); } catch { /* already gone */ }
}

/** Sends `signal` to one pid, ignoring "no such process". */
export function killPid(pid, signal) {
  try { process.kill(pid, signal); return true; } catch { return false; }
}

/** True while `pid` exists (and is not a zombie). */
export function alive(pid) {
  try { return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

/** Runs a command to completion (own group, killed on timeout); resolves {code, stdout, stderr, ms}. */
export function run(cmd, args, { env, cwd, cpu, timeoutMs = 120_000, input } = {}) {
  const [file, argv] = pinned(cpu, cmd, args);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(file, argv, { env: env ?? process.env, cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    // A command that exits before reading its stdin (git init) makes this write fail with EPIPE: not an error here.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
    const t = setTimeout(() => { timedOut = true; killGroup(child.pid, 'SIGKILL'); }, timeoutMs);
    const done = (code, extra = '') => {
      clearTimeout(t); live.delete(child);
      resolve({ code, stdout, stderr: stderr + extra, ms: performance.now() - t0, timedOut });
    };
    child.once('error', (e) => done(127, String(e.message)));
    child.once('close', (code, signal) => done(code ?? (timedOut ? 124 : 128), signal ? ` (killed by ${signal})` : ''));
  });
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Pins every thread of `pid` to `cpuList` ("0" or "0-1"); false when not possible. */
export function pinPid(pid, cpuList) {
  if (!canPin) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', cpuList, String(pid)], { stdio: 'ignore' }).status === 0;
}

/** The CPUs `pid` may run on ("0", "0-1"), from /proc/PID/status, or null. */
export function cpusAllowed(pid) {
  try { return /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? null; } catch { return null; }
}

/** Pids whose process group is `pgid`. */
export function groupPids(pgid) {
  return procStats().filter((s) => s.pgrp === pgid).map((s) => s.pid);
}

/** {pid, comm, ppid, pgrp} of every process, from /proc. */
export function procStats() {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out.push({ pid: Number(name), comm, ppid: Number(f[1]), pgrp: Number(f[2]) });
    } catch { /* exited meanwhile */ }
  }
  return out;
}

/** CPU time (user + system) of `pids` so far, in clock ticks (1/100 s); a pid that is gone counts 0. */
export function cpuTicks(pids) {
  let t = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[11] utime, f[12] stime (fields 14 and 15)
      t += Number(f[11]) + Number(f[12]);
    } catch { /* exited */ }
  }
  return t;
}

/** `pid` and its descendants (nginx's master and its worker). */
export function treePids(pid) {
  const kids = new Map();
  for (const s of procStats()) kids.set(s.ppid, [...(kids.get(s.ppid) ?? []), s.pid]);
  const out = [];
  const walk = (p) => { out.push(p); for (const k of kids.get(p) ?? []) walk(k); };
  walk(pid);
  return out;
}

/** VmRSS of `pid` in bytes, or null. */
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch { return null; }
}

/** Stops every child still tracked (synchronously: used on exit and on signals). */
export function stopAllNow() {
  for (const c of live) killGroup(c.pid, 'SIGKILL');
  live.clear();
}

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Pids whose environment holds exactly `key=value` (used to find leftovers of the bench's MINIK_HOME). */
export function pidsWithEnv(key, value) {
  const needle = `\0${key}=${value}\0`;
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try { if (`\0${readFileSync(`/proc/${name}/environ`, 'latin1')}`.includes(needle)) out.push(Number(name)); } catch { /* gone or not ours */ }
  }
  return out;
}
