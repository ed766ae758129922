// Why: Heroku's log lines carry RFC 5424 times with microseconds; Date only has milliseconds. The line format
// `minik logs` prints (and the log files hold) is written and read here, so the two cannot drift apart.
import type { LogLine, LogSource } from './types.js';

let lastSecond = -1;
let lastPrefix = '';

/** The current time as 2026-11-23T08:00:00.677020+00:00 (the date part is formatted once per second). */
export function logTimestamp(nowMs: number = performance.timeOrigin + performance.now()): string {
  const micros = Math.floor(nowMs * 1000); // whole microseconds since the epoch
  const second = Math.floor(micros / 1_000_000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastPrefix = new Date(second * 1000).toISOString().slice(0, 20); // 2026-11-23T08:00:00.
  }
  const fraction = String(micros - second * 1_000_000);
  return `${lastPrefix}${'000000'.slice(fraction.length)}${fraction}+00:00`;
}

/** Formats a log line exactly as `minik logs` prints it. */
export function formatLogLine(line: { time: string; source: string; process: string; message: string }): string {
  return `${line.time} ${line.source}[${line.process}]: ${line.message}`;
}

/** time, source, `[process]: `; the message is the rest, whatever it holds (a CR, U+2028, `]: `). */
const HEAD = /^\S+ [A-Za-z0-9_-]+\[[^\]]*\]: /;

/**
 * A line formatLogLine wrote (without its newline) back as an object; null for text that is not one (a torn write).
 * Why the test, then slices: a capturing match made an array per line besides the strings (twice the time).
 */
export function parseLogLine(text: string): LogLine | null {
  if (!HEAD.test(text)) return null;
  const space = text.indexOf(' ');
  const open = text.indexOf('[', space);
  const close = text.indexOf(']', open);
  return { time: text.slice(0, space), source: text.slice(space + 1, open) as LogSource, process: text.slice(open + 1, close), message: text.slice(close + 3) };
}
