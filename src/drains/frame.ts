// Why: Heroku's drain formats exactly: a syslog (RFC 5424) message per line, octet-counted (RFC 6587).
import type { LogLine } from '../core/types.js';

/** Why: app output is local7.info (<190>) and platform lines local3.info (<158>), as logplex sends them. */
const PRI = { app: 190, minik: 158 } as const;

/** `<PRI>1 <time> host <app|heroku> <web.1|router> - <msg>` (no newline). */
export function syslogMessage(line: LogLine): string {
  const appName = line.source === 'app' ? 'app' : 'heroku';
  const procid = line.process.replace(/[^\x21-\x7e]/g, '_') || '-';
  return `<${PRI[line.source]}>1 ${line.time} host ${appName} ${procid} - ${line.message}`;
}

/** A logplex frame for HTTP drains: `<len> <msg>\n`, len counting the bytes after the space including the newline. */
export function logplexFrame(line: LogLine): string {
  const body = `${syslogMessage(line)}\n`;
  return `${Buffer.byteLength(body)} ${body}`;
}

/** An RFC 6587 octet-counted frame for syslog:// (TCP) drains: `<len> <msg>`. */
export function octetFrame(line: LogLine): string {
  const body = syslogMessage(line);
  return `${Buffer.byteLength(body)} ${body}`;
}
