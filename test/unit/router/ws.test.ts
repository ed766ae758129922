import http from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { app, autoClose, deadPort, request, setApps, sleep, startRouter, waitFor, type Backend } from './helpers.js';

const { cleanups, backend, router } = autoClose();
/** An echo WebSocket server on a plain backend; it also reports the headers of the upgrade request. */
async function echoBackend(): Promise<Backend & { headers: http.IncomingHttpHeaders[] }> {
  const b = await backend();
  const wss = new WebSocketServer({ server: b.server });
  const headers: http.IncomingHttpHeaders[] = [];
  wss.on('connection', (ws, req) => {
    headers.push(req.headers);
    ws.on('message', (m, isBinary) => ws.send(m, { binary: isBinary }));
  });
  cleanups.push(() => { for (const c of wss.clients) c.terminate(); wss.close(); });
  return Object.assign(b, { headers });
}
function connect(port: number, host: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/socket`, { headers: { host } });
  cleanups.push(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
  });
}
const echo = (ws: WebSocket, text: string): Promise<string> => new Promise((resolve) => {
  ws.once('message', (m) => resolve(m.toString()));
  ws.send(text);
});

describe('Router: WebSockets', () => {
  it('proxies a WebSocket echo with the forwarding headers', async () => {
    const b = await echoBackend();
    const r = await router();
    setApps(r, [app('chat', [b.port])]);
    const ws = await connect(r.port, 'chat.localhost');
    expect(await echo(ws, 'hello')).toBe('hello');
    expect(b.headers[0]).toMatchObject({ 'x-forwarded-proto': 'http', 'x-forwarded-for': '127.0.0.1', via: '1.1 minik' });
    expect(r.logs.at(-1)!.message).toMatch(/^at=info method=GET path="\/socket" host=chat\.localhost .* dyno=web\.1 .* status=101 /);
    ws.close();
  });

  it('does not cut an idle WebSocket after the idle timeout', async () => {
    const b = await echoBackend();
    const r = await router({ idleTimeoutMs: 100, requestTimeoutMs: 100 });
    setApps(r, [app('chat', [b.port])]);
    const ws = await connect(r.port, 'chat.localhost');
    await sleep(400);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(await echo(ws, 'still here')).toBe('still here');
  });

  it('relays a plain HTTP answer from a dyno that does not speak WebSocket', async () => {
    const b = await backend((_q, s) => s.writeHead(404, { 'content-type': 'text/plain' }).end('no ws here'));
    const r = await router();
    setApps(r, [app('plain', [b.port])]);
    await expect(connect(r.port, 'plain.localhost')).rejects.toThrow('status 404');
    expect((await request(r.port, 'plain.localhost')).body).toBe('no ws here');
  });

  it('answers 503 when the dyno closes the upgrade request, and keeps serving', async () => {
    const b = await backend();
    b.server.on('upgrade', (_req, socket) => socket.destroy());
    const r = await router();
    setApps(r, [app('rude', [b.port])]);
    await expect(connect(r.port, 'rude.localhost')).rejects.toThrow('status 503');
    await waitFor(() => r.logs.some((l) => l.message.startsWith('at=error code=H13')));
    expect((await request(r.port, 'rude.localhost')).body).toBe('plain');
  });

  it('answers 503 (H21) when the dyno refuses, and 404 for unknown hosts', async () => {
    const r = await router();
    setApps(r, [app('gone', [await deadPort()])]);
    await expect(connect(r.port, 'gone.localhost')).rejects.toThrow('status 503');
    await expect(connect(r.port, 'nope.localhost')).rejects.toThrow('status 404');
  });

  it('close() destroys upgraded connections', async () => {
    const b = await echoBackend();
    const r = await startRouter();
    setApps(r, [app('chat', [b.port])]);
    const ws = await connect(r.port, 'chat.localhost');
    const closed = new Promise((resolve) => ws.once('close', resolve));
    await r.close();
    await closed;
    await waitFor(() => b.open() === 0);
  });
});
