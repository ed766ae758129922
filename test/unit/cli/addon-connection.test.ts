// Issue 18: pg:psql and redis:cli say on stderr that they wait for the add-on, only when the wait is noticeable.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { addonConnection } from '../../../src/cli/addons.js';

let home = '';
let server: Server;
let answer: (res: ServerResponse) => void;
let saved: string | undefined;
let err = '';

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'minik-wait-'));
  server = createServer((req, res) => {
    if (req.url === '/daemon') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"pid":1}');
    answer(res);
  });
  await new Promise<void>((r) => server.listen(join(home, 'minikd.sock'), r));
  saved = process.env.MINIK_HOME;
  process.env.MINIK_HOME = home;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.MINIK_HOME;
  else process.env.MINIK_HOME = saved;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  return () => vi.restoreAllMocks();
});

const json = (body: unknown, status = 200) => (res: ServerResponse) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const later = (ms: number, then: (res: ServerResponse) => void) => (res: ServerResponse) => void setTimeout(() => then(res), ms);

describe('addonConnection', () => {
  it('says nothing when the daemon answers at once', async () => {
    answer = json({ port: 15400 });
    expect(await addonConnection('/apps/shop/pg/DATABASE/connection', 'DATABASE on ⬢ shop', 2000)).toEqual({ port: 15400 });
    expect(err).toBe('');
  });

  it('says it waits when the answer takes a while, then done', async () => {
    answer = later(400, json({ port: 15400 }));
    expect(await addonConnection('/apps/shop/pg/DATABASE/connection', 'DATABASE on ⬢ shop', 50)).toEqual({ port: 15400 });
    expect(err).toBe('Waiting for DATABASE on ⬢ shop to accept connections... done\n');
  });

  it('ends the line with failed and throws the daemon\'s sentence when the add-on never gets ready', async () => {
    answer = later(400, json({ error: { message: 'postgresql-shop-1 did not accept connections within 60 s (its postgres server is starting)', hint: "see its server's output: minik logs --ps postgres -a shop" } }, 503));
    await expect(addonConnection('/apps/shop/pg/DATABASE/connection', 'DATABASE on ⬢ shop', 50)).rejects.toThrow('postgresql-shop-1 did not accept connections within 60 s');
    expect(err).toBe('Waiting for DATABASE on ⬢ shop to accept connections... failed\n');
  });
});
