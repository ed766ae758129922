// Why: what the server supervisor needs from a service (Postgres, Redis), so it handles both the same way.
import type { AddonRecord } from '../core/addons.js';

/** How to run a server: a program and its arguments (never a shell), as which user, from which folder. */
export interface ServerCommand {
  file: string;
  args: string[];
  cwd: string;
  uid?: number;
  gid?: number;
  /** A line for the add-on's log before the server starts: why it runs with less than it should (SSL off). */
  note?: string;
}

/** One service's server: make its data, run it, tell when it is ready, ask it to stop cleanly. */
export interface Driver {
  /** The log process name: app[postgres], app[redis]. */
  readonly process: string;
  /** Makes a fresh data folder in `dir`/data; returns the server's major version for Postgres. */
  provision(a: AddonRecord, dir: string): Promise<{ version: string | null }>;
  /** The command that runs the server; throws one sentence when it must not start (version mismatch, no binary). */
  command(a: AddonRecord, dir: string): Promise<ServerCommand>;
  /** The pid file the server writes (first line: its pid), to find it after a daemon crash. */
  pidFile(dir: string): string;
  /** True once the server (the process `pid`) accepts a query: minik's one notion of ready (Postgres SELECT 1, Redis PING). */
  isReady(a: AddonRecord, dir: string, pid: number): Promise<boolean>;
  /** Asks for a clean stop: Postgres's fast shutdown, Redis's SHUTDOWN SAVE. */
  askStop(a: AddonRecord, dir: string, pid: number): Promise<void>;
}
