// Why: `minik daemon status|stop`.
import { sendJson } from './http.js';
import { path, type Route } from './server.js';

export interface DaemonInfo {
  version: string;
  socket: string;
  port: number;
  home: string;
  startedAt: number;
  /** Stops every dyno and exits; called after the answer is sent. */
  stop(): void;
}

/** Daemon routes. */
export function daemonRoutes(d: DaemonInfo): Route[] {
  return [
    ['GET', path('/daemon'), ({ res }) => sendJson(res, 200, {
      pid: process.pid, version: d.version, socket: d.socket, port: d.port, home: d.home,
      uptime: Math.round((Date.now() - d.startedAt) / 1000),
    })],
    ['POST', path('/daemon/stop'), ({ res }) => {
      sendJson(res, 200, { ok: true, pid: process.pid });
      res.on('finish', () => d.stop());
    }],
  ];
}
