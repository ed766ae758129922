// Why: writes an export's files so that a re-export replaces exactly what the last one wrote: a manifest
// in the folder lists them, files of anyone else stop the export (unless --force), secrets are born 0600.
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalid } from '../core/errors.js';
import type { ExportFile } from './types.js';

/** The manifest of what an export wrote, kept in the output folder. */
export const MANIFEST_FILE = '.minik-export.json';

interface Manifest { app: string; format: string; release: number; files: string[] }

/** Writes `files` into `dir` and returns the paths of files a previous export wrote that this one removed. */
export async function writeExport(dir: string, files: ExportFile[], meta: Omit<Manifest, 'files'>, force: boolean): Promise<string[]> {
  const previous = await readManifest(dir);
  const foreign = (await listDir(dir)).filter((f) => f !== MANIFEST_FILE && !previous.includes(f));
  if (foreign.length > 0 && !force) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? `, and ${foreign.length - 3} more` : '');
    throw invalid(`${dir} holds files minik export did not write (${shown})`, 'choose an empty or new folder, or pass --force to write beside them (files with the same names are replaced)');
  }
  await mkdir(dir, { recursive: true });
  for (const f of files) await writeAtomically(join(dir, f.path), f.content, f.mode);
  const stale = previous.filter((p) => !files.some((f) => f.path === p));
  for (const p of stale) await rm(join(dir, p), { force: true });
  await writeAtomically(join(dir, MANIFEST_FILE), `${JSON.stringify({ ...meta, files: files.map((f) => f.path) }, null, 2)}\n`, 0o644);
  return stale;
}

/** Why: a temporary file created with the final mode, then renamed: a secret is never readable by others, even briefly. */
async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await rm(tmp, { force: true });
  await writeFile(tmp, content, { mode, flag: 'wx' });
  await chmod(tmp, mode); // the umask may have taken bits away from a public file
  await rename(tmp, file);
}

async function readManifest(dir: string): Promise<string[]> {
  try {
    const m = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Partial<Manifest>;
    return Array.isArray(m.files) ? m.files.filter((f): f is string => typeof f === 'string' && /^[^/\\]+$/.test(f) && f !== '.' && f !== '..') : [];
  } catch {
    return [];
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw invalid(`${dir} is a file, not a folder`, 'give a folder to export into');
    throw err;
  }
}
