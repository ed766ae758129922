// Why: Heroku's log lines carry RFC 5424 times with microseconds; Date only has milliseconds.

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
