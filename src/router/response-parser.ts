// Why: the router reads dyno responses off raw keep-alive sockets (upstream.ts), so it needs a small, strict,
// streaming HTTP/1.x response parser: fed any chunk split (even byte by byte), it reports the final head and the
// de-chunked body, skips 1xx responses, and says whether the connection may carry another request.
// With the relay after it, it accepts and rejects what Node's own parser (llhttp, strict mode) does, which
// test/unit/router/response-fuzz.test.ts checks on random and mutated responses: every line ends in CRLF (a bare LF is
// an error, as in llhttp), so the end of a head is always its first CRLFCRLF, whatever the TCP split. Control
// characters in the reason and in relayed header values are left to node's writeHead, which refuses them anyway (the
// router answers H17): checking them here too would scan every head twice. Headers the parser keeps to itself
// (framing, Connection, Keep-Alive, …) and trailers are checked here.

import { TOKEN, hasCtl, lastCoding, parseChunkSize, relayedCodings, withoutNamed } from './response-fields.js';

/** Why: where the parser delivers a response; called synchronously from execute(). */
export interface ResponseSink {
  /** The final (non-1xx) head; `headers` is a flat [name, value, …] list, case kept, connection-level ones left out. */
  onResponseHead(status: number, reason: string, headers: string[]): void;
  /** A piece of the (de-chunked) body; a view of the input chunk, valid only during the call. */
  onResponseBody(chunk: Buffer): void;
}

/** A response head (and a chunk-size line, and trailers) may not exceed this many bytes. */
export const MAX_HEAD = 64 * 1024;

const HEAD = 0, BODY_LENGTH = 1, CHUNK_SIZE = 2, CHUNK_DATA = 3, CHUNK_END = 4, TRAILERS = 5, BODY_EOF = 6,
  DONE = 7, ERROR = 8;
const END_OF_HEAD = Buffer.from('\r\n\r\n', 'latin1');

/** Why: one parser per dyno connection, reset for each request; see the module comment. */
export class ResponseParser {
  /** Why the response was rejected, once execute() returned -1. */
  error = '';
  /** The connection may carry another request after this response (valid once done). */
  keepAlive = false;
  /** The final head was delivered. */
  headDone = false;
  private state = DONE;
  private noBody = false;
  private partial = '';
  private size = 0;
  private remaining = 0;
  /** -1 until the status line was read. */
  private status = -1;
  /** HTTP/1.1 (the one version whose connections stay open by default). */
  private http11 = true;
  private reason = '';
  private headers: string[] = [];
  private contentLength = -1;
  /** The Transfer-Encoding values, lower case, joined with ','; `hasTe` even when they are empty. */
  private te = '';
  private hasTe = false;
  private close = false;
  /** Lower-case header names the Connection header lists (hop-by-hop, RFC 9110 §7.6.1), or null. */
  private named: string[] | null = null;

  constructor(private readonly sink: ResponseSink, private readonly maxHead = MAX_HEAD) {}

  /** Why: prepares for the response to the next request; `noBody` for HEAD requests. */
  reset(noBody: boolean): void {
    this.noBody = noBody;
    this.headDone = false;
    this.keepAlive = false;
    this.error = '';
    this.startHead();
  }

  /** True once the response is complete (then execute() consumes nothing more). */
  get done(): boolean { return this.state === DONE; }

  /** Why: true while the body runs until the connection closes (no length, no chunking). */
  get untilClose(): boolean { return this.state === BODY_EOF; }

  /** Why: stops delivering (the receiver gave up on this response); the connection is not reusable. */
  stop(): void {
    this.state = DONE;
    this.keepAlive = false;
  }

