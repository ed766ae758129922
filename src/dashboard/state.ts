// Why: the dashboard's view of an app, derived from the same store, supervisor and views the CLI API uses.
import type { Autoscaler } from '../autoscale/index.js';
import type { AddonView } from '../core/addons.js';
import type { App } from '../core/types.js';
import type { Platform } from '../deploy/platform.js';
import { appView, dynoViews, releaseView } from '../deploy/views.js';
import type { AppRow, AppState } from './client/types.js';

/** A row of the apps page. */
export function appRow(p: Platform, a: App): AppRow {
  const { store } = p.ctx;
  const rel = a.currentRelease === null ? null : store.getRelease(a.name, a.currentRelease);
  return { ...appView(p.ctx, a), formation: store.getFormation(a.name), lastDeploy: rel?.createdAt ?? null };
}

/** Every app's row, by name. */
export function appRows(p: Platform): AppRow[] {
  return p.ctx.store.listApps().map((a) => appRow(p, a));
}

/** Where the dashboard reads an app's add-ons (the daemon's add-on manager); none without one. */
export interface AddonSource {
  list(app: string): AddonView[];
}

/** The app page's state (config values excluded: they are sent only when revealed). */
export function appState(p: Platform, autoscaler: Autoscaler, name: string, addons?: AddonSource): AppState {
  const { store } = p.ctx;
  const a = store.requireApp(name);
  const rel = a.currentRelease === null ? null : store.getRelease(a.name, a.currentRelease);
  return {
    app: appRow(p, a),
    processTypes: Object.keys(rel?.processTypes ?? {}).sort((x, y) => (x === 'web' ? -1 : y === 'web' ? 1 : x.localeCompare(y))),
    dynos: dynoViews(p.ctx, a.name),
    releases: store.listReleases(a.name).slice(0, 20).map((r) => releaseView(r, a.currentRelease)),
    configKeys: Object.keys(store.getConfig(a.name)).sort(),
    autoscale: autoscaler.settings(a.name),
    addons: addons?.list(a.name) ?? [],
  };
}
