// Differential fuzz: the same random and mutated responses go to minik's ResponseParser (fed in random splits) and to
// Node's own parser, llhttp (http.request against a raw TCP server writing the bytes in random pieces). Both must
// reach the same verdict, and on accept the same status, headers (as the router relays them) and body bytes.
// A verdict includes the relay: what either parser produced must also pass ServerResponse.writeHead, as in
// Exchange.onResponseHead (the parser leaves control characters in relayed values to that check, see its comment).
// Seeded, so a failure names the seed and case to replay: FUZZ_SEED=<seed> FUZZ_CASES=<n> npx vitest run <this file>.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseParser } from '../../../src/router/response-parser.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const CASES = Number(process.env.FUZZ_CASES ?? 600);

/** mulberry32: a small seeded PRNG, so every case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/**
 * Inputs left out, each a deliberate difference. A 101 answers an upgrade request only (ws.ts carries those; node's
 * client would wait for an 'upgrade' listener). A Transfer-Encoding value ending in HTAB: minik trims whitespace
 * (RFC 9110 §5.5, SP and HTAB alike) before reading the codings, llhttp's chunked matcher stops at the tab and reads
 * the body until close.
 */
const KNOWN_DIFFERENCES = [/^(?:[\r\n]*HTTP\/[\d.]+ 1\d\d[^\n]*\n(?:[^\n]*\n)*?\r\n)*[\r\n]*HTTP\/[\d.]+ 101/, /\ntransfer-encoding:[^\n]*\t\r?\n/i];

/** What a parser made of one response: a verdict and, on accept, what the router would relay. */
interface Verdict { ok: boolean; status?: number; headers?: string[]; body?: string }

const STATUSES = [200, 201, 204, 206, 301, 304, 404, 500, 503, 299, 599];
const NAMES = ['Content-Type', 'X-A', 'Set-Cookie', 'Cache-Control', 'ETag', 'Vary', 'x-b', 'Date', 'Server', 'X-Empty'];
const VALUES = ['text/plain', '1', 'a=1; Path=/', 'no-cache', '"abc"', 'Accept-Encoding', '', 'x y', 'v\tw', 'é'];
const BYTES = ['\r', '\n', '\0', ' ', '\t', ':', ';', ',', '0', '9', 'a', 'F', 'H', '-', '/', '.', '\x7f', '\x80', '\xff', '"'];

function body(r: Rand): string {
  let s = '';
  for (let n = int(r, 40); n > 0; n--) s += r() < 0.8 ? String.fromCharCode(97 + int(r, 26)) : pick(r, BYTES);
  return s;
}

/** A well-formed response of a random shape (length, chunked, close-delimited, 1xx first, no body). */
function validResponse(r: Rand): string {
  const eol = r() < 0.9 ? '\r\n' : '\n';
  const version = r() < 0.85 ? '1.1' : '1.0';
  const status = pick(r, STATUSES);
  let head = '';
  if (r() < 0.1) head += `HTTP/1.1 ${pick(r, [100, 102, 103])} Info${eol}${r() < 0.5 ? `Link: </a.css>${eol}` : ''}${eol}`;
  head += `HTTP/${version} ${status}${r() < 0.9 ? ` ${pick(r, ['OK', 'Not Found', 'Weird  reason', ''])}` : ''}${eol}`;
  for (let n = int(r, 4); n > 0; n--) head += `${pick(r, NAMES)}:${pick(r, ['', ' ', '  '])}${pick(r, VALUES)}${pick(r, ['', ' ', '\t'])}${eol}`;
  if (r() < 0.3) head += `Connection: ${pick(r, ['close', 'keep-alive', 'X-A', 'close, X-A', 'Keep-Alive, x-b', 'upgrade'])}${eol}`;
  if (r() < 0.15) head += `Keep-Alive: timeout=5${eol}`;
  const text = body(r);
  const framing = version === '1.0' ? int(r, 2) * 2 : int(r, 3);
  if (framing === 0) return `${head}Content-Length: ${text.length}${eol}${eol}${text}`;
  if (framing === 2) return `${head}${eol}${text}`; // until the connection closes
  const te = pick(r, ['chunked', 'chunked', 'gzip, chunked', 'Chunked']);
  let out = `${head}Transfer-Encoding: ${te}${eol}${eol}`;
  for (let i = 0; i < text.length;) {
    const n = 1 + int(r, 12);
    const piece = text.slice(i, i + n);
    i += piece.length;
    out += `${piece.length.toString(16)}${r() < 0.2 ? ';ext=1' : ''}\r\n${piece}\r\n`;
  }
  return `${out}0\r\n${r() < 0.3 ? 'X-Trailer: t\r\n' : ''}\r\n`;
}

/** 0–3 random byte, line and number mutations. */
function mutate(r: Rand, s: string): string {
  for (let n = int(r, 4); n > 0; n--) {
    const at = int(r, s.length + 1);
    switch (int(r, 6)) {
      case 0: s = s.slice(0, at) + pick(r, BYTES) + s.slice(at + 1); break;
      case 1: s = s.slice(0, at) + pick(r, BYTES) + s.slice(at); break;
      case 2: s = s.slice(0, at) + s.slice(at + 1 + int(r, 3)); break;
      case 3: s = s.replace(/\r\n/g, () => (r() < 0.3 ? '\n' : '\r\n')); break;
      case 4: { // duplicate one line
        const lines = s.split('\n');
        const i = int(r, lines.length);
        lines.splice(i, 0, lines[i]!);
        s = lines.join('\n');
        break;
      }
      default: s = s.replace(/\d+/, (d) => String(Math.max(0, Number(d) + pick(r, [-1, 1, 10])))); // a length or size
    }
  }
  return s;
}