  /** Why: parses `chunk`; returns how many bytes belong to this response (the rest is surplus), or -1 on error. */
  execute(chunk: Buffer): number {
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      switch (this.state) {
        case HEAD:
          if (this.partial !== '' || this.status !== -1) pos = this.readLine(chunk, pos);
          else if (chunk[pos] === 13 || chunk[pos] === 10) pos = this.skipEmpty(chunk, pos);
          else pos = this.wholeHead(chunk, pos);
          break;
        case CHUNK_SIZE: case CHUNK_END: case TRAILERS: pos = this.readLine(chunk, pos); break;
        case BODY_LENGTH: case CHUNK_DATA: pos = this.body(chunk, pos, this.remaining); break;
        case BODY_EOF: pos = this.body(chunk, pos, len - pos); break;
        default: return this.state === ERROR ? -1 : pos;
      }
    }
    return this.state === ERROR ? -1 : pos;
  }

  /** Why: the connection ended; true if that completes the response (a body delimited by the close). */
  finish(): boolean {
    if (this.state === BODY_EOF) this.state = DONE;
    return this.state === DONE;
  }

  private body(chunk: Buffer, pos: number, want: number): number {
    const avail = chunk.length - pos;
    const take = want < avail ? want : avail;
    this.sink.onResponseBody(pos === 0 && take === avail ? chunk : chunk.subarray(pos, pos + take));
    if (this.state === BODY_EOF) return pos + take;
    this.remaining -= take;
    if (this.remaining === 0) {
      if (this.state === BODY_LENGTH) this.state = DONE;
      else if (this.state === CHUNK_DATA) this.enter(CHUNK_END);
    }
    return pos + take;
  }

  /** Why: CR and LF bytes before a status line are skipped, as llhttp does (stray line ends after a 1xx or a body). */
  private skipEmpty(chunk: Buffer, pos: number): number {
    const start = pos;
    while (pos < chunk.length && (chunk[pos] === 13 || chunk[pos] === 10)) pos++;
    this.size += pos - start;
    return this.size > this.maxHead ? this.fail('head too large') : pos;
  }

  /** Fast path: a head that lies whole in `chunk` is decoded with one toString. */
  private wholeHead(chunk: Buffer, pos: number): number {
    const end = chunk.indexOf(END_OF_HEAD, pos);
    if (end === -1 || end + 4 - pos > this.maxHead) return this.readLine(chunk, pos);
    const text = chunk.toString('latin1', pos, end + 4); // latin1: 1 char = 1 byte
    if (text.indexOf('\0') !== -1) return this.fail('NUL in the head');
    let from = 0;
    do { // ends at the first empty line, the one END_OF_HEAD closes
      const nl = text.indexOf('\n', from);
      if (text.charCodeAt(nl - 1) !== 13) return this.fail('LF without CR');
      const line = text.slice(from, nl - 1);
      from = nl + 1;
      if (line.indexOf('\r') !== -1) return this.fail('CR alone in the head');
      this.onLine(line);
      if (line === '' && this.state !== ERROR) return pos + from;
    } while (this.state === HEAD);
    return this.state === ERROR ? -1 : pos + from;
  }

  /** Reads one CRLF-ended line and hands it on; a partial line is kept for the next chunk. */
  private readLine(chunk: Buffer, pos: number): number {
    const nl = chunk.indexOf(10, pos);
    const end = nl === -1 ? chunk.length : nl;
    this.size += end - pos + 1;
    if (this.size > this.maxHead) return this.fail('head too large');
    const piece = chunk.toString('latin1', pos, end);
    if (nl === -1) {
      this.partial += piece;
      return end;
    }
    let line = this.partial === '' ? piece : this.partial + piece;
    this.partial = '';
    if (line.charCodeAt(line.length - 1) !== 13) return this.fail('LF without CR');
    line = line.slice(0, -1);
    if (line.indexOf('\r') !== -1 || line.indexOf('\0') !== -1) return this.fail('CR or NUL in a line');
    this.onLine(line);
    return nl + 1;
  }

  private onLine(line: string): void {
    switch (this.state) {
      case HEAD:
        if (this.status === -1) this.statusLine(line);
        else if (line === '') this.endHead();
        else this.headerLine(line);
        return;
      case CHUNK_SIZE: return this.chunkSize(line);
      case CHUNK_END:
        if (line === '') this.enter(CHUNK_SIZE);
        else this.fail('no CRLF after chunk data');
        return;
      default: // TRAILERS: checked for shape, then dropped (node's relay did not forward them either)
        if (line === '') this.state = DONE;
        else {
          const colon = line.indexOf(':');
          if (colon <= 0 || !TOKEN.test(line.slice(0, colon)) || hasCtl(line)) this.fail('invalid trailer');
        }
    }
  }

  /** `HTTP/x.y NNN[ reason]`: the versions llhttp knows (0.9, 1.0, 1.1, 2.0) and any three digits, as llhttp. */
  private statusLine(line: string): void {
    const major = line.charCodeAt(5) - 48, minor = line.charCodeAt(7) - 48;
    const d1 = line.charCodeAt(9) - 48, d2 = line.charCodeAt(10) - 48, d3 = line.charCodeAt(11) - 48;
    const ok = line.startsWith('HTTP/') && line.charCodeAt(6) === 46 &&
      ((major === 1 && (minor === 0 || minor === 1)) || (major === 0 && minor === 9) || (major === 2 && minor === 0)) &&
      line.charCodeAt(8) === 32 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9 &&
      (line.length === 12 || line.charCodeAt(12) === 32);
    if (!ok) return void this.fail('invalid status line');
    this.http11 = major === 1 && minor === 1;
    this.status = d1 * 100 + d2 * 10 + d3;
    this.reason = line.length > 13 ? line.slice(13) : '';
  }

  private headerLine(line: string): void {
    const colon = line.indexOf(':');
    if (colon <= 0) return void this.fail('invalid header line');
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return void this.fail('invalid header name');
    let a = colon + 1, b = line.length;
    while (a < b && (line.charCodeAt(a) === 32 || line.charCodeAt(a) === 9)) a++;
    while (b > a && (line.charCodeAt(b - 1) === 32 || line.charCodeAt(b - 1) === 9)) b--;
    const value = line.slice(a, b);
    const n = name.length;
    if (n === 7 || n === 10 || n === 14 || n === 16 || n === 17) {
      if (this.special(name.toLowerCase(), value)) return;
    }
    this.headers.push(name, value);
  }

  /** Framing and connection headers: interpreted, and checked here since they are not relayed; true when the header stays out of `headers`. */
  private special(lower: string, value: string): boolean {
    switch (lower) {
      case 'content-length':
        if (this.contentLength !== -1 || !/^\d{1,15}$/.test(value)) this.fail('invalid or repeated Content-Length');
        else this.contentLength = Number(value);
        return false;
      case 'transfer-encoding':
        if (hasCtl(value)) break;
        this.te = this.hasTe ? `${this.te},${value.toLowerCase()}` : value.toLowerCase();
        this.hasTe = true;
        return true;
      case 'connection':
        if (hasCtl(value)) break;
        this.connection(value.toLowerCase());
        return true;
      case 'keep-alive': case 'proxy-connection': case 'upgrade': case 'trailer':
        if (hasCtl(value)) break;
        return true;
      default:
        return false;
    }
    this.fail('control character in a header value');
    return true;
  }

  /** `close` ends the connection after this response; other names but keep-alive are hop-by-hop headers to drop. */
  private connection(value: string): void {
    if (value === 'keep-alive') return;
    if (value === 'close') return void (this.close = true);
    for (const part of value.split(',')) {
      const token = part.trim();
      if (token === 'close') this.close = true;
      else if (token !== 'keep-alive' && token !== '') (this.named ??= []).push(token);
    }
  }

  private endHead(): void {
    const status = this.status;
    if (status >= 100 && status < 200) {
      if (status === 101) this.fail('101 without an upgrade request');
      else this.startHead(); // 100 Continue, 102, 103 Early Hints: skipped; the real response follows
      return;
    }
    let next = DONE;
    if (!this.noBody && status !== 204 && status !== 304) {
      if (this.hasTe) next = this.framing();
      else if (this.contentLength > 0) next = BODY_LENGTH;
      else if (this.contentLength === -1) next = BODY_EOF;
    }
    if (this.state === ERROR) return;
    if (this.named !== null) this.headers = withoutNamed(this.headers, this.named);
    if (next !== DONE && this.hasTe && this.te !== 'chunked') { // the client must still undo `gzip` in `gzip, chunked`
      const codings = relayedCodings(this.te);
      if (codings !== null) this.headers.push('Transfer-Encoding', codings);
    }
    this.keepAlive = this.http11 && !this.close && next !== BODY_EOF;
    this.headDone = true;
    this.remaining = this.contentLength;
    this.enter(next);
    this.sink.onResponseHead(status, this.reason, this.headers);
  }

  /**
   * Transfer-Encoding with chunked last → chunked; anything else → until close; with Content-Length → error
   * (RFC 9112 §6.3, as llhttp; HTTP/1.0 included, whose connection is then not reused).
   */
  private framing(): number {
    if (this.contentLength !== -1) return this.fail('Transfer-Encoding with Content-Length');
    if (this.te === 'chunked') return CHUNK_SIZE;
    return lastCoding(this.te) === 'chunked' ? CHUNK_SIZE : BODY_EOF;
  }

  private chunkSize(line: string): void {
    const size = parseChunkSize(line);
    if (size < 0) return void this.fail('invalid chunk size');
    if (size === 0) this.enter(TRAILERS);
    else {
      this.remaining = size;
      this.enter(CHUNK_DATA);
    }
  }

  private startHead(): void {
    this.enter(HEAD);
    this.status = -1;
    this.reason = '';
    this.headers = [];
    this.contentLength = -1;
    this.te = '';
    this.hasTe = false;
    this.close = false;
    this.named = null;
  }

  private enter(state: number): void {
    this.state = state;
    this.size = 0; // each line-read section (head, chunk-size line, trailers) gets its own MAX_HEAD
    this.partial = '';
  }

  private fail(why: string): number {
    this.state = ERROR;
    this.error = why;
    this.keepAlive = false;
    return -1;
  }
}
