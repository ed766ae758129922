// Why: a daemon restarted after a crash (or SIGKILL) finds each app as it was: what the earlier daemon
// left running is stopped, deploys it was in the middle of are marked failed, their build folders and
// unused slugs are deleted, and the formation of the current release comes back.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../core/types.js';
import { reapOrphans, reapOwned } from '../supervisor/index.js';
import type { Context } from './context.js';
import { startDyno } from './dynos.js';
import { wantedDynos } from './formation.js';
import { pruneSlugs } from './release.js';
import { sweepScratch } from './scratch.js';

/**
 * Recovers one app (the caller holds its lock): reap, fail interrupted releases, clean up, then, once `beforeDynos`
 * resolves (its add-ons accept queries), start its formation.
 */
export async function recoverApp(ctx: Context, app: App, beforeDynos: () => Promise<unknown> = async () => undefined): Promise<void> {
  const { store, logs } = ctx;
  const left = store.listDynos(app.name);
  const grace = ctx.settings.stopTimeoutMs;
  // Recorded dynos by their record and marker, then whatever else of this app carries a marker (builds, unrecorded dynos).
  const reaped = (await reapOrphans(left, grace)) + (await reapOwned({ home: ctx.settings.home, app: app.name, graceMs: grace })).length;
  for (const d of left) store.deleteDyno(d.app, d.name, d.release);
  if (reaped > 0) logs.write(app.name, 'minik', 'api', 'Stopped dynos left by an earlier daemon');
  for (const v of store.failPendingReleases(app.name)) {
    logs.write(app.name, 'minik', 'api', `Release v${v} failed: interrupted by a daemon restart`);
  }
  await pruneSlugs(ctx, app.name);
  await removeUnusedFolders(ctx, app.name);
  const rel = app.currentRelease === null ? null : store.getRelease(app.name, app.currentRelease);
  if (!rel) return;
  const wanted = wantedDynos(store.getFormation(app.name), rel.processTypes);
  if (wanted.length > 0) await beforeDynos();
  for (const name of wanted) {
    await startDyno(ctx, rel, name).catch((err: Error) => logs.write(app.name, 'minik', name, `Could not start: ${err.message}`));
  }
}

/**
 * Build folders (nothing builds while an app recovers), slug folders no release refers to, and one-off
 * copies of the slug whose owner is gone (an attached `minik run` whose terminal still runs keeps its copy).
 */
async function removeUnusedFolders(ctx: Context, app: string): Promise<void> {
  await rm(join(ctx.settings.home, 'builds', app), { recursive: true, force: true });
  await sweepScratch(ctx.settings.home, app);
  const slugDir = join(ctx.settings.home, 'slugs', app);
  const used = new Set(ctx.store.listReleases(app).map((r) => r.slug));
  for (const id of await readdir(slugDir).catch(() => [] as string[])) {
    const slug = join(slugDir, id);
    if (!used.has(slug)) await rm(slug, { recursive: true, force: true });
  }
}

/** Processes and folders under builds/, slugs/, cache/ and runs/ of apps that no longer exist (destroyed while the daemon was down). */
export async function removeStrayApps(ctx: Context): Promise<void> {
  const apps = new Set(ctx.store.listApps().map((a) => a.name));
  await reapOwned({ home: ctx.settings.home, app: (a) => !apps.has(a), graceMs: ctx.settings.stopTimeoutMs });
  for (const dir of ['builds', 'slugs', 'cache', 'runs']) {
    for (const name of await readdir(join(ctx.settings.home, dir)).catch(() => [] as string[])) {
      if (!apps.has(name)) await rm(join(ctx.settings.home, dir, name), { recursive: true, force: true });
    }
  }
}