/** Random cut points, as TCP might deliver the bytes. */
function splits(r: Rand, buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length;) {
    const n = r() < 0.3 ? 1 + int(r, 3) : 1 + int(r, buf.length);
    out.push(buf.subarray(i, i + n));
    i += n;
  }
  return out;
}

/** Headers as the router relays them, computed from llhttp's raw list. */
function relayed(raw: string[], hasBody: boolean): string[] {
  const named = new Set<string>();
  let te = '';
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'connection') for (const t of raw[i + 1]!.split(',')) named.add(t.trim().toLowerCase());
    if (name === 'transfer-encoding') te = te === '' ? raw[i + 1]! : `${te}, ${raw[i + 1]}`;
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (named.has(name) || ['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'trailer', 'transfer-encoding'].includes(name)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  const codings = te.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
  if (codings.at(-1) === 'chunked') codings.pop();
  if (codings.length > 0 && hasBody) out.push('Transfer-Encoding', `${codings.join(', ')}, chunked`);
  return out;
}

/** The check the router's relay makes: ServerResponse.writeHead accepts the status, reason and headers (else H17). */
function relayable(v: Verdict, reason: string): Verdict {
  if (!v.ok) return v;
  const res = new http.ServerResponse(new http.IncomingMessage(new net.Socket()));
  try {
    if (reason) res.writeHead(v.status!, reason, v.headers!);
    else res.writeHead(v.status!, v.headers!);
    return v;
  } catch {
    return { ok: false };
  } finally {
    res.destroy();
  }
}

/** minik's parser, fed `pieces`, then the end of the connection. */
function ours(pieces: Buffer[]): Verdict {
  let status = 0;
  let reason = '';
  let headers: string[] = [];
  const chunks: Buffer[] = [];
  const p = new ResponseParser({
    onResponseHead: (s, r, h) => { status = s; reason = r; headers = [...h]; },
    onResponseBody: (c) => { chunks.push(Buffer.from(c)); },
  });
  p.reset(false);
  for (const piece of pieces) {
    if (p.done) break;
    if (p.execute(piece) < 0) return { ok: false };
  }
  if (!p.done && !p.finish()) return { ok: false };
  return relayable({ ok: true, status, headers, body: Buffer.concat(chunks).toString('latin1') }, reason);
}

let server: net.Server;
let port: number;
/** Case id (the request path) → the pieces the raw server writes for it. */
const cases = new Map<string, Buffer[]>();
let nextId = 0;

/** llhttp, through node's HTTP client, against the raw server writing `pieces` then closing. */
function theirs(pieces: Buffer[]): Promise<Verdict> {
  const id = String(nextId++);
  cases.set(id, pieces);
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: `/${id}`, agent: false }, (res) => {
      // The verdict is llhttp's "message complete" (res.complete, set synchronously), not the later 'end': bytes
      // after a complete response make node fail the socket, as they make minik's router drop it.
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => {});
      res.on('close', () => resolve(res.complete
        ? relayable({ ok: true, status: res.statusCode!, headers: relayed(res.rawHeaders, res.statusCode !== 204 && res.statusCode !== 304),
          body: Buffer.concat(chunks).toString('latin1') }, res.statusMessage ?? '')
        : { ok: false }));
    });
    req.on('error', () => { if (!req.res) resolve({ ok: false }); });
    // A case node never finishes (it should not happen) fails the comparison instead of the test's timeout.
    req.setTimeout(5_000, () => { resolve({ ok: false, hung: true } as Verdict); req.destroy(); });
    req.end();
  });
}

beforeAll(async () => {
  server = net.createServer((s) => {
    s.setNoDelay(true);
    s.on('error', () => {});
    let head = '';
    let pieces: Buffer[] | undefined;
    let i = 0;
    const next = (): void => {
      if (i === pieces!.length) return void s.end();
      s.write(pieces![i++]!);
      setImmediate(next);
    };
    s.on('data', (c: Buffer) => {
      if (pieces) return;
      head += c.toString('latin1');
      const m = /^GET \/(\d+) /.exec(head);
      if (!m || !head.includes('\r\n\r\n')) return;
      pieces = cases.get(m[1]!)!;
      cases.delete(m[1]!);
      next();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('ResponseParser vs llhttp (differential fuzz)', () => {
  it(`agrees on ${CASES} random and mutated responses (seed ${SEED})`, async () => {
    const r = prng(SEED);
    const inputs = Array.from({ length: CASES }, () => {
      const valid = validResponse(r);
      return Buffer.from(r() < 0.3 ? valid : mutate(r, valid), 'latin1');
    }).filter((b) => !KNOWN_DIFFERENCES.some((re) => re.test(b.toString('latin1'))));
    const disagreements: string[] = [];
    let accepted = 0;
    for (let i = 0; i < inputs.length; i += 25) { // 25 at a time: each case is one connection
      const batch = inputs.slice(i, i + 25);
      const results = await Promise.all(batch.map((buf) => theirs(splits(r, buf))));
      batch.forEach((buf, j) => {
        const mine = ours(splits(r, buf));
        const node = results[j]!;
        if (node.ok) accepted++;
        try {
          expect(mine).toEqual(node);
        } catch {
          disagreements.push(`case ${i + j}: ${JSON.stringify(buf.toString('latin1'))}\n  minik ${JSON.stringify(mine)}\n  llhttp ${JSON.stringify(node)}`);
        }
      });
    }
    if (process.env.FUZZ_REPORT) console.log(`${disagreements.length} disagreements\n${disagreements.join('\n')}`);
    expect(disagreements.slice(0, 5).join('\n')).toBe('');
    expect(accepted).toBeGreaterThan(CASES / 4); // the generator must exercise accepted responses too
    expect(accepted).toBeLessThan(CASES); // … and rejected ones
  }, 60_000);
});
