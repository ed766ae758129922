// Why: the daemon side of an export: one release of an app as ExportData, read from the store and the
// release's slug. Planning and writing happen in the CLI, where the output folder is.
import { createHmac, randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalid, notFound } from '../core/errors.js';
import { isProjectSbtFile } from '../core/sbt.js';
import type { Context } from '../deploy/context.js';
import type { AddonInput, ExportData } from './types.js';

/** Manifest files the Dockerfile recipes read, by content. */
const MANIFESTS = ['package.json', '.python-version', 'runtime.txt', 'go.mod', '.ruby-version', 'Gemfile', 'composer.json', 'system.properties', 'deps.edn', '.slugignore'];
/** Files whose presence alone matters (their content stays home). */
const PRESENCE = ['package-lock.json', 'npm-shrinkwrap.json', 'requirements.txt', 'pyproject.toml', 'Pipfile.lock', 'pom.xml', 'build.gradle', 'Gemfile.lock', 'composer.lock', 'project.clj'];
const MAX_MANIFEST_BYTES = 256 * 1024;

/** ExportData for the live release of `app`, or release `version`; a MinikError when there is none. */
export async function exportData(ctx: Context, app: string, version?: number): Promise<ExportData> {
  const a = ctx.store.requireApp(app);
  const wanted = version ?? a.currentRelease;
  if (wanted === null) throw notFound(`${app} has no release to export yet`, `deploy it first: minik up --name ${app}`);
  const rel = ctx.store.getRelease(app, wanted);
  if (!rel) throw notFound(`${app} has no release v${wanted}`, `see 'minik releases -a ${app}'`);
  if (rel.status !== 'succeeded') throw invalid(`v${rel.version} of ${app} ${rel.status === 'failed' ? 'failed' : 'never finished'}, so it cannot be exported`, `export a release that succeeded; see 'minik releases -a ${app}'`);
  const formation = ctx.store.getFormation(app);
  const types = Object.keys(rel.processTypes).filter((t) => t !== 'release');
  return {
    app, release: rel.version, buildpack: rel.buildpack, processTypes: rel.processTypes,
    formation: Object.fromEntries(types.map((t) => [t, formation[t] ?? 0])),
    config: { ...rel.dotenv, ...rel.config },
    domains: ctx.store.listDomains(app).map((d) => d.host).sort(),
    addons: await addonInputs(ctx, app),
    slug: rel.slug, sourceDir: a.sourceDir,
    files: await readManifests(rel.slug ?? a.sourceDir),
    nodeVersion: process.version,
    runtime: rel.runtime ?? null,
  };
}

/**
 * The app's add-ons. minik has none yet: when add-ons land, each becomes {service, name, attachments,
 * password: await addonPassword(ctx.settings.home, app, name)} here, and every format exports it.
 */
async function addonInputs(_ctx: Context, _app: string): Promise<AddonInput[]> {
  return [];
}

/** Reads the manifest files of an app folder (the slug holds the source too); missing ones are left out. */
export async function readManifests(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of MANIFESTS) {
    const text = await readSmall(join(dir, name));
    if (text !== null) files[name] = text;
  }
  // project/*.sbt, where an sbt build adds its plugins: the Scala recipe reads them as the buildpack does.
  for (const name of await readdir(join(dir, 'project')).catch(() => [] as string[])) {
    const text = isProjectSbtFile(`project/${name}`) ? await readSmall(join(dir, 'project', name)) : null;
    if (text !== null) files[`project/${name}`] = text;
  }
  for (const name of PRESENCE) if (await isFile(join(dir, name))) files[name] = '';
  return files;
}

/**
 * A password for an exported add-on service that stays the same between exports (a database keeps the
 * password it was created with), derived from a per-installation key only the owner can read.
 */
export async function addonPassword(home: string, app: string, addon: string): Promise<string> {
  const keyFile = join(home, 'export.key');
  let key = await readFile(keyFile).catch(() => null);
  if (!key) {
    await writeFile(keyFile, randomBytes(32), { mode: 0o600, flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    key = await readFile(keyFile);
  }
  return createHmac('sha256', key).update(`${app}/${addon}`).digest('base64url').slice(0, 32);
}

async function readSmall(file: string): Promise<string | null> {
  try {
    const s = await stat(file);
    if (!s.isFile() || s.size > MAX_MANIFEST_BYTES) return null;
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile(), () => false);
}
