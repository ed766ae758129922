// Why: Heroku's log lines carry RFC 5424 times with microseconds; Date only has milliseconds.

let lastMs = -1;
let lastPrefix = '';

/** The current time as 2026-11-23T08:00:00.677020+00:00 (the date part is formatted once per millisecond). */
export function logTimestamp(nowMs: number = performance.timeOrigin + performance.now()): string {
  const ms = Math.floor(nowMs);
  if (ms !== lastMs) {
    lastMs = ms;
    lastPrefix = new Date(ms).toISOString().slice(0, 23); // 2026-11-23T08:00:00.677
  }
  const micros = Math.floor((nowMs - ms) * 1000);
  return `${lastPrefix}${micros < 10 ? '00' : micros < 100 ? '0' : ''}${micros}+00:00`;
}

/** Formats a log line exactly as `minik logs` prints it. */
export function formatLogLine(line: { time: string; source: string; process: string; message: string }): string {
  return `${line.time} ${line.source}[${line.process}]: ${line.message}`;
}
