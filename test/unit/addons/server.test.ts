// Issue 11: an add-on server is supervised like a dyno — restarted with backoff after a crash, stopped cleanly,
// and a server an earlier daemon left on the same data is stopped before a new one starts (never two).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Driver } from '../../../src/addons/driver.js';
import { MARKER, stopStrays, strayServers } from '../../../src/addons/proc.js';
import { AddonServer } from '../../../src/addons/server.js';
import type { AddonRecord } from '../../../src/core/addons.js';
import { isAlive } from '../../../src/supervisor/index.js';

// A stand-in server: writes its pid file, removes it on SIGTERM (its clean stop). The handler comes first: the pid
// file is its "ready", and a stop that came between the two would otherwise kill it without its clean stop.
const SERVER = `const fs = require('fs'); const f = process.argv[1];
process.on('SIGTERM', () => { fs.rmSync(f, { force: true }); process.exit(0); }); fs.writeFileSync(f, String(process.pid)); setInterval(() => {}, 1000);`;

const fake: Driver = {
  process: 'fake',
  provision: async () => ({ version: null }),
  command: async (_a, dir) => ({ file: process.execPath, args: ['-e', SERVER, join(dir, 'data', 'fake.pid')], cwd: join(dir, 'data') }),
  pidFile: (dir) => join(dir, 'data', 'fake.pid'),
  isReady: async (_a, dir, pid) => readPid(dir) === pid,
  askStop: async (_a, _dir, pid) => { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } },
};
const readPid = (dir: string) => (existsSync(join(dir, 'data', 'fake.pid')) ? Number(readFileSync(join(dir, 'data', 'fake.pid'), 'utf8')) : null);
const addon: AddonRecord = { name: 'fake-1', service: 'heroku-redis', plan: 'mini', app: 'shop', port: 1, password: 'p', version: null, createdAt: '' };
const until = async (fn: () => boolean, what: string) => {
  for (let i = 0; i < 200; i++) { if (fn()) return; await new Promise((r) => setTimeout(r, 25)); }
  throw new Error(`timed out waiting for ${what}`);
};

describe('AddonServer', () => {
  let dir: string;
  let lines: string[];
  let server: AddonServer;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'minik-addon-'));
    mkdirSync(join(dir, 'data'));
    lines = [];
    server = new AddonServer(addon, dir, fake, { log: (l) => lines.push(l), backoff: { baseMs: 20, capMs: 100, resetAfterMs: 60_000 }, bootTimeoutMs: 10_000, stopTimeoutMs: 2000, logFile: '/h/logs/shop.log' });
  });
  afterEach(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restarts a crashed server with backoff, then stops it cleanly', async () => {
    await server.start();
    const first = server.pid!;
    expect(server.state).toBe('up');
    process.kill(first, 'SIGKILL');
    await until(() => server.state === 'up' && server.pid !== first, 'the restart');
    expect(server.restarts).toBe(1);
    expect(lines).toContain('State changed from up to crashed');
    const second = server.pid!;
    await server.stop();
    expect(server.state).toBe('down');
    expect(isAlive(second)).toBe(false);
    expect(existsSync(join(dir, 'data', 'fake.pid'))).toBe(false); // its clean stop ran
  });

  it('stops a server an earlier daemon left on the same data before starting its own', async () => {
    const left = spawn(process.execPath, ['-e', SERVER, join(dir, 'data', 'fake.pid')], { cwd: join(dir, 'data'), detached: true, stdio: 'ignore', env: { [MARKER]: dir } });
    await until(() => readPid(dir) === left.pid, 'the leftover to write its pid file');
    await server.start();
    expect(isAlive(left.pid!)).toBe(false);
    expect(server.pid).not.toBe(left.pid);
    expect(lines.some((l) => l.startsWith(`Stopping the server an earlier daemon left running (pid ${left.pid})`))).toBe(true);
  });

  it('a stop that comes while the start is being prepared spawns nothing (daemon stop during a restore)', async () => {
    const slow: Driver = { ...fake, command: async (a, d) => { await new Promise((r) => setTimeout(r, 200)); return fake.command(a, d); } };
    const s = new AddonServer(addon, dir, slow, { log: () => undefined, backoff: { baseMs: 20, capMs: 100, resetAfterMs: 60_000 }, bootTimeoutMs: 10_000, stopTimeoutMs: 2000, logFile: '/h/logs/shop.log' });
    const started = s.start();
    await s.stop();
    await expect(started).rejects.toThrow('fake-1 was stopped before its server started');
    await new Promise((r) => setTimeout(r, 300));
    expect(readPid(dir)).toBeNull();
    expect(s.pid).toBeNull();
    expect(s.state).toBe('down');
  });

  it('logs the note a driver gives with its command (SSL off and why) once per start, before the server runs', async () => {
    const noted: Driver = { ...fake, command: async (a, d) => ({ ...(await fake.command(a, d)), note: 'SSL is off for fake-1, so …: EACCES' }) };
    const s = new AddonServer(addon, dir, noted, { log: (l) => lines.push(l), backoff: { baseMs: 20, capMs: 100, resetAfterMs: 60_000 }, bootTimeoutMs: 10_000, stopTimeoutMs: 2000, logFile: '/h/logs/shop.log' });
    try {
      await s.start();
      expect(s.state).toBe('up');
      expect(lines.filter((l) => l.startsWith('SSL is off'))).toEqual(['SSL is off for fake-1, so …: EACCES']);
      expect(lines.indexOf('SSL is off for fake-1, so …: EACCES')).toBeLessThan(lines.indexOf('State changed from starting to up'));
    } finally {
      await s.stop();
    }
  });

  it('leaves alone a process whose pid is in the file but is not ours', async () => {
    const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { cwd: tmpdir(), stdio: 'ignore' });
    try {
      await until(() => stranger.pid !== undefined, 'the stranger');
      writeFileSync(join(dir, 'data', 'fake.pid'), String(stranger.pid));
      await server.start();
      expect(isAlive(stranger.pid!)).toBe(true);
    } finally {
      stranger.kill('SIGKILL');
    }
  });
});

describe('stray servers', () => {
  it('finds a marked process of a deleted add-on, not those of known add-ons, and stops it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'minik-home-'));
    const spawnMarked = (name: string) => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'],
      { cwd: tmpdir(), detached: true, stdio: 'ignore', env: { [MARKER]: join(home, 'addons', name) } });
    const ghost = spawnMarked('ghost-1');
    const kept = spawnMarked('kept-1');
    try {
      await until(() => strayServers(home, new Set(['kept-1'])).includes(ghost.pid!), 'the marker to be readable');
      expect(strayServers(home, new Set(['kept-1']))).toEqual([ghost.pid]);
      await stopStrays([ghost.pid!], 2000);
      expect(isAlive(ghost.pid!)).toBe(false);
      expect(isAlive(kept.pid!)).toBe(true);
    } finally {
      kept.kill('SIGKILL');
      ghost.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  });
});
