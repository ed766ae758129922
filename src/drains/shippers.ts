// Why: one shipper per drain, each with its own buffer and loop, so a slow or dead destination only ever
// fills (and overflows) its own buffer; the LogHub's fan-out just pushes.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Drain } from '../core/metrics.js';
import type { LogLine } from '../core/types.js';
import { LineBuffer } from './buffer.js';
import { logplexFrame, octetFrame } from './frame.js';

/** Tunables; the defaults are Heroku's (≈100 KB or 1 s per batch, 3 tries). */
export interface ShipperOptions {
  batchBytes?: number;
  batchMs?: number;
  tries?: number;
  /** First retry delay; doubles per try. */
  backoffMs?: number;
  /** Per-request (HTTP) or connect (TCP) timeout. */
  timeoutMs?: number;
}

const DEFAULTS: Required<ShipperOptions> = { batchBytes: 100_000, batchMs: 1000, tries: 3, backoffMs: 500, timeoutMs: 5000 };

/** What the drain manager holds per drain. */
export interface Shipper {
  readonly drain: Drain;
  push(line: LogLine): void;
  close(): void;
}

/** A shipper for an http(s):// or syslog:// drain. */
export function createShipper(drain: Drain, opts: ShipperOptions = {}): Shipper {
  const o = { ...DEFAULTS, ...opts };
  return new URL(drain.url).protocol === 'syslog:' ? new SyslogShipper(drain, o) : new HttpShipper(drain, o);
}

abstract class Base implements Shipper {
  readonly buffer = new LineBuffer();
  protected closed = false;

  constructor(readonly drain: Drain, protected readonly o: Required<ShipperOptions>) {
    void this.loop();
  }

  push(line: LogLine): void {
    this.buffer.push(line);
  }

  close(): void {
    this.closed = true;
    this.buffer.wake();
  }

  /** Waits for a first line, then up to batchMs for more (or until batchBytes are waiting); then a batch. */
  protected async nextBatch(frame: (l: LogLine) => string): Promise<string[] | null> {
    while (!this.closed && !this.buffer.pending) await this.buffer.wait(1000);
    const until = Date.now() + this.o.batchMs;
    while (!this.closed && Date.now() < until && this.buffer.bytes < this.o.batchBytes) await sleep(Math.min(50, this.o.batchMs));
    if (this.closed) return null;
    let bytes = 0;
    const lines = this.buffer.take((l) => (bytes += Buffer.byteLength(frame(l))) <= this.o.batchBytes);
    return lines.map(frame);
  }

  protected abstract loop(): Promise<void>;
}

/** Logplex over HTTP(S): POST application/logplex-1, the same Frame-Id on every try of a batch. */
class HttpShipper extends Base {
  protected async loop(): Promise<void> {
    for (;;) {
      const frames = await this.nextBatch(logplexFrame);
      if (frames === null) return;
      const frameId = randomBytes(16).toString('hex');
      for (let attempt = 1; attempt <= this.o.tries && !this.closed; attempt++) {
        if (await this.post(frames, frameId)) break;
        if (attempt < this.o.tries) await sleep(this.o.backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  private post(frames: string[], frameId: string): Promise<boolean> {
    const url = new URL(this.drain.url);
    const body = frames.join('');
    const headers = {
      'content-type': 'application/logplex-1',
      'content-length': Buffer.byteLength(body),
      'logplex-msg-count': frames.length,
      'logplex-frame-id': frameId,
      'logplex-drain-token': this.drain.token,
      'user-agent': 'minik-logplex',
    };
    const auth = url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
    return new Promise((resolve) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, { method: 'POST', headers, auth, timeout: this.o.timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
        res.on('error', () => resolve(false));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(false));
      req.end(body);
    });
  }
}

/** syslog:// over TCP with RFC 6587 octet counting; reconnects with back-off, lines wait in the buffer meanwhile. */
class SyslogShipper extends Base {
  private socket: Socket | null = null;

  override close(): void {
    super.close();
    this.socket?.destroy();
  }

  protected async loop(): Promise<void> {
    let delay = this.o.backoffMs;
    for (;;) {
      while (!this.closed && !this.buffer.pending) await this.buffer.wait(1000);
      if (this.closed) return;
      const s = this.socket ?? (await this.connect());
      if (!s) {
        await sleep(delay);
        delay = Math.min(delay * 2, 30_000);
        continue;
      }
      delay = this.o.backoffMs;
      const frames = await this.nextBatch(octetFrame);
      if (frames === null) return;
      if (!s.write(frames.join(''))) await new Promise((r) => { s.once('drain', r); s.once('close', r); });
    }
  }

  private connect(): Promise<Socket | null> {
    const url = new URL(this.drain.url);
    return new Promise((resolve) => {
      const s = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 514), timeout: this.o.timeoutMs });
      s.once('connect', () => {
        s.setTimeout(0);
        this.socket = s;
        s.once('close', () => { if (this.socket === s) this.socket = null; });
        resolve(s);
      });
      s.once('timeout', () => s.destroy());
      s.on('error', () => { if (this.socket === s) this.socket = null; resolve(null); });
      s.once('close', () => resolve(null));
    });
  }
}
