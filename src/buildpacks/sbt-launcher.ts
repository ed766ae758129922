// Why: sbt is not in Debian; like Heroku's Scala buildpack, minik fetches sbt's launcher itself — once per
// MINIK_HOME, from Maven Central, checked against the SHA-256 pinned in core — and fails at once, naming
// exactly what to install, when it cannot. A half-written or altered jar is never used.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorMessage, MinikError } from '../core/errors.js';
import { SBT_LAUNCHER } from '../core/sbt.js';
import type { BuildContext } from './types.js';
import { INDENT, isFile } from './util.js';

/** A launcher jar to fetch: where from, its name and its pinned SHA-256. */
export interface LauncherSpec {
  version: string;
  url: string;
  sha256: string;
  fileName: string;
}

/** How long the 3.8 MB fetch may take before the build fails (a stalled network must not hold it 15 minutes). */
const FETCH_TIMEOUT_MS = 120_000;

/** $MINIK_HOME/tools: tools minik fetched, shared by every app. */
export function toolsDir(home: string): string {
  return path.join(home, 'tools');
}

/** The path of the verified launcher jar in `dir`, fetching it first when it is missing or does not match its SHA-256. */
export async function sbtLauncher(ctx: BuildContext, spec: LauncherSpec = SBT_LAUNCHER, dir = toolsDir(ctx.home)): Promise<string> {
  const jar = path.join(dir, spec.fileName);
  if ((await isFile(jar)) && (await sha256(jar)) === spec.sha256) return jar;
  ctx.log(`-----> Fetching sbt's launcher ${spec.version} from ${new URL(spec.url).host} (once, into ${dir})`);
  mkdirSync(dir, { recursive: true, mode: 0o700 }); // metadata only: see core/files.ts
  const tmp = `${jar}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await download(ctx, spec, tmp);
    const got = await sha256(tmp);
    if (got !== spec.sha256) throw launcherError(spec, jar, `its SHA-256 is ${got}, not the pinned ${spec.sha256}`);
    await rename(tmp, jar);
    ctx.log(`${INDENT}Verified SHA-256 ${spec.sha256}`);
    return jar;
  } finally {
    await rm(tmp, { force: true });
  }
}

async function download(ctx: BuildContext, spec: LauncherSpec, file: string): Promise<void> {
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  try {
    const res = await fetch(spec.url, { signal, redirect: 'follow' });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    await pipeline(Readable.fromWeb(res.body as never), createWriteStream(file), { signal });
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    const cause = (err as { cause?: unknown }).cause;
    const reason = timeout.aborted ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : errorMessage(cause ?? err);
    throw launcherError(spec, path.join(path.dirname(file), spec.fileName), reason);
  }
}

function launcherError(spec: LauncherSpec, jar: string, reason: string): MinikError {
  return new MinikError(`Scala app detected, but there is no sbt: no sbt script in the app, no \`sbt\` on PATH, and sbt's launcher could not be fetched from ${spec.url}: ${reason}`, {
    code: 'build_failed',
    hint: `install sbt (not in Debian: https://www.scala-sbt.org/download/) and restart the daemon, or save that jar as ${jar} (sha256 ${spec.sha256}), then run minik up again`,
  });
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
