import { describe, expect, it } from 'vitest';
import { ResponseParser, type ResponseSink } from '../../../src/router/response-parser.js';

interface Parsed {
  heads: { status: number; reason: string; headers: string[] }[];
  body: string;
  done: boolean;
  keepAlive: boolean;
  consumed: number;
  error: string;
}

/** Feeds `input` split into pieces of `step` bytes (0: whole); `eof` reports a closed connection at the end. */
function parse(input: string, step = 0, opts: { noBody?: boolean; eof?: boolean; maxHead?: number } = {}): Parsed {
  const out: Parsed = { heads: [], body: '', done: false, keepAlive: false, consumed: 0, error: '' };
  const sink: ResponseSink = {
    onResponseHead: (status, reason, headers) => out.heads.push({ status, reason, headers: [...headers] }),
    onResponseBody: (chunk) => { out.body += chunk.toString('latin1'); },
  };
  const p = new ResponseParser(sink, opts.maxHead);
  p.reset(opts.noBody ?? false);
  const buf = Buffer.from(input, 'latin1');
  const n = step || buf.length;
  for (let i = 0; i < buf.length && !p.done; i += n) {
    const piece = Buffer.from(buf.subarray(i, i + n)); // a copy: the parser must not rely on one backing buffer
    const used = p.execute(piece);
    if (used < 0) {
      out.error = p.error;
      return out;
    }
    out.consumed += used;
  }
  if (opts.eof) p.finish();
  out.done = p.done;
  out.keepAlive = p.keepAlive;
  return out;
}

/** Every split: whole, byte by byte, and a few sizes in between. */
const STEPS = [0, 1, 2, 3, 5, 7, 13];

