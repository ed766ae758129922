// Why: an add-on's port is fixed for its life (its URL is in config vars), so it comes from minik's own range
// (MINIK_ADDON_PORTS), not from the kernel's ephemeral ports, and skips ports other add-ons hold or others listen on.
import { createServer } from 'node:net';
import { conflict } from '../core/errors.js';

/** The lowest port of the range that no add-on holds and nothing listens on now. */
export async function freePort(range: { from: number; to: number }, held: number[]): Promise<number> {
  const used = new Set(held);
  for (let p = range.from; p <= range.to; p++) if (!used.has(p) && (await canBind(p))) return p;
  throw conflict(`no free port left for an add-on in ${range.from}-${range.to}`, 'set MINIK_ADDON_PORTS to a wider range, e.g. 15400-16999');
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
