// Why: charts are small inline SVGs built from data (no chart library, nothing fetched from a CDN).
import { esc } from './html.js';

/** One line of a chart: its label, CSS class (colour) and points [x, y]. */
export interface Series {
  name: string;
  cls: string;
  points: Array<[number, number]>;
}

const W = 560;
const H = 140;
const PAD = 28;

/** A line chart over [from, to] with a 0-based y axis; `unit` labels the top value. */
export function lineChart(title: string, series: Series[], from: number, to: number, unit: string): string {
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const top = niceMax(ys.length ? Math.max(...ys) : 0);
  const x = (t: number) => PAD + ((t - from) / Math.max(1, to - from)) * (W - PAD - 4);
  const y = (v: number) => H - 16 - (v / top) * (H - 28);
  const lines = series.map((s) => {
    if (s.points.length === 0) return '';
    const d = s.points.map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    const dots = s.points.length === 1 ? `<circle class="${esc(s.cls)}" cx="${x(s.points[0]![0]).toFixed(1)}" cy="${y(s.points[0]![1]).toFixed(1)}" r="2.5"/>` : '';
    return `<path class="line ${esc(s.cls)}" d="${d}"/>${dots}`;
  }).join('');
  const legend = series.map((s) => `<span class="key ${esc(s.cls)}">${esc(s.name)}</span>`).join(' ');
  return `<figure class="chart"><figcaption>${esc(title)} ${legend}</figcaption>` +
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">` +
    `<line class="axis" x1="${PAD}" y1="${H - 16}" x2="${W - 4}" y2="${H - 16}"/>` +
    `<text class="tick" x="2" y="14">${esc(fmt(top))}${esc(unit)}</text><text class="tick" x="2" y="${H - 16}">0</text>` +
    `<text class="tick" x="${PAD}" y="${H - 2}">${esc(clock(from))}</text><text class="tick end" x="${W - 4}" y="${H - 2}">${esc(clock(to))}</text>` +
    `${lines}</svg></figure>`;
}

/** The smallest of 1, 2, 5 × 10^n at or above v (at least 1). */
export function niceMax(v: number): number {
  if (v <= 1) return 1;
  const e = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * e >= v) return m * e;
  return 10 * e;
}

function fmt(v: number): string {
  return v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : String(v);
}

function clock(t: number): string {
  return new Date(t).toISOString().slice(11, 16);
}