describe('ResponseParser', () => {
  it.each(STEPS)('parses a Content-Length response (step %i)', (step) => {
    const r = parse('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\nHello, world!', step);
    expect(r.heads).toEqual([{ status: 200, reason: 'OK', headers: ['Content-Type', 'text/plain', 'Content-Length', '13'] }]);
    expect(r).toMatchObject({ body: 'Hello, world!', done: true, keepAlive: true, error: '' });
  });

  it.each(STEPS)('de-chunks a chunked body with extensions and trailers (step %i)', (step) => {
    const r = parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n' +
      '5;name=value\r\nhello\r\nA;a=b;c="d e"\r\n, chunked!\r\n0\r\nX-Sum: 1\r\n\r\n', step);
    expect(r.heads[0]!.headers).toEqual([]);
    expect(r).toMatchObject({ body: 'hello, chunked!', done: true, keepAlive: true });
  });

  it.each(STEPS)('keeps duplicate headers, header case and an empty reason (step %i)', (step) => {
    const r = parse('HTTP/1.1 201 \r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nX-Empty:\r\nX-Pad:  \tv \t\r\nContent-Length: 0\r\n\r\n', step);
    expect(r.heads[0]).toEqual({ status: 201, reason: '', headers: ['Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'X-Empty', '', 'X-Pad', 'v', 'Content-Length', '0'] });
    expect(r).toMatchObject({ done: true, keepAlive: true });
    expect(parse('HTTP/1.1 204\r\n\r\n', step).heads[0]).toMatchObject({ status: 204, reason: '' });
  });

  it('rejects a bare LF line end wherever it is, however the response is split (as llhttp)', () => {
    const inputs = [
      'HTTP/1.1 200 OK\nContent-Length: 3\n\nabc',
      // the head ends in LF LF and the body holds NUL and CRLFCRLF: the old fast path took the body into the head
      'HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\n\0\0\r\n\r\nxx',
      'HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 3\r\n\r\nabc',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX: 1\n\r\n',
    ];
    for (const input of inputs) for (const step of STEPS) expect(parse(input, step, { eof: true }).error, `${JSON.stringify(input)} step ${step}`).not.toBe('');
  });

  it.each(STEPS)('accepts a head followed by a body holding NUL and CRLFCRLF, however it is split (step %i)', (step) => {
    const r = parse('HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n\0\0\r\n\r\nxx', step);
    expect(r).toMatchObject({ body: '\0\0\r\n\r\nxx', done: true, error: '' });
  });

  it.each(STEPS)('skips CR and LF before a status line, as llhttp (step %i)', (step) => {
    const r = parse('\r\nHTTP/1.1 100 Continue\r\n\r\n\n\r\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', step);
    expect(r).toMatchObject({ body: 'ok', done: true, error: '' });
  });

  it.each(STEPS)('drops the headers the Connection header names, wherever they are (step %i)', (step) => {
    const r = parse('HTTP/1.1 200 OK\r\nX-Secret: 1\r\nConnection: keep-alive, X-Secret , x-other\r\nX-Other: 2\r\nX-Kept: 3\r\n' +
      'Content-Length: 0\r\n\r\n', step);
    expect(r.heads[0]!.headers).toEqual(['X-Kept', '3', 'Content-Length', '0']);
    expect(r).toMatchObject({ done: true, keepAlive: true });
    expect(parse('HTTP/1.1 200 OK\r\nConnection: X-A, close\r\nX-A: 1\r\nContent-Length: 0\r\n\r\n', step)).toMatchObject({ keepAlive: false });
  });

  it.each(STEPS)('keeps the transfer codings other than chunked on the relayed head (step %i)', (step) => {
    const r = parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\n\x1f\x8b\x08\r\n0\r\n\r\n', step);
    expect(r.heads[0]!.headers).toEqual(['Transfer-Encoding', 'gzip, chunked']);
    expect(r).toMatchObject({ body: '\x1f\x8b\x08', done: true, keepAlive: true });
    const split = parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: GZIP\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n', step);
    expect(split.heads[0]!.headers).toEqual(['Transfer-Encoding', 'gzip, chunked']);
    const plain = parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n', step);
    expect(plain.heads[0]!.headers).toEqual([]);
  });

  it.each(STEPS)('skips 100 Continue and 103 Early Hints (step %i)', (step) => {
    const r = parse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n' +
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', step);
    expect(r.heads).toEqual([{ status: 200, reason: 'OK', headers: ['Content-Length', '2'] }]);
    expect(r).toMatchObject({ body: 'ok', done: true });
  });

  it.each(STEPS)('reads a close-delimited HTTP/1.0 body until the connection ends (step %i)', (step) => {
    const open = parse('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end', step);
    expect(open).toMatchObject({ body: 'until the end', done: false });
    const closed = parse('HTTP/1.0 200 OK\r\n\r\nuntil the end', step, { eof: true });
    expect(closed).toMatchObject({ body: 'until the end', done: true, keepAlive: false });
    expect(parse('HTTP/1.1 200 OK\r\n\r\nno length', step, { eof: true })).toMatchObject({ body: 'no length', done: true, keepAlive: false });
  });

  it('a connection that ends before the response is complete does not complete it', () => {
    const p = new ResponseParser({ onResponseHead() {}, onResponseBody() {} });
    p.reset(false);
    p.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    expect(p.finish()).toBe(false);
  });

  it.each(STEPS)('reads no body for HEAD, 204 and 304, whatever the headers say (step %i)', (step) => {
    const head = parse('HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n', step, { noBody: true });
    expect(head).toMatchObject({ done: true, body: '', keepAlive: true });
    expect(head.heads[0]!.headers).toEqual(['Content-Length', '13']);
    expect(parse('HTTP/1.1 204 No Content\r\n\r\n', step)).toMatchObject({ done: true, keepAlive: true });
    expect(parse('HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n', step)).toMatchObject({ done: true, body: '' });
  });

  it('says the connection is not reusable after Connection: close, or for HTTP/1.0', () => {
    expect(parse('HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n')).toMatchObject({ done: true, keepAlive: false });
    expect(parse('HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\nContent-Length: 0\r\n\r\n').keepAlive).toBe(false);
    expect(parse('HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 0\r\n\r\n').keepAlive).toBe(true);
    expect(parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').keepAlive).toBe(false);
  });

  it('stops at the end of the response and reports surplus bytes', () => {
    const r = parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n');
    expect(r).toMatchObject({ body: 'ok', done: true });
    expect(r.consumed).toBe('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'.length);
  });

  it('treats a body whose last transfer coding is not chunked as close-delimited (RFC 9112 §6.3)', () => {
    const gzip = parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxyz', 0, { eof: true });
    expect(gzip).toMatchObject({ body: 'xyz', done: true, keepAlive: false });
    expect(gzip.heads[0]!.headers).toEqual(['Transfer-Encoding', 'gzip, chunked']); // node re-chunks what it relays
    const last = parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n1\r\nx', 0, { eof: true });
    expect(last).toMatchObject({ body: '1\r\nx', done: true, keepAlive: false });
  });

  it('de-chunks a chunked HTTP/1.0 response and does not reuse its connection (RFC 9112 §6.1)', () => {
    expect(parse('HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n')).toMatchObject({ body: 'x', done: true, keepAlive: false });
  });

  it.each([
    ['garbage status line', 'HTTP/2 200 OK\r\n\r\n'],
    ['non-HTTP status line', 'hello world\r\n\r\n'],
    ['two-digit status', 'HTTP/1.1 20 OK\r\n\r\n'],
    ['status without space', 'HTTP/1.1 200OK\r\n\r\n'],
    ['HTTP/1.2', 'HTTP/1.2 200 OK\r\n\r\n'],
    ['letters after the status', 'HTTP/1.1 200x OK\r\n\r\n'],
    ['a CR alone in the reason', 'HTTP/1.1 200 O\rK\r\n\r\n'],
    ['a control character in Keep-Alive (not relayed, so checked here)', 'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\u0001\r\n\r\n'],
    ['DEL in Transfer-Encoding', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\u007f\r\n\r\n'],
    ['a control character in a trailer', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: \u0001\r\n\r\n'],
    ['space before a chunk-size line end', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1 \r\nx\r\n0\r\n\r\n'],
    ['an empty chunk extension', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;\r\nx\r\n0\r\n\r\n'],
    ['a space in a chunk extension', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;a=b c\r\nx\r\n0\r\n\r\n'],
    ['a space before a trailer colon', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX : 1\r\n\r\n'],
    ['header without colon', 'HTTP/1.1 200 OK\r\nNoColon\r\n\r\n'],
    ['space in header name', 'HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n'],
    ['space before colon', 'HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\n'],
    ['obs-fold', 'HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\n\r\n'],
    ['bare CR in a value', 'HTTP/1.1 200 OK\r\nX-A: 1\r2\r\n\r\n'],
    ['NUL in a value', 'HTTP/1.1 200 OK\r\nX-A: 1\u00002\r\n\r\n'],
    ['bad Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n'],
    ['negative Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'],
    ['repeated Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx'],
    ['Content-Length with chunked', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['Transfer-Encoding with Content-Length', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 1\r\n\r\nx'],
    ['invalid chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['empty chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n'],
    ['huge chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000\r\n'],
    ['missing CRLF after chunk', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n'],
    ['101 without upgrade', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'],
  ])('rejects %s, however it is split', (_name, input) => {
    for (const step of STEPS) expect(parse(input, step).error, `step ${step}`).not.toBe('');
  });

  it('caps the head size', () => {
    const big = `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(2000)}\r\n\r\n`;
    expect(parse(big, 0, { maxHead: 1024 }).error).toMatch(/too large/);
    expect(parse(big, 100, { maxHead: 1024 }).error).toMatch(/too large/);
    expect(parse(big, 0, { maxHead: 4096 }).error).toBe('');
  });

  it('is reusable for the next response after reset', () => {
    const bodies: string[] = [];
    const p = new ResponseParser({ onResponseHead() {}, onResponseBody: (c) => { bodies.push(c.toString()); } });
    for (const text of ['one', 'two']) {
      p.reset(false);
      p.execute(Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n${text}`));
      expect(p.done).toBe(true);
    }
    expect(bodies).toEqual(['one', 'two']);
  });

  it('delivers nothing more once stopped', () => {
    let body = '';
    const p = new ResponseParser({ onResponseHead: () => p.stop(), onResponseBody: (c) => { body += c; } });
    p.reset(false);
    p.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc'));
    expect(body).toBe('');
    expect(p.keepAlive).toBe(false);
  });
});
