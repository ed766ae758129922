// Why: what the buildpacks:* commands share: a local path made absolute (the daemon runs elsewhere),
// and Heroku's "Next release on ⬢ app will use …" answer.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { appPath } from './app.js';
import { request } from './client.js';
import { paletteFor } from './color.js';
import { appLabel, print } from './format.js';

/** One entry of an app's buildpack list, as the API returns it. */
export interface BuildpackEntry {
  index: number;
  url: string;
}

/** A relative path to a local buildpack (folder or tarball, with an optional #ref) as an absolute one; anything else as given. */
export function buildpackArg(raw: string, cwd = process.cwd()): string {
  const arg = raw.trim();
  const hash = arg.lastIndexOf('#');
  const base = hash < 0 ? arg : arg.slice(0, hash);
  // Bare words ("go") and heroku/NAME are built-ins, never folders that happen to share the name.
  const pathLike = base.includes('/') && !base.startsWith('/') && !base.startsWith('heroku/') && !/^[\w+.-]+:/.test(base) && !/^[\w.-]+@/.test(base);
  const looksLocal = base.startsWith('./') || base.startsWith('../') || base === '.' || (pathLike && existsSync(path.resolve(cwd, base)));
  return looksLocal ? path.resolve(cwd, base) + (hash < 0 ? '' : arg.slice(hash)) : arg;
}

/** Sends one edit of the app's list to the daemon and prints Heroku's answer. */
export async function editBuildpacks(app: string, verb: string, edit: Record<string, unknown>): Promise<void> {
  const list = await request<BuildpackEntry[]>('PATCH', appPath(app, '/buildpacks'), edit);
  const label = appLabel(app, paletteFor(process.stdout));
  if (list.length === 0) return print(`${verb}. Next release on ${label} will detect buildpacks normally.`);
  if (list.length === 1) print(`${verb}. Next release on ${label} will use ${list[0]!.url}.`);
  else print([`${verb}. Next release on ${label} will use:`, ...list.map((b) => `  ${b.index}. ${b.url}`)].join('\n'));
  print(`Run minik up to create a new release using ${list.length === 1 ? 'this buildpack' : 'these buildpacks'}.`);
}
