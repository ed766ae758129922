// The real minik under test: its own MINIK_HOME and router port, driven through bin/minik, inspected
// through the control API (docs/API.md), and stopped with everything it started.
import http from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, alive, killPid, killGroup, sleep, freePort, groupPids, pinPid, procStats, rssBytes, pidsWithEnv, cpusAllowed } from './proc.mjs';

/** Why minik can't be benchmarked in `root` right now, or null when it can. */
export function minikMissing(root) {
  if (!existsSync(join(root, 'bin/minik'))) return 'bin/minik does not exist yet';
  if (!existsSync(join(root, 'dist/daemon/main.js'))) return 'dist/daemon/main.js does not exist (npm run build)';
  return null;
}

/** One minik installation for the bench: a temp MINIK_HOME and a free router port. */
export class Minik {
  constructor({ root, home }) {
    this.root = root;
    this.home = home;
    this.port = null;
    this.httpsPort = null;
    this.pid = null;
    this.dynoGroups = new Set(); // every dyno process group seen, killed at stop if still there
  }

  /** The environment every bin/minik call gets. */
  env() {
    return { ...process.env, MINIK_HOME: this.home, MINIK_PORT: String(this.port), MINIK_HTTPS_PORT: String(this.httpsPort), NO_COLOR: '1', CI: '1' };
  }

  /** Runs `node bin/minik ...args`; throws with the CLI's last error line unless it exits 0. */
  async cli(args, { timeoutMs = 180_000, allowFail = false } = {}) {
    const r = await run(process.execPath, [join(this.root, 'bin/minik'), ...args], { env: this.env(), cwd: this.root, timeoutMs });
    if (r.code !== 0 && !allowFail) {
      const why = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-2).join(' / ');
      throw new Error(`minik ${args.join(' ')} exited ${r.code}${r.timedOut ? ' (timed out)' : ''}: ${why}`);
    }
    return r;
  }

  /** Starts the daemon (`minik daemon start`) and learns its pid from GET /daemon. */
  async start() {
    mkdirSync(this.home, { recursive: true });
    this.port = await freePort();
    this.httpsPort = await freePort();
    try { await this.cli(['daemon', 'start'], { timeoutMs: 30_000 }); } catch (e) {
      throw new Error(`${e.message}${this.daemonLogError()}`);
    }
    const info = await this.api('GET', '/daemon');
    this.pid = info.pid;
    return info;
  }

  /** The first error line of $MINIK_HOME/daemon.log (the temp home is gone after the run), or ''. */
  daemonLogError() {
    try {
      const lines = readFileSync(join(this.home, 'daemon.log'), 'utf8').split('\n');
      const line = lines.find((l) => /^\w*Error\b|\berror\b/i.test(l)) ?? lines.filter(Boolean).pop();
      return line ? ` — daemon.log: ${line.trim().slice(0, 240)}` : '';
    } catch { return ''; }
  }

  /** Base URL of the router. */
  get routerUrl() { return `http://127.0.0.1:${this.port}`; }

  /** One control-API call over $MINIK_HOME/minikd.sock; resolves the JSON answer. */
  api(method, path, body) {
    return new Promise((resolve, reject) => {
      const req = http.request({ socketPath: join(this.home, 'minikd.sock'), method, path, timeout: 30_000,
        headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { text += d; });
        res.on('end', () => {
          let json;
          try { json = JSON.parse(text); } catch { return reject(new Error(`${method} ${path}: not JSON: ${text.slice(0, 100)}`)); }
          if (res.statusCode >= 300) return reject(new Error(`${method} ${path}: ${json?.error?.message ?? res.statusCode}`));
          resolve(json);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  /** The app's dynos (DynoView[]), remembering their process groups for the final cleanup. */
  async dynos(app) {
    const list = await this.api('GET', `/apps/${encodeURIComponent(app)}/dynos`);
    for (const d of list) if (d.pid) this.dynoGroups.add(d.pid);
    return list;
  }

  /** Pins the daemon and every process of the app's dynos to `cpuList`; returns {pid: cpus allowed now}. */
  async pin(app, cpuList) {
    const pids = [this.pid];
    for (const d of await this.dynos(app)) if (d.pid) pids.push(...groupPids(d.pid));
    for (const pid of pids) pinPid(pid, cpuList);
    return Object.fromEntries(pids.map((pid) => [pid, cpusAllowed(pid)]));
  }

  /** RSS of the daemon plus its children that are not dynos (dynos lead their own process groups). */
  daemonRss() {
    const kids = new Map();
    for (const s of procStats()) kids.set(s.ppid, [...(kids.get(s.ppid) ?? []), s]);
    const daemon = rssBytes(this.pid) ?? NaN;
    const helpers = [];
    const walk = (pid) => {
      for (const c of kids.get(pid) ?? []) {
        if (c.pgrp === c.pid && c.pgrp !== this.pid) continue; // a dyno (own group): the app's memory
        helpers.push({ pid: c.pid, comm: c.comm, rss: rssBytes(c.pid) ?? 0 });
        walk(c.pid);
      }
    };
    walk(this.pid);
    return { total: daemon + helpers.reduce((a, h) => a + h.rss, 0), daemon, helpers };
  }

  /** Stops the daemon (`minik daemon stop`), then kills by pid/group whatever is still alive. */
  async stop() {
    if (!this.port) return;
    try { for (const a of await this.api('GET', '/apps')) await this.dynos(a.name); } catch { /* daemon gone */ }
    await this.cli(['daemon', 'stop'], { timeoutMs: 30_000, allowFail: true });
    for (let i = 0; i < 100 && this.pid && alive(this.pid); i++) await sleep(100);
    if (this.pid && alive(this.pid)) killPid(this.pid, 'SIGKILL');
    for (const g of this.dynoGroups) if (groupPids(g).length) killGroup(g, 'SIGKILL');
    // Last resort: anything still carrying this bench's own MINIK_HOME (a unique temp dir).
    for (const pid of pidsWithEnv('MINIK_HOME', this.home)) killPid(pid, 'SIGKILL');
    this.pid = null;
    this.port = null;
  }
}
