// "A busy machine", as the router's throughput was reported on (issue 18): one CPU-bound process per core, each
// pinned to its core at normal priority, competing with the proxy and its dyno (core 0) and with wrk (core 1).
import { ncpu, startBg, stopBg } from './proc.mjs';

const SPIN = 'for (;;) Math.sqrt(Math.random());';

/** Starts one busy loop per core; resolves a function that stops them all. */
export function startLoad() {
  const children = Array.from({ length: ncpu }, (_, cpu) => startBg(process.execPath, ['-e', SPIN], { cpu }));
  return async () => { await Promise.all(children.map((c) => stopBg(c, 'SIGKILL', 1000))); };
}
