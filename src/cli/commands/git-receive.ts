// Why: `minik _git-receive APP` is what an app repository's pre-receive hook runs: it reads the pushed
// refs, builds the deploy branch's commit through the same deploy API as `minik up`, and exits non-zero
// on a failed deploy so git refuses the push and the branch does not move.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateAppName } from '../../core/names.js';
import { branchOf, parseRefLines, planPush, pushOptions, skipMessage, type PushOptions, type RefUpdate } from '../../git/refs.js';
import { extractCommit } from '../../git/worktree.js';
import { defineCommand } from '../command.js';
import { deploy } from '../deploy.js';
import { print } from '../format.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Why: the daemon (started from here when it is down) and every build would inherit git's hook variables;
 * GIT_OBJECT_DIRECTORY names the quarantine, which is gone after the push. Dropped once the commit is read.
 */
function forgetGitEnvironment(): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('GIT_')) delete process.env[key];
}

/** Extracts the pushed commit into a temporary folder and deploys it; the folder goes even on Ctrl-C. */
async function deployCommit(app: string, u: RefUpdate, options: PushOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `minik-push-${app}-`));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  // Ctrl-C on `git push` signals the whole group: exit at once, which drops the daemon connection as
  // `minik up` does on Ctrl-C. 'exit' also covers a crash on EPIPE once git stopped reading our output.
  process.once('exit', cleanup);
  // eslint-disable-next-line no-restricted-properties -- on Ctrl-C the hook must end now, as git push does; nothing is left to flush
  const onSignal = (sig: NodeJS.Signals) => process.exit(sig === 'SIGINT' ? 130 : 143);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, onSignal);
  try {
    const short = u.newOid.slice(0, 7);
    print(`-----> Building ${app} from ${branchOf(u.ref)} at ${short}${options.noCache ? ' (no-cache: without the dependency cache)' : ''}`);
    await extractCommit(u.newOid, dir);
    forgetGitEnvironment();
    await deploy(app, dir, { sourceVersion: u.newOid, noCache: options.noCache || undefined, ref: u.ref });
  } finally {
    cleanup();
  }
}

/** `minik _git-receive APP` (internal; run by git's pre-receive hook with the pushed refs on stdin). */
export default defineCommand<{ app: string }>({
  command: '_git-receive <app>',
  describe: "deploy a git push (run by the app repository's pre-receive hook)",
  group: 'Git',
  hidden: true,
  builder: (y) => y.positional('app', { type: 'string', demandOption: true }),
  handler: async (argv) => {
    const app = validateAppName(String(argv.app));
    const plan = planPush(parseRefLines(await readStdin()));
    const options = pushOptions(process.env);
    for (const o of options.unknown) print(`minik knows the push options no-cache and skip-build; ignoring '${o}'`);
    for (const b of plan.skipped) print(skipMessage(b));
    if (!plan.deploy) return;
    for (const b of plan.ignored) print(`Pushed ${b} too; only ${branchOf(plan.deploy.ref)} is built`);
    if (options.skipBuild) {
      print(`-----> skip-build: accepting ${branchOf(plan.deploy.ref)} at ${plan.deploy.newOid.slice(0, 7)} without building; ${app} keeps its running release`);
      return;
    }
    await deployCommit(app, plan.deploy, options);
  },
});
