// Why: `minik logs [-n N] [-t] [--ps] [--source]`: recent lines, then (with tail) a live stream.
import { invalid } from '../core/errors.js';
import { validateAppName } from '../core/names.js';
import type { Platform } from '../deploy/platform.js';
import { path, type Route } from './server.js';

/** Log routes. */
export function logRoutes(p: Platform): Route[] {
  return [
    ['GET', path('/apps/:app/logs'), ({ req, res, params, query }) => {
      const app = p.ctx.store.requireApp(validateAppName(params[0]!)).name;
      const n = Number(query.get('n') ?? 100);
      if (!Number.isInteger(n) || n < 0 || n > 1500) throw invalid(`-n ${query.get('n')}: the number of lines must be from 0 to 1500`, 'e.g. minik logs -n 200');
      const source = query.get('source') ?? undefined;
      if (source && !['app', 'minik', 'router'].includes(source)) throw invalid(`--source ${source}: use app, minik or router`, 'e.g. minik logs --source app');
      const filter = { n, process: query.get('dyno') ?? undefined, source };
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
      for (const line of p.ctx.logs.recent(app, filter)) res.write(JSON.stringify(line) + '\n');
      if (query.get('tail') !== '1') return void res.end();
      res.flushHeaders();
      // res.write's answer and 'drain' are the backpressure: a reader that stops gets a bounded buffer, not all of it.
      // The lines of one turn (a dyno's chunk is hundreds) go out as one write, not one system call and chunk each.
      const unfollow = p.ctx.logs.followStream(app, filter, {
        write: (line) => {
          if (!res.writableCorked) {
            res.cork();
            process.nextTick(() => res.uncork());
          }
          return res.write(JSON.stringify(line) + '\n');
        },
        onDrain: (resume) => res.once('drain', resume),
      });
      req.socket.on('close', unfollow);
    }],
  ];
}
