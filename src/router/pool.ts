// Why: the router's keep-alive connections to dynos, per port: idle ones are handed out again (LIFO, so the
// warmest socket goes first), failing ones are dropped with their siblings, and close() destroys them all.
import { DynoConn } from './upstream.js';

/** Idle keep-alive sockets kept per dyno port; more are closed once their response is read. */
export const MAX_IDLE_PER_PORT = 64;

/** Why: per-port LIFO stacks of idle keep-alive connections (O(1) take and return). */
export class DynoPool {
  private readonly idle = new Map<number, DynoConn[]>();
  private readonly all = new Set<DynoConn>();
  private closed = false;

  /** An idle connection to `port`, or a new one (still connecting). */
  acquire(port: number): DynoConn {
    const list = this.idle.get(port);
    if (list !== undefined) {
      while (list.length > 0) {
        const c = list.pop()!;
        if (c.usable()) {
          c.reused = true;
          return c;
        }
        c.destroy();
      }
    }
    const c = new DynoConn(this, port);
    this.all.add(c);
    return c;
  }

  /** Why: keeps a connection whose response was fully read, unless the port already has enough idle ones. */
  release(c: DynoConn): void {
    let list = this.idle.get(c.port);
    if (list === undefined) this.idle.set(c.port, (list = []));
    if (this.closed || list.length >= MAX_IDLE_PER_PORT || !c.usable()) return c.destroy();
    if (c.socket.isPaused()) c.resume();
    list.push(c);
  }

  /** Why: a closed socket leaves the pool at once (a small scan: at most MAX_IDLE_PER_PORT entries). */
  forget(c: DynoConn): void {
    this.all.delete(c);
    const list = this.idle.get(c.port);
    const i = list === undefined ? -1 : list.lastIndexOf(c);
    if (i !== -1) list!.splice(i, 1);
  }

  /** Why: when one idle connection to a dyno turns out dead, its siblings most likely died with the dyno: drop them all. */
  flush(port: number): void {
    const list = this.idle.get(port);
    if (list === undefined) return;
    this.idle.delete(port);
    for (const c of list) c.destroy();
  }

  /** Idle connections to `port` (for tests and diagnostics). */
  idleCount(port: number): number {
    return this.idle.get(port)?.length ?? 0;
  }

  /** Why: the router is closing: every dyno connection, busy or idle, is destroyed. */
  destroy(): void {
    this.closed = true;
    for (const c of this.all) c.destroy();
    this.idle.clear();
  }
}
