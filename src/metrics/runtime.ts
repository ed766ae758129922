// Why: Heroku's log-runtime-metrics lines, so tools that parse `sample#…` from Heroku logs read minik's too.

/** Per-dyno load averages. Why: a dyno has no kernel load average of its own, so it is derived from its
 * process tree's CPU (runnable cores = cpu% / 100), smoothed like the kernel's over 1, 5 and 15 minutes. */
export interface Load {
  m1: number;
  m5: number;
  m15: number;
}

/** The next load averages after `dtMs` at `cpuPercent`. */
export function nextLoad(prev: Load | undefined, cpuPercent: number, dtMs: number): Load {
  const x = cpuPercent / 100;
  if (!prev) return { m1: x, m5: x, m15: x };
  const step = (v: number, minutes: number) => {
    const e = Math.exp(-dtMs / (minutes * 60_000));
    return v * e + x * (1 - e);
  };
  return { m1: step(prev.m1, 1), m5: step(prev.m5, 5), m15: step(prev.m15, 15) };
}

/** The two lines a dyno logs every 20 s with log-runtime-metrics on (memory, then load). */
export function runtimeLines(dyno: string, id: string, rssBytes: number, quotaBytes: number, load: Load): [string, string] {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)}MB`;
  const head = `source=${dyno} dyno=minik.${id}`;
  return [
    `${head} sample#memory_total=${mb(rssBytes)} sample#memory_rss=${mb(rssBytes)} sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=0pages sample#memory_pgpgout=0pages sample#memory_quota=${mb(quotaBytes)}`,
    `${head} sample#load_avg_1m=${load.m1.toFixed(2)} sample#load_avg_5m=${load.m5.toFixed(2)} sample#load_avg_15m=${load.m15.toFixed(2)}`,
  ];
}
