// Why: what an app asks for, read the way Heroku's buildpacks (and pyenv, nvm) read it. Pure text in,
// a version request (or a MinikError naming the file, the line and the value) out.
import semver from 'semver';
import { invalid } from '../../core/errors.js';

/** A language version an app asks for, and where it said so ("package.json engines.node", ".python-version"). */
export interface VersionRequest {
  language: 'node' | 'python';
  /** node: a semver range ("20", ">=18 <21"); python: "3", "3.12" or "3.12.4". */
  wanted: string;
  source: string;
}

const PYTHON_VERSION = /^\d+(\.\d+){0,2}$/;

/**
 * `.python-version` as pyenv reads it: the first line that is neither blank nor a comment. Heroku accepts
 * "3.12" (latest patch) or "3.12.4".
 */
export function parsePythonVersionFile(text: string, file = '.python-version'): VersionRequest | null {
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (index < 0) return null;
  const value = lines[index]!.trim().replace(/^python-?/, '');
  if (value === 'system') return null; // pyenv's word for "python3 on PATH"
  if (!PYTHON_VERSION.test(value)) {
    throw invalid(`${file} line ${index + 1}: '${lines[index]!.trim()}' is not a Python version`, `write a version such as 3.12 or 3.12.4 on its own line in ${file}`);
  }
  return { language: 'python', wanted: value, source: file };
}

/** Heroku's older `runtime.txt`: one line "python-3.12.4". */
export function parseRuntimeTxt(text: string, file = 'runtime.txt'): VersionRequest | null {
  const value = text.trim();
  if (value === '') return null;
  const m = /^python-(\d+(\.\d+){0,2})$/.exec(value);
  if (!m) throw invalid(`${file}: '${value.split('\n')[0]}' is not a Python version`, `write e.g. python-3.12.4 in ${file}, or use .python-version with 3.12`);
  return { language: 'python', wanted: m[1]!, source: file };
}

// nvm's LTS code names, so ".nvmrc: lts/iron" means Node 20.
const LTS: Record<string, number> = {
  argon: 4, boron: 6, carbon: 8, dubnium: 10, erbium: 12, fermium: 14, gallium: 16, hydrogen: 18, iron: 20, jod: 22, krypton: 24,
};

/**
 * The Node range an app asks for: package.json engines.node first (Heroku's rule), else `.nvmrc`, else
 * `.node-version`. Null when none says anything.
 */
export function nodeRequest(engines: unknown, nvmrc: string | null, nodeVersion: string | null): VersionRequest | null {
  if (engines !== undefined && engines !== null) {
    const text = typeof engines === 'string' ? engines.trim() : null;
    if (text === null || semver.validRange(text) === null) {
      throw invalid(`package.json engines.node ${JSON.stringify(engines)} is not a semver range`, 'write e.g. "engines": {"node": "20.x"} or ">=18 <23"');
    }
    return { language: 'node', wanted: text || '*', source: 'package.json engines.node' };
  }
  for (const [text, file] of [[nvmrc, '.nvmrc'], [nodeVersion, '.node-version']] as const) {
    if (text === null) continue;
    const value = text.split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).find((l) => l !== '');
    if (value === undefined) continue;
    return { language: 'node', wanted: nvmrcRange(value, file), source: file };
  }
  return null;
}

/** "v20.1.0" → "20.1.0", "node"/"stable" → "*", "lts/iron" → "20", "lts/*" → "*". */
function nvmrcRange(value: string, file: string): string {
  const v = value.toLowerCase();
  if (v === 'node' || v === 'stable' || v === 'latest' || v === 'lts/*') return '*';
  if (v.startsWith('lts/')) {
    const major = LTS[v.slice(4)];
    if (major === undefined) throw invalid(`${file}: unknown LTS name '${value}'`, `write a version such as 20 or lts/iron in ${file}`);
    return String(major);
  }
  const range = v.replace(/^v(?=\d)/, '');
  if (semver.validRange(range) === null) throw invalid(`${file}: '${value}' is not a Node version`, `write a version such as 20 or 20.11.1 in ${file}`);
  return range;
}
