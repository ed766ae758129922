// Why: every command prints through these helpers, so output reads like Heroku's everywhere:
// aligned tables, `=== title` sections, aligned key/value blocks, `--json` for scripts.
import { padEnd, visibleWidth, type Palette } from './color.js';

/** Aligned columns, two spaces apart, under a header line and a dim rule; trailing spaces trimmed. */
export function table(headers: string[], rows: string[][], p: Palette): string {
  const widths = headers.map((h, i) => Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i]!))).join('  ').trimEnd();
  const header = line(headers.map((h, i) => padEnd(h ? p.bold(h) : h, widths[i]!)));
  const rule = p.dim(widths.map((w) => '─'.repeat(w)).join('  '));
  return [header, rule, ...rows.map((r) => line(headers.map((_, i) => r[i] ?? '')))].join('\n');
}

/** A Heroku-style section header: `=== title`. */
export function section(title: string, p: Palette): string {
  return p.bold(`=== ${title}`);
}

/** `Key: value` lines with the values aligned; continuation lines of multi-line values are indented. */
export function keyValues(pairs: Array<[string, string | number | null | undefined]>, p: Palette): string {
  const width = Math.max(0, ...pairs.map(([k]) => visibleWidth(k) + 1));
  return pairs
    .map(([k, v]) => {
      const [first = '', ...rest] = String(v ?? '').split('\n');
      const head = `${padEnd(p.bold(`${k}:`), width)} ${first}`.trimEnd();
      return [head, ...rest.map((l) => `${' '.repeat(width + 1)}${l}`)].join('\n');
    })
    .join('\n');
}

/** The app as Heroku names it in messages: `⬢ myapp`. */
export function appLabel(app: string, p: Palette): string {
  return p.magenta(`⬢ ${app}`);
}

/** "A", "A and B", "A, B and C". */
export function joinAnd(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A compact span: 45s, 3m, 2h, 5d. */
export function shortSpan(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** "3m ago" for a past time, "in 8s" for a future one; '' when the time does not parse. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const diff = (now - t) / 1000;
  return diff >= 0 ? `${shortSpan(diff)} ago` : `in ${shortSpan(-diff)}`;
}

/** "2026-11-23T08:00:00Z (3m ago)". */
export function isoWithAgo(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')} (${relativeTime(iso, now)})`;
}

/** An uptime: "45s", "3m 20s", "2h 5m", "3d 4h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const [d, h, m] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60)];
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** Bytes in binary units as people read them: "512 B", "1.5 KB", "48 MB". */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) [value, i] = [value / 1024, i + 1];
  const shown = i > 0 && value < 10 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${shown} ${units[i]}`;
}

/** `--json` output: the API's data, pretty-printed, nothing else on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints lines to stdout (the command's output, as opposed to progress on stderr). */
export function print(text = ''): void {
  process.stdout.write(`${text}\n`);
}
