// Why: every build step runs the same way — execa with an argument list (never a shell), output
// streamed line by line into the build log, and one clear error when the step fails.
import { execa } from 'execa';
import { MinikError } from '../core/errors.js';
import { INDENT } from './util.js';
import type { BuildContext } from './types.js';

/** How a build step runs: its folder and the variables added to the daemon's environment. */
export interface StepOptions {
  cwd: string;
  env: Record<string, string>;
  /** The name in messages; defaults to the command line. */
  label?: string;
}

// Left behind when the daemon itself was started by npm (npm run, npx); they would point npm at the
// wrong project or package, so build steps never inherit them.
const INHERITED_NPM_NOISE = /^(npm_lifecycle_|npm_package_|npm_command$|npm_execpath$|npm_node_execpath$|npm_config_local_prefix$|init_cwd$)/i;

/** The daemon's environment without npm's per-invocation variables, plus `extra`. */
export function buildEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !INHERITED_NPM_NOISE.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs one build step, logging each output line indented; throws MinikError 'build_failed' on failure. */
export async function runStep(ctx: BuildContext, file: string, args: string[], opts: StepOptions): Promise<void> {
  const label = opts.label ?? [file, ...args].join(' ');
  const sub = execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: false,
    preferLocal: false,
    stdin: 'ignore',
    all: true,
    buffer: false,
    reject: false,
    cancelSignal: ctx.signal,
  });
  try {
    for await (const line of sub.iterable({ from: 'all' })) if (line.trim() !== '') ctx.log(INDENT + line);
  } catch {
    // The result below says why the output ended.
  }
  const result = await sub;
  if (!result.failed) return;
  if (result.isCanceled) throw new MinikError(`build canceled during '${label}'`, { code: 'build_failed' });
  throw new MinikError(`build failed: '${label}' ${failureReason(result)}`, {
    code: 'build_failed',
    hint: result.code === 'ENOENT'
      ? `install ${file} or put it on the PATH of the minik daemon, then run minik up again`
      : 'see the output above; fix it and run minik up again',
  });
}

function failureReason(r: { exitCode?: number; signal?: string; code?: string }): string {
  if (r.code === 'ENOENT') return 'could not start: command not found';
  if (r.exitCode !== undefined) return `exited with status ${r.exitCode}`;
  if (r.signal) return `was killed by ${r.signal}`;
  return `could not run${r.code ? ` (${r.code})` : ''}`;
}
