// Why: where interpreters live on a developer's machine: on PATH, and in the version managers' own
// folders under $HOME (which are not on a daemon's PATH unless a shell put them there).
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isFile } from '../util.js';
import type { Candidate } from './select.js';

/** Runs an executable with arguments and returns its stdout, or null when it failed. */
export type Probe = (file: string, args: string[]) => Promise<string | null>;

/** Version-manager install folders, relative to $HOME: each holds one folder per version. */
export const INSTALL_DIRS = {
  node: [
    { source: 'nvm', dir: '.nvm/versions/node', bin: 'bin' },
    { source: 'fnm', dir: '.local/share/fnm/node-versions', bin: 'installation/bin' },
    { source: 'volta', dir: '.volta/tools/image/node', bin: 'bin' },
    { source: 'asdf', dir: '.asdf/installs/nodejs', bin: 'bin' },
    { source: 'mise', dir: '.local/share/mise/installs/node', bin: 'bin' },
  ],
  python: [
    { source: 'pyenv', dir: '.pyenv/versions', bin: 'bin' },
    { source: 'asdf', dir: '.asdf/installs/python', bin: 'bin' },
    { source: 'mise', dir: '.local/share/mise/installs/python', bin: 'bin' },
    { source: 'uv', dir: '.local/share/uv/python', bin: 'bin' },
  ],
} as const;

const EXECUTABLE = { node: 'node', python: 'python3' } as const;

/** The version a version manager's folder name stands for: "v20.1.0", "3.12.1", "cpython-3.12.1-linux-x86_64-gnu". */
export function versionFromFolder(name: string): string | null {
  const m = /^(?:v|cpython-)?(\d+\.\d+\.\d+)(?:$|-)/.exec(name);
  return m ? m[1]! : null;
}

/** Interpreters installed by version managers under `home`, newest folders as the managers name them. */
export async function installedCandidates(language: 'node' | 'python', home: string): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const { source, dir, bin } of INSTALL_DIRS[language]) {
    const entries = await readdir(path.join(home, dir)).catch(() => [] as string[]);
    for (const name of entries.sort()) {
      const version = versionFromFolder(name);
      const executable = path.join(home, dir, name, bin, EXECUTABLE[language]);
      if (version !== null && (await isFile(executable))) out.push({ version, executable, source });
    }
  }
  return out;
}

/**
 * Interpreters on PATH, each asked for its version (`known` answers for one without running it: the
 * node running minik). Python reports its real executable, so a pyenv shim resolves to what it runs.
 */
export async function pathCandidates(language: 'node' | 'python', pathVar: string, probe: Probe, known?: Candidate): Promise<Candidate[]> {
  const out: Candidate[] = known ? [known] : [];
  const seen = new Set<string>(known ? [await realpath(known.executable).catch(() => known.executable)] : []);
  for (const dir of pathVar.split(':').filter((d) => d !== '')) {
    const file = path.join(dir, EXECUTABLE[language]);
    if (!(await isFile(file))) continue;
    const real = await realpath(file).catch(() => file);
    if (seen.has(real)) continue;
    seen.add(real);
    const c = await probeCandidate(language, file, probe);
    if (c && !out.some((o) => o.executable === c.executable)) out.push(c);
  }
  return out;
}

async function probeCandidate(language: 'node' | 'python', file: string, probe: Probe): Promise<Candidate | null> {
  if (language === 'node') {
    const v = (await probe(file, ['--version']))?.trim().replace(/^v/, '');
    return v && /^\d+\.\d+\.\d+$/.test(v) ? { version: v, executable: file, source: 'PATH' } : null;
  }
  const out = await probe(file, ['-c', 'import platform, sys; print(platform.python_version()); print(sys.executable)']);
  const [version = '', executable = ''] = (out ?? '').trim().split('\n');
  return /^\d+\.\d+\.\d+$/.test(version) && executable ? { version, executable, source: 'PATH' } : null;
}
