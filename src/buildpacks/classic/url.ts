// Why: a buildpack is named by a URL in many spellings (folder, file://, git over https or ssh, a bare
// repository, a tarball), each with an optional #ref; this reads one into what to fetch, without I/O.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalid } from '../../core/errors.js';

/** Where a buildpack comes from. `local` is a path on this machine (folder, bare repository or tarball). */
export type BuildpackSource =
  | { kind: 'local'; path: string; ref: string | null }
  | { kind: 'git'; url: string; ref: string | null }
  | { kind: 'tarball'; url: string; ref: string | null };

const TARBALL = /\.(tgz|tar\.gz)$/i;
/** The longest URL an app's list keeps (the store's CHECK says the same). */
const MAX_URL = 2048;

/** Splits `URL#ref`; a MinikError naming the URL when it is no spelling minik knows. */
export function parseBuildpackUrl(raw: string): BuildpackSource {
  const text = raw.trim();
  const hash = text.lastIndexOf('#');
  const base = hash < 0 ? text : text.slice(0, hash);
  const ref = hash < 0 ? null : text.slice(hash + 1);
  if (base === '' || ref === '' || /[\s\0]/.test(text) || text.length > MAX_URL) throw badUrl(raw);
  if (ref !== null && !/^[\w./@+-]+$/.test(ref)) throw invalid(`buildpack ${raw}: '#${ref}' is not a git ref`, 'use a branch, tag or commit, e.g. #v1.2.0');
  if (base.startsWith('file://')) return { kind: 'local', path: filePath(base, raw), ref };
  if (path.isAbsolute(base)) return { kind: 'local', path: path.normalize(base), ref };
  if (/^https?:\/\//i.test(base)) {
    const pathname = new URL(base).pathname;
    return TARBALL.test(pathname) ? { kind: 'tarball', url: base, ref } : { kind: 'git', url: base, ref };
  }
  if (/^(ssh|git):\/\//i.test(base) || /^[\w.-]+@[\w.-]+:/.test(base)) return { kind: 'git', url: base, ref };
  throw badUrl(raw);
}

/** True for a local path or URL that names a tarball. */
export function isTarball(p: string): boolean {
  return TARBALL.test(p);
}

/** The folder name a fetched buildpack is cached under: a readable stem plus a hash of the URL and ref (and `extra`). */
export function cacheName(raw: string, extra = ''): string {
  const { base } = splitRef(raw);
  const stem = (base.replace(/\/+$/, '').split(/[/:]/).at(-1) ?? 'buildpack').replace(TARBALL, '').replace(/\.git$/, '').replace(/[^\w.-]/g, '_').slice(0, 40) || 'buildpack';
  const hash = createHash('sha256').update(`${raw.trim()}\0${extra}`).digest('hex').slice(0, 16);
  return `${stem}-${hash}`;
}

function filePath(url: string, raw: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    throw invalid(`buildpack ${raw}: a file:// URL must name a path on this machine`, 'e.g. file:///home/me/buildpacks/mine');
  }
}

function splitRef(raw: string): { base: string; ref: string | null } {
  const i = raw.lastIndexOf('#');
  return i < 0 ? { base: raw.trim(), ref: null } : { base: raw.slice(0, i).trim(), ref: raw.slice(i + 1) };
}

function badUrl(raw: string) {
  return invalid(`'${raw}' is not a buildpack URL minik can fetch`, 'use a folder, file:///path, a git URL (https://…, git@host:repo, a bare repository path) or a .tgz URL, optionally with #ref');
}
