// Why: a build that downloads from Maven repositories (Leiningen, the Clojure CLI) fails with pages of resolver
// output when a repository cannot be reached (Clojars is out of reach on some networks, Maven Central may not
// be); the build's error names the repository in one sentence instead.
import { MinikError } from '../core/errors.js';
import { runStep, type StepOptions } from './exec.js';
import type { BuildContext } from './types.js';

/** A repository a download could not reach, with the artifacts it was asked for. */
export interface Unreachable {
  repository: string;
  url: string;
  artifacts: string[];
}

const TRANSFER_FAILED = /Could not transfer (?:artifact|metadata) (\S+) from\/to (\S+) \(([^)\s]+)\)/;

/** The repositories named by Maven resolver's "Could not transfer artifact X from/to R (URL)" lines, in order. */
export function unreachableRepositories(lines: readonly string[]): Unreachable[] {
  const found = new Map<string, Unreachable>();
  for (const line of lines) {
    const m = TRANSFER_FAILED.exec(line);
    if (!m) continue;
    const entry = found.get(m[3]!) ?? { repository: m[2]!, url: m[3]!, artifacts: [] };
    if (!entry.artifacts.includes(m[1]!)) entry.artifacts.push(m[1]!);
    found.set(m[3]!, entry);
  }
  return [...found.values()];
}

/** One sentence for a build that failed because `repos` could not be reached. */
export function unreachableMessage(tool: string, repos: readonly Unreachable[]): string {
  const artifacts = [...new Set(repos.flatMap((r) => r.artifacts))];
  const more = artifacts.length > 1 ? ` and ${artifacts.length - 1} more` : '';
  const where = repos.map((r) => `${r.repository} (${r.url})`).join(' and ');
  return `${tool} could not download ${artifacts[0]}${more}: ${repos.length > 1 ? 'the repositories' : 'the repository'} ${where} cannot be reached from this machine`;
}

/**
 * runStep, turning a failure that Maven resolver blamed on unreachable repositories into one sentence naming
 * them (Leiningen's own output ends "Could not resolve dependencies").
 */
export async function runReportingRepositories(ctx: BuildContext, tool: string, file: string, args: string[], opts: StepOptions): Promise<void> {
  const transfers: string[] = [];
  const tapped: BuildContext = { ...ctx, log: (line) => { if (line.includes('Could not transfer') && transfers.length < 1000) transfers.push(line); ctx.log(line); } };
  try {
    await runStep(tapped, file, args, opts);
  } catch (err) {
    const repos = unreachableRepositories(transfers);
    if (repos.length === 0 || ctx.signal?.aborted) throw err;
    throw new MinikError(unreachableMessage(tool, repos), {
      code: 'build_failed',
      hint: 'check the network (a proxy goes in the https_proxy config var), or point :mirrors or :repositories at a repository this machine reaches, then run minik up again',
    });
  }
}
