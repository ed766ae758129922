// Why: Heroku's log lines carry RFC 5424 times with microseconds; Date only has milliseconds.

/** The current time as 2026-11-23T08:00:00.677020+00:00. */
export function logTimestamp(nowMs: number = performance.timeOrigin + performance.now()): string {
  const ms = Math.floor(nowMs);
  const micros = Math.floor((nowMs - ms) * 1000);
  const iso = new Date(ms).toISOString(); // 2026-11-23T08:00:00.677Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}+00:00`;
}

/** Formats a log line exactly as `minik logs` prints it. */
export function formatLogLine(line: { time: string; source: string; process: string; message: string }): string {
  return `${line.time} ${line.source}[${line.process}]: ${line.message}`;
}
