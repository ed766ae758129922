// Why: one server-sent-events stream per tab (browsers allow 6 connections per host) carries the page's live
// state (sent when it changes, checked every second) and, on an app page, its log lines.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Autoscaler } from '../autoscale/index.js';
import type { Platform } from '../deploy/platform.js';
import { appRows, appState, type AddonSource } from './state.js';

const TICK_MS = 1000;
const HEARTBEAT_MS = 15_000;

/** Streams `state` (and `log`) events until the tab goes away. */
export function openEvents(req: IncomingMessage, res: ServerResponse, p: Platform, autoscaler: Autoscaler, app: string | null, addons?: AddonSource): void {
  if (app !== null) p.ctx.store.requireApp(app);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  const send = (event: string, data: unknown) => {
    if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  let last = '';
  let lastBeat = Date.now();
  const tick = () => {
    try {
      const state = app === null ? appRows(p) : appState(p, autoscaler, app, addons);
      const text = JSON.stringify(state);
      if (text !== last) {
        last = text;
        send('state', state);
        lastBeat = Date.now();
      } else if (Date.now() - lastBeat > HEARTBEAT_MS) {
        res.write(': keep-alive\n\n');
        lastBeat = Date.now();
      }
    } catch {
      res.end(); // the app was destroyed
    }
  };
  tick();
  const timer = setInterval(tick, TICK_MS);
  let unfollow = () => {};
  if (app !== null) {
    for (const line of p.ctx.logs.recent(app, { n: 200 })) send('log', line);
    // A tab that stops reading (a frozen background tab) gets the bounded buffer and L10 line of `minik logs -t`.
    unfollow = p.ctx.logs.followStream(app, {}, {
      write: (line) => (send('log', line), !res.writableNeedDrain),
      onDrain: (resume) => res.once('drain', resume),
    });
  }
  req.socket.on('close', () => {
    clearInterval(timer);
    unfollow();
  });
}
