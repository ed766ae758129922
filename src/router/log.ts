// Why: router lines read exactly like Heroku's, so people can grep them the way they grep Heroku's logs.
import { ROUTER_ERRORS, type RouterErrorCode } from './errors.js';

/** The facts of one finished request; null/negative numbers mean "unknown" and print empty. */
export interface RequestFacts {
  code: RouterErrorCode | 'no_such_app' | null;
  method: string;
  path: string;
  host: string;
  requestId: string;
  fwd: string;
  dyno: string;
  /** ms, or -1 when no dyno was contacted. */
  connectMs: number;
  /** ms, or -1 when no dyno was contacted. */
  serviceMs: number;
  status: number;
  /** Response body bytes relayed from the dyno, or -1 when no dyno was contacted. */
  bytes: number;
  protocol: string;
}

/** Why: one formatter for info and error lines keeps their field order identical. */
export function formatRouterLine(f: RequestFacts): string {
  const head = f.code === null
    ? 'at=info'
    : f.code === 'no_such_app'
      ? 'at=error code=no_such_app desc="No such app"'
      : `at=error code=${f.code} desc="${ROUTER_ERRORS[f.code].desc}"`;
  return `${head} method=${f.method} path="${quoted(f.path)}" host=${bare(f.host)} request_id=${f.requestId}` +
    ` fwd="${quoted(f.fwd)}" dyno=${f.dyno} connect=${ms(f.connectMs)} service=${ms(f.serviceMs)}` +
    ` status=${f.status} bytes=${f.bytes < 0 ? '' : f.bytes} protocol=${f.protocol}`;
}

function ms(n: number): string {
  return n < 0 ? '' : `${n}ms`;
}

/** Escapes `"` and `\` so a crafted path cannot forge fields. */
function quoted(s: string): string {
  return s.includes('"') || s.includes('\\') ? s.replace(/["\\]/g, '\\$&') : s;
}

/** A host is printed bare; anything that could split the line is replaced. */
function bare(s: string): string {
  return /[\s"]/.test(s) ? s.replace(/[\s"]/g, '_') : s;
}
