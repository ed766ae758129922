// Why: a build that downloads from Maven repositories (Leiningen, the Clojure CLI, sbt's coursier) fails with pages
// of resolver output when a repository cannot be reached (Clojars or repo.scala-sbt.org are out of reach on some
// networks, Maven Central may not be); the build's error names the repository in one sentence instead.
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

/** coursier (sbt) resolving: "Error downloading G:A;sbtVersion=1.0;scalaVersion=2.12:V", then a line per repository tried. */
const COURSIER_MODULE = /Error downloading ([^:\s;]+):([^:\s;]+)(?:;\S*?)?:([^:\s]+)\s*$/;
/** …of which these say the repository's host could not be reached (not "not found": that one answered). */
const COURSIER_FAILED = /download error: Caught java\.net\.(?:UnknownHost|Connect|NoRouteToHost|SocketTimeout|HttpConnectTimeout)Exception\b.* while downloading ((https?:\/\/[^/\s]+\/)\S*)/;

/** True for the resolver lines unreachableRepositories reads (the rest of a build's output is not kept). */
export function isResolverLine(line: string): boolean {
  return line.includes('Could not transfer') || line.includes('Error downloading ') || line.includes('download error: Caught');
}

/**
 * The repositories named by Maven resolver's "Could not transfer artifact X from/to R (URL)" lines and by coursier's
 * "download error: Caught java.net.UnknownHostException … while downloading URL" lines, in order.
 */
export function unreachableRepositories(lines: readonly string[]): Unreachable[] {
  const found = new Map<string, Unreachable>();
  const add = (repository: string, url: string, artifact: string) => {
    const entry = found.get(url) ?? { repository, url, artifacts: [] };
    if (!entry.artifacts.includes(artifact)) entry.artifacts.push(artifact);
    found.set(url, entry);
  };
  let module: string | null = null;
  for (const line of lines) {
    const maven = TRANSFER_FAILED.exec(line);
    if (maven) add(maven[2]!, maven[3]!, maven[1]!);
    const named = COURSIER_MODULE.exec(line);
    if (named) module = `${named[1]}:${named[2]}:${named[3]}`;
    const coursier = COURSIER_FAILED.exec(line);
    // A jar fetched after resolution ("Error fetching artifacts: URL: download error…") has no module line: its file name.
    if (coursier) add(new URL(coursier[2]!).host, coursier[2]!, module ?? coursier[1]!.slice(coursier[1]!.lastIndexOf('/') + 1));
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
 * runStep, turning a failure that Maven resolver or coursier blamed on unreachable repositories into one sentence
 * naming them (Leiningen's own output ends "Could not resolve dependencies"); `elsewhere` says where the app names
 * its repositories, for the hint.
 */
export async function runReportingRepositories(ctx: BuildContext, tool: string, file: string, args: string[], opts: StepOptions, elsewhere: string): Promise<void> {
  const transfers: string[] = [];
  const tapped: BuildContext = { ...ctx, log: (line) => { if (isResolverLine(line) && transfers.length < 1000) transfers.push(line); ctx.log(line); } };
  try {
    await runStep(tapped, file, args, opts);
  } catch (err) {
    const repos = unreachableRepositories(transfers);
    if (repos.length === 0 || ctx.signal?.aborted) throw err;
    throw new MinikError(unreachableMessage(tool, repos), {
      code: 'build_failed', hint: `check the network (a proxy goes in the https_proxy config var), or ${elsewhere}, then run minik up again`,
    });
  }
}
