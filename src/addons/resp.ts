// Why: the daemon speaks to Redis for three things only (PING, INFO, SHUTDOWN SAVE); a few lines of RESP spare it
// a client library and the redis-cli binary.
import { connect } from 'node:net';

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** One parsed reply: a string (simple, bulk or integer), an Error for `-ERR`, null for a nil bulk. */
type Reply = string | Error | null;

/** Parses complete replies from the front of `buf`; returns them and how many bytes they used. */
export function parseReplies(buf: Buffer): { replies: Reply[]; used: number } {
  const replies: Reply[] = [];
  let pos = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', pos);
    if (eol < 0) break;
    const type = String.fromCharCode(buf[pos]!);
    const line = buf.toString('utf8', pos + 1, eol);
    if (type === '$') {
      const len = Number(line);
      if (len < 0) { replies.push(null); pos = eol + 2; continue; }
      if (buf.length < eol + 2 + len + 2) break;
      replies.push(buf.toString('utf8', eol + 2, eol + 2 + len));
      pos = eol + 2 + len + 2;
      continue;
    }
    replies.push(type === '-' ? new Error(line) : line);
    pos = eol + 2;
  }
  return { replies, used: pos };
}

/**
 * Sends AUTH then `args` to 127.0.0.1:port and resolves with the command's reply. A connection closed without a
 * reply resolves null (what SHUTDOWN does on success); an -ERR reply rejects.
 */
export function redisCommand(port: number, password: string, args: string[], timeoutMs = 5000): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    const replies: Reply[] = [];
    const finish = (fn: () => void) => { sock.destroy(); clearTimeout(timer); fn(); };
    const timer = setTimeout(() => finish(() => reject(new Error(`redis on port ${port} did not answer ${args[0]} within ${timeoutMs} ms`))), timeoutMs);
    sock.on('connect', () => sock.write(encodeCommand(['AUTH', password]) + encodeCommand(args)));
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const { replies: got, used } = parseReplies(buf);
      buf = buf.subarray(used);
      replies.push(...got);
      if (replies[0] instanceof Error) return finish(() => reject(replies[0]));
      if (replies.length >= 2) finish(() => (replies[1] instanceof Error ? reject(replies[1]) : resolve(replies[1] as string | null)));
    });
    sock.on('error', (err) => finish(() => reject(err)));
    sock.on('close', () => finish(() => resolve(null)));
  });
}

/** INFO's `key:value` lines as an object. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
