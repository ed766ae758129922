// What the sections share: the direct backend, the reference proxies (nginx, a bare relay, a node:http proxy)
// and the minik under test, each started once on first use, pinned to core 0 for the router sections, and all
// stopped at the end.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { startBackend } from './backend.mjs';
import { startNginx, stopNginx } from './nginx.mjs';
import { Minik, minikMissing } from './minik.mjs';
import { freePort, startBg, stopBg, ncpu } from './proc.mjs';
import { waitHttp } from './http.mjs';

const HELLO = 'node-hello';

/** Builds the shared context for one bench run. */
export function createContext({ root, tmp, rounds, duration, progress }) {
  const once = (fn) => { let p; const f = () => (p ??= fn()); f.started = () => p; return f; };
  const ctx = {
    root, tmp, rounds, duration, progress,
    missing: {},       // target name → why it could not be started
    afterLoad: false,  // set by the router section (memory is measured after it)
    pinned: null,
  };

  ctx.backend = once(() => startBackend({ root, tmp, cpu: 0 }));

  ctx.nginx = once(async () => {
    const b = await ctx.backend();
    const dir = join(tmp, 'nginx');
    mkdirSync(dir, { recursive: true });
    const port = await freePort();
    const child = await startNginx({ dir, port, upstreamPort: b.port, serverName: `${HELLO}.localhost`, cpu: 0 });
    return { child, port, url: `http://127.0.0.1:${port}/` };
  });

  /** A reference proxy script (`node SCRIPT LISTEN_PORT TARGET_PORT`) in front of the backend, pinned to core 0. */
  const startReference = async (script) => {
    const b = await ctx.backend();
    const port = await freePort();
    const child = startBg(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), String(port), String(b.port)],
      { cpu: 0, logFile: join(tmp, script.replace(/\W+/g, '') + '.log') });
    await waitHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 10_000, child });
    return { child, port, url: `http://127.0.0.1:${port}/` };
  };
  ctx.relay = once(() => startReference('./relay.mjs'));
  ctx.nodeProxy = once(() => startReference('./node-proxy.mjs'));

  ctx.minik = once(async () => {
    const why = minikMissing(root);
    if (why) throw new Error(why);
    const m = new Minik({ root, home: join(tmp, 'minik-home') });
    ctx.minikInstance = m;
    progress('minik: starting the daemon');
    await m.start();
    progress(`minik: deploying fixtures/${HELLO}`);
    await m.cli(['up', join(root, 'fixtures', HELLO)], { timeoutMs: 300_000 });
    const host = `${HELLO}.localhost`;
    await waitHttp(`${m.routerUrl}/`, { host, timeoutMs: 30_000 });
    await m.dynos(HELLO);
    return { m, app: HELLO, host, url: `${m.routerUrl}/` };
  });

  /** Pins the daemon and the app's dynos to core 0 (true) or lets them use every core (false). */
  ctx.pinMinik = async (on) => {
    if (ctx.pinned === on || !ctx.minikInstance?.pid) return;
    const now = await ctx.minikInstance.pin(HELLO, on ? '0' : `0-${ncpu - 1}`);
    progress(`minik: ${on ? 'pinned to core 0' : 'unpinned'}: ${Object.entries(now).map(([p, c]) => `${p}→${c}`).join(' ')}`);
    ctx.pinned = on;
  };

  /** The targets that could be started: direct always, the references asked for, minik if it works. */
  ctx.targets = async ({ nginx, relay = false, nodeProxy = false }) => {
    const b = await ctx.backend();
    const out = [{ name: 'direct', url: b.url, host: `${HELLO}.localhost` }];
    if (nginx) {
      try { const n = await ctx.nginx(); out.push({ name: 'nginx', url: n.url, host: `${HELLO}.localhost` }); }
      catch (e) { ctx.missing.nginx = e.message; }
    }
    if (relay) {
      try { const r = await ctx.relay(); out.push({ name: 'relay', url: r.url, host: `${HELLO}.localhost` }); }
      catch (e) { ctx.missing.relay = e.message; }
    }
    if (nodeProxy) {
      try { const p = await ctx.nodeProxy(); out.push({ name: 'node-proxy', url: p.url, host: `${HELLO}.localhost` }); }
      catch (e) { ctx.missing['node-proxy'] = e.message; }
    }
    try {
      const mk = await ctx.minik();
      await ctx.pinMinik(true);
      out.push({ name: 'minik', url: mk.url, host: mk.host });
    } catch (e) { ctx.missing.minik = e.message; }
    return out;
  };

  /** Stops everything started (minik first: its dynos; then nginx and the backend). */
  ctx.close = async () => {
    await ctx.minikInstance?.stop().catch(() => {});
    const settle = async (p, stop) => { try { await stop(await p); } catch { /* never started */ } };
    if (ctx.nginx.started()) await settle(ctx.nginx.started(), (n) => stopNginx(n.child));
    if (ctx.relay.started()) await settle(ctx.relay.started(), (r) => stopBg(r.child));
    if (ctx.nodeProxy.started()) await settle(ctx.nodeProxy.started(), (p) => stopBg(p.child));
    if (ctx.backend.started()) await settle(ctx.backend.started(), (b) => stopBg(b.child));
  };
  return ctx;
}
