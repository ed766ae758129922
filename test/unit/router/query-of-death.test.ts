// Heroku's retry rule: a request goes to another dyno only when the connection could not be made. A request that
// makes its dyno exit (a "query of death") must take down that dyno alone, whether it went out on a fresh
// connection or on a pooled keep-alive one. The dynos are real processes, so their exit closes the sockets as a
// crash does.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { app, autoClose, request, setApps, waitFor } from './helpers.js';

const { cleanups, router } = autoClose();

const DYNO = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  if (req.url === '/die') process.exit(1);
  res.end('alive ' + process.pid);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

interface Dyno { child: ChildProcess; port: number; exited: boolean }

async function startDyno(): Promise<Dyno> {
  const child = spawn(process.execPath, ['-e', DYNO], { stdio: ['ignore', 'pipe', 'inherit'] });
  const dyno: Dyno = { child, port: 0, exited: false };
  child.on('exit', () => { dyno.exited = true; });
  cleanups.push(() => { if (!dyno.exited) child.kill('SIGKILL'); });
  dyno.port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', () => reject(new Error('dyno exited before listening')));
  });
  return dyno;
}

describe('Router: query of death', () => {
  it('a request that kills its dyno kills only that one, on a fresh or a pooled connection, and answers H13', async () => {
    const dynos = await Promise.all([startDyno(), startDyno(), startDyno()]);
    const r = await router();
    setApps(r, [app('shop', dynos.map((d) => d.port))]);
    const dead = (): number => dynos.filter((d) => d.exited).length;

    // Fresh connections: nothing is pooled yet.
    const first = await request(r.port, 'shop.localhost', { path: '/die', headers: { accept: 'application/json' } });
    expect(first.status).toBe(503);
    expect(JSON.parse(first.body).error.code).toBe('H13');
    await waitFor(() => dead() === 1);
    expect(r.logs.at(-1)!.message).toMatch(/^at=error code=H13 .* path="\/die" /);

    // Pooled connections: every surviving dyno holds an idle keep-alive socket from the router.
    const alive = dynos.filter((d) => !d.exited);
    setApps(r, [app('shop', alive.map((d) => d.port))]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    for (let i = 0; i < 4; i++) expect((await request(r.port, 'shop.localhost', { agent })).body).toMatch(/^alive /);
    for (const d of alive) expect(r.router.pool.idleCount(d.port)).toBe(1);
    const second = await request(r.port, 'shop.localhost', { path: '/die', agent });
    expect(second.status).toBe(503);
    expect(second.body).toContain('H13');
    await waitFor(() => dead() === 2); // the client has its answer, so no replay can follow
    const survivor = dynos.find((d) => !d.exited)!;
    expect((await request(r.port, 'shop.localhost')).body).toBe(`alive ${survivor.child.pid}`);
  }, 20_000);
});
