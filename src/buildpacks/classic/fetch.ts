// Why: third-party buildpacks are fetched once per URL and ref into $MINIK_HOME/buildpacks/ and reused;
// a fetch that fails names the URL and the reason, and never leaves a half-written cache entry.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorMessage, MinikError } from '../../core/errors.js';
import { buildEnv, runStep } from '../exec.js';
import { isDirectory, isFile } from '../util.js';
import type { BuildContext } from '../types.js';
import { cacheName, isTarball, parseBuildpackUrl, type BuildpackSource } from './url.js';

/**
 * The folder holding the buildpack `url` names. A local folder (no #ref) is used where it is; anything
 * else is fetched into `home` (keyed by URL and ref, a local tarball also by its size and time) once.
 */
export async function fetchBuildpack(ctx: BuildContext, url: string, home: string): Promise<string> {
  const source = parseBuildpackUrl(url);
  if (source.kind === 'local') {
    const info = await stat(source.path).catch(() => null);
    if (!info) throw fetchError(url, `${source.path} does not exist`);
    if (info.isDirectory() && source.ref === null && !(await isBareRepository(source.path))) return source.path;
  }
  const extra = source.kind === 'local' && isTarball(source.path) ? await fileStamp(source.path) : '';
  const dest = path.join(home, cacheName(url, extra));
  if (await isDirectory(dest)) return dest;
  await mkdir(home, { recursive: true });
  const tmp = `${dest}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    ctx.log(`-----> Fetching buildpack ${url}`);
    await download(ctx, url, source, tmp);
    const root = await buildpackRoot(tmp);
    await rename(root, dest).catch(async (err) => {
      if (!(await isDirectory(dest))) throw err; // another build fetched it first: use theirs
    });
    return dest;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function download(ctx: BuildContext, url: string, source: BuildpackSource, tmp: string): Promise<void> {
  if (source.kind === 'tarball' || (source.kind === 'local' && isTarball(source.path))) {
    const local = source.kind === 'local' ? source.path : null;
    const archive = local ?? (await downloadFile(ctx, url, (source as { url: string }).url, `${tmp}.tgz`));
    try {
      await mkdir(tmp, { recursive: true });
      await quietly(ctx, url, tmp, 'tar', ['-xzf', archive, '-C', tmp, '--no-same-owner']);
    } finally {
      if (local === null) await rm(archive, { force: true });
    }
    return;
  }
  const from = source.kind === 'local' ? source.path : source.url;
  if (source.ref === null) {
    await quietly(ctx, url, path.dirname(tmp), 'git', ['clone', '--quiet', ...(source.kind === 'git' ? ['--depth', '1'] : []), '--', from, tmp]);
  } else {
    await quietly(ctx, url, path.dirname(tmp), 'git', ['clone', '--quiet', '--no-checkout', '--', from, tmp]);
    await quietly(ctx, url, path.dirname(tmp), 'git', ['-C', tmp, 'checkout', '--quiet', '--detach', source.ref]);
  }
  await rm(path.join(tmp, '.git'), { recursive: true, force: true });
}

/** Downloads `href` to `file` (aborted with the build); a MinikError naming the URL and the HTTP status. */
async function downloadFile(ctx: BuildContext, url: string, href: string, file: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(href, { signal: ctx.signal, redirect: 'follow' });
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    throw fetchError(url, errorMessage((err as { cause?: unknown }).cause ?? err));
  }
  if (!res.ok || !res.body) throw fetchError(url, `HTTP ${res.status} ${res.statusText}`.trim());
  await pipeline(Readable.fromWeb(res.body as never), createWriteStream(file), { signal: ctx.signal });
  return file;
}

/** Runs a fetch step, showing its output; a failure becomes "could not fetch buildpack URL: <its last line>". */
async function quietly(ctx: BuildContext, url: string, cwd: string, file: string, args: string[]): Promise<void> {
  const lines: string[] = [];
  const c: BuildContext = { ...ctx, log: (l) => { lines.push(l.trim()); ctx.log(l); } };
  try {
    await runStep(c, file, args, { cwd, env: FETCH_ENV, label: `${file} ${args[0]}` });
  } catch (err) {
    if (ctx.signal?.aborted || !(err instanceof MinikError)) throw err;
    throw fetchError(url, lines.at(-1) ?? err.message);
  }
}

// A fetch in the daemon has no terminal: git must fail rather than wait for a password or a host-key answer.
const FETCH_ENV = buildEnv({ GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes' });

/** A tarball holding one top-level folder (as GitHub's archives do) has the buildpack inside it. */
async function buildpackRoot(dir: string): Promise<string> {
  if (await isDirectory(path.join(dir, 'bin'))) return dir;
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.length === 1 && entries[0]!.isDirectory()) return path.join(dir, entries[0]!.name);
  return dir;
}

async function isBareRepository(dir: string): Promise<boolean> {
  return (await isFile(path.join(dir, 'HEAD'))) && (await isDirectory(path.join(dir, 'objects'))) && !(await isDirectory(path.join(dir, 'bin')));
}

async function fileStamp(file: string): Promise<string> {
  const s = await stat(file);
  return `${s.size}:${s.mtimeMs}`;
}

function fetchError(url: string, reason: string): MinikError {
  return new MinikError(`could not fetch buildpack ${url}: ${reason}`, {
    code: 'build_failed',
    hint: 'check the URL (and its #ref) with minik buildpacks, then run minik up again',
  });
}
