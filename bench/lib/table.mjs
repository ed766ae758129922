// Formatting figures and printing the one results table, then the noise lines.

/** Number formatters, each returning a short string with its unit ('n/a' for non-numbers). */
export const fmt = {
  rps: (x) => ok(x) ? (x >= 1000 ? `${(x / 1000).toFixed(1)}k req/s` : `${x.toFixed(0)} req/s`) : 'n/a',
  ms: (x, digits = x < 1 ? 3 : 2) => ok(x) ? `${x.toFixed(digits)} ms` : 'n/a',
  s: (ms) => ok(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a',
  mb: (bytes) => ok(bytes) ? `${(bytes / 1048576).toFixed(1)} MB` : 'n/a',
  ratio: (x) => ok(x) ? `${x.toFixed(x < 1 ? 3 : 2)}×` : 'n/a',
  signedMs: (x) => ok(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(3)} ms` : 'n/a',
};
function ok(x) { return typeof x === 'number' && Number.isFinite(x); }

/** True/false when `value op limit` can be judged, null otherwise. */
export function meets(value, op, limit) {
  if (!ok(value)) return null;
  return op === '<=' ? value <= limit : value >= limit;
}

/** A row that could not be measured, with the reason. */
export function naRow(metric, reason, goal = '') {
  return { metric, minik: 'n/a', reference: '', ratio: '', goal, ok: null, note: reason };
}

/** "name median (min–max, spread%)" for one series of repetitions; the unit is written once. */
export function noiseOf(name, s, format) {
  if (!s || !s.n) return `${name} n/a`;
  if (s.n === 1) return `${name} ${format(s.median)} (1 run)`;
  const lo = format(s.min), hi = format(s.max);
  const unit = hi.includes(' ') ? hi.slice(hi.indexOf(' ')) : '';
  const range = `${unit && lo.endsWith(unit) ? lo.slice(0, -unit.length) : lo}–${hi}`;
  return `${name} ${format(s.median)} (${range}, spread ${s.spreadPct.toFixed(0)}%, n=${s.n})`;
}

/** Prints the table (metric | minik | reference | ratio | goal | ok), then noise and n/a notes. */
export function printTable(rows, { title, out = console.log } = {}) {
  const cols = ['metric', 'minik', 'reference', 'ratio', 'goal', 'ok'];
  const cells = rows.map((r) => cols.map((c) => c === 'ok' ? mark(r.ok) : String(r[c] ?? '')));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals) => vals.map((v, i) => v.padEnd(widths[i])).join(' | ').trimEnd();
  if (title) out(title);
  out(line(cols));
  out(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of cells) out(line(row));
  const noise = rows.filter((r) => r.noise);
  if (noise.length) {
    out('');
    out('noise (median, min–max over repetitions):');
    for (const r of noise) out(`  ${r.metric}: ${r.noise}`);
  }
  const notes = rows.filter((r) => r.note);
  if (notes.length) {
    out('');
    out('notes:');
    for (const r of notes) out(`  ${r.metric}: ${r.note}`);
  }
}

function mark(v) { return v === true ? '✓' : v === false ? '✗' : v === 'info' ? 'info' : '–'; }
