// Small statistics over repetitions: median, min, max, relative spread.

/** Median of finite numbers, NaN for none. */
export function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** {median, min, max, n, spreadPct} of a sample: spread = (max − min) / median. */
export function summary(xs) {
  const s = xs.filter(Number.isFinite);
  const med = median(s);
  const min = s.length ? Math.min(...s) : NaN;
  const max = s.length ? Math.max(...s) : NaN;
  return { median: med, min, max, n: s.length, spreadPct: med ? ((max - min) / Math.abs(med)) * 100 : NaN };
}

/** One number per round from per-round samples (objects, or numbers when `key` is omitted); NaN where a round failed. */
export function column(rounds = [], key) {
  return Array.from(rounds, (x) => (key === undefined ? x : x?.[key]) ?? NaN);
}

/**
 * Per-round values f(a[i], b[i]) over the rounds where both have a finite sample. Rounds are interleaved, so a
 * per-round ratio or difference cancels the machine's slow drifts that a ratio of two medians would keep.
 */
export function paired(a = [], b = [], f) {
  const out = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) out.push(f(a[i], b[i]));
  return out;
}
