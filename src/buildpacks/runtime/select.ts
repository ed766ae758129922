// Why: choosing an interpreter is a pure decision over what is installed, so it is tested without
// installing anything: a version request and a list of candidates in, the one to use (or an error
// naming what to install) out.
import semver from 'semver';
import { MinikError } from '../../core/errors.js';
import type { VersionRequest } from './request.js';

/** An installed interpreter: its version, its executable, and where minik found it ("PATH", "nvm"). */
export interface Candidate {
  version: string;
  executable: string;
  source: string;
}

/** True when an installed version satisfies the request (semver for Node, a version prefix for Python). */
export function satisfies(req: VersionRequest, version: string): boolean {
  if (req.language === 'node') return semver.valid(version) !== null && semver.satisfies(version, req.wanted);
  return version === req.wanted || version.startsWith(`${req.wanted}.`);
}

/** The newest candidate that satisfies the request; among equal versions, the first listed (PATH before installs). */
export function chooseRuntime(req: VersionRequest, candidates: readonly Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (!satisfies(req, c.version)) continue;
    if (best === null || compareVersions(c.version, best.version) > 0) best = c;
  }
  return best;
}

/** Numeric comparison of dotted versions ("3.10.2" > "3.9.18"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The error when nothing installed matches: what was asked, what was found, and how to install a match. */
export function noMatchError(req: VersionRequest, candidates: readonly Candidate[]): MinikError {
  const name = req.language === 'node' ? 'Node.js' : 'Python';
  const found = candidates.length === 0 ? 'none' : candidates.map((c) => `${c.version} (${c.executable})`).join(', ');
  const v = req.language === 'node' ? installableNode(req.wanted) : req.wanted;
  const how = req.language === 'node'
    ? `nvm install ${v}, fnm install ${v} or volta install node@${v}`
    : `pyenv install ${v}, uv python install ${v} or mise install python@${v}`;
  return new MinikError(`no installed ${name} matches ${req.source} '${req.wanted}'`, {
    code: 'build_failed',
    hint: `install one (e.g. ${how}) or change ${req.source}; found: ${found}`,
  });
}

/** A version an installer accepts for a range: "20.x" → 20, ">=18 <21" → 18; the range itself otherwise. */
function installableNode(range: string): string {
  const min = semver.validRange(range) === null ? null : semver.minVersion(range);
  if (min === null) return range;
  return range.trim() === '*' ? 'node' : /^[\d.x*]+$/.test(range.trim()) ? range.trim().replace(/\.[x*]$/, '') : String(min.major);
}
