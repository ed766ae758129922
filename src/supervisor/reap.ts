// Why: a daemon restarted after SIGKILL stops what an earlier one left running — dynos and build steps —
// but only what it can prove is its own: this boot, this MINIK_HOME, and the process's marker.
import { terminateGroup } from './kill.js';
import { bootId, markedProcessesAsync, ownedBy, type AppFilter, type OwnerKind } from './owner.js';
import { allStatsAsync } from './procfs.js';

/** A dyno as the store recorded it. */
export interface OrphanRecord {
  pid: number;
  pgid: number;
  startTime: number;
  /** The boot the dyno started in; '' for records written before minik recorded it. */
  bootId: string;
  /** Its MINIK_OWNER value; '' for records written before markers. */
  marker: string;
}

/**
 * Stops the processes of recorded dynos, each only when the record is of this boot and a live process
 * still carries its marker; a record without a marker proves nothing and is skipped. Returns how many
 * records still had processes.
 */
export async function reapOrphans(records: OrphanRecord[], graceMs: number): Promise<number> {
  const boot = bootId();
  const results = await Promise.all(
    records.map(async (r) => {
      if (r.marker === '' || r.bootId !== boot) return false;
      const res = await terminateGroup({ pid: r.pid, pgid: r.pgid, startTime: r.startTime, marker: r.marker, strict: true, graceMs });
      return res.found > 0;
    }),
  );
  return results.filter(Boolean).length;
}

/** One marker found by reapOwned: whose it was and how many processes carried or shared it. */
export interface Reaped {
  marker: string;
  kind: OwnerKind;
  app: string;
  name: string;
  found: number;
}

/**
 * Why: the daemon calls this on start (per app, for apps no longer in the store, or for all) to stop
 * every leftover process of this MINIK_HOME and boot that carries a marker of the given kinds — dynos
 * whose record was never written, build steps (npm, pip, build scripts) of a build the daemon died in.
 * Markers are stopped in parallel; the scan that lists them waits for any process caught mid-exec (owner.ts).
 */
export async function reapOwned(opts: { home: string; kinds?: readonly OwnerKind[]; app?: AppFilter; graceMs: number }): Promise<Reaped[]> {
  const accept = ownedBy(opts.home, opts.kinds ?? ['dyno', 'build'], opts.app);
  const byMarker = new Map<string, number>();
  for (const p of await markedProcessesAsync(accept, await allStatsAsync())) byMarker.set(p.marker, (byMarker.get(p.marker) ?? 0) + 1);
  const reaped = await Promise.all(
    [...byMarker.keys()].map(async (marker) => {
      const res = await terminateGroup({ pid: 0, pgid: 0, marker, graceMs: opts.graceMs });
      const [, , kind, app, name] = marker.split(':') as [string, string, OwnerKind, string, string];
      return { marker, kind, app, name, found: res.found };
    }),
  );
  return reaped.filter((r) => r.found > 0);
}
