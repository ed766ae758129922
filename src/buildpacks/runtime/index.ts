// Why: the language version an app asks for selects the interpreter of its build and of its dynos. The
// choice is recorded in the release (language, version, executable), so dynos, one-offs and rollbacks
// put the same interpreter's folder first on PATH.
import { homedir } from 'node:os';
import path from 'node:path';
import type { Runtime } from '../../core/types.js';
import { readText } from '../../core/files.js';
import { buildEnv, probeStep } from '../exec.js';
import type { BuildContext } from '../types.js';
import { installedCandidates, pathCandidates, type Probe } from './discover.js';
import { nodeRequest, parsePythonVersionFile, parseRuntimeTxt, type VersionRequest } from './request.js';
import { chooseRuntime, noMatchError, type Candidate } from './select.js';

export type { VersionRequest } from './request.js';

/** "node 20.19.5 (/usr/bin/node)", as `minik info` and the build log show it. */
export function describeRuntime(r: Runtime): string {
  return `${r.language} ${r.version} (${r.executable})`;
}

/** `env` with the runtime's bin folder first on PATH (once); unchanged without a runtime. */
export function withRuntimePath(env: Record<string, string>, runtime: Runtime | null | undefined): Record<string, string> {
  if (!runtime) return env;
  const dir = path.dirname(runtime.executable);
  return { ...env, PATH: [dir, ...(env.PATH ?? '').split(':').filter((p) => p !== '' && p !== dir)].join(':') };
}

/** An interpreter chosen for a build, and the request it answers (null: nothing asked, the default). */
export interface Selection {
  runtime: Runtime;
  request: VersionRequest | null;
}

/** The build log's line: "Using node 20.19.5 (/usr/bin/node) for package.json engines.node '20.x'". */
export function describeSelection({ runtime, request }: Selection, otherwise: string): string {
  return `Using ${describeRuntime(runtime)}${request ? ` for ${request.source} '${request.wanted}'` : `: ${otherwise}`}`;
}

/** The node a Node.js build uses: the one engines.node/.nvmrc/.node-version ask for, else the daemon's own. */
export async function selectNode(ctx: BuildContext, engines: unknown): Promise<Selection> {
  const request = nodeRequest(engines, readText(path.join(ctx.buildDir, '.nvmrc')), readText(path.join(ctx.buildDir, '.node-version')));
  const own: Candidate = { version: process.version.slice(1), executable: process.execPath, source: 'PATH' };
  if (request === null) return { runtime: { language: 'node', version: own.version, executable: own.executable }, request };
  const found = [...await pathCandidates('node', buildEnv({}).PATH ?? '', probe(ctx), own), ...await installedCandidates('node', home())];
  return { runtime: pick(request, found), request };
}

/**
 * The python a Python build uses when .python-version or runtime.txt asks for one (null: python3 on
 * PATH, as before). The build then asks that python itself for its exact version and executable.
 */
export async function selectPython(ctx: BuildContext): Promise<Selection | null> {
  const request = await pythonRequest(ctx.buildDir);
  if (request === null) return null;
  const found = [...await pathCandidates('python', buildEnv({}).PATH ?? '', probe(ctx)), ...await installedCandidates('python', home())];
  return { runtime: pick(request, found), request };
}

/** Heroku's order: .python-version, then the older runtime.txt. */
export async function pythonRequest(dir: string): Promise<VersionRequest | null> {
  const pv = readText(path.join(dir, '.python-version'));
  if (pv !== null) {
    const req = parsePythonVersionFile(pv);
    if (req) return req;
  }
  const rt = readText(path.join(dir, 'runtime.txt'));
  return rt === null ? null : parseRuntimeTxt(rt);
}

function pick(req: VersionRequest, candidates: Candidate[]): Runtime {
  const c = chooseRuntime(req, candidates);
  if (!c) throw noMatchError(req, candidates);
  return { language: req.language, version: c.version, executable: c.executable };
}

/** $HOME of the daemon: version managers install under it. */
function home(): string {
  return process.env.HOME || homedir();
}

function probe(ctx: BuildContext): Probe {
  return async (file, args) => {
    const r = await probeStep(ctx, file, args, { cwd: ctx.buildDir, env: buildEnv({}) });
    return r.failed ? null : r.stdout;
  };
}
