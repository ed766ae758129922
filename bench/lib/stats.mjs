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
