// Why: what a push means for minik, as a pure function of the pre-receive hook's stdin (githooks(5):
// `<old-oid> SP <new-oid> SP <refname> LF` per ref) and its push options, so it is tested without git.
import { invalid } from '../core/errors.js';

/** One ref a push updates; a new ref's old oid and a deleted ref's new oid are all zeros. */
export interface RefUpdate { oldOid: string; newOid: string; ref: string }

/** What the hook does with a push. */
export interface PushPlan {
  /** The deploy-branch update to build, if any. */
  deploy: RefUpdate | null;
  /** Branch names accepted without a build (not main or master). */
  skipped: string[];
  /** Deploy-branch updates that are not built because another one in the same push is. */
  ignored: string[];
}

/** Push options minik acts on (`git push -o NAME`). */
export interface PushOptions { noCache: boolean; skipBuild: boolean; unknown: string[] }

/** Branches whose pushes deploy, as on Heroku. */
export const DEPLOY_BRANCHES = ['main', 'master'] as const;

const ZERO = /^0+$/;
const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Parses the hook's stdin; throws naming the line when git sent something else. */
export function parseRefLines(text: string): RefUpdate[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((line, i) => {
    const [oldOid, newOid, ref, extra] = line.split(' ');
    if (!oldOid || !newOid || !ref || extra !== undefined || !OID.test(oldOid) || !OID.test(newOid)) {
      throw invalid(`pre-receive input line ${i + 1} is not '<old-oid> <new-oid> <ref>': ${line.slice(0, 120)}`, 'the hook must be run by git receive-pack');
    }
    return { oldOid, newOid, ref };
  });
}

/** True for an update that deletes its ref. */
export const isDelete = (u: RefUpdate): boolean => ZERO.test(u.newOid);

/** `refs/heads/feature` → `feature`; null for tags and other refs. */
export function branchOf(ref: string): string | null {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
}

/** Decides what to build: main wins over master when one push updates both; deletions are only accepted. */
export function planPush(updates: RefUpdate[]): PushPlan {
  const live = updates.filter((u) => !isDelete(u));
  const deployable = DEPLOY_BRANCHES.map((b) => live.find((u) => u.ref === `refs/heads/${b}`)).filter((u): u is RefUpdate => !!u);
  const deploy = deployable[0] ?? null;
  return {
    deploy,
    skipped: live.map((u) => branchOf(u.ref)).filter((b): b is string => b !== null && !(DEPLOY_BRANCHES as readonly string[]).includes(b)),
    ignored: deployable.slice(1).map((u) => branchOf(u.ref)!),
  };
}

/** Heroku's line for a branch that is accepted but not built. */
export function skipMessage(branch: string): string {
  return `Pushed to non-deploy branch ${branch}, skipping build. Deploy it with: git push minik ${branch}:main`;
}

/** Reads GIT_PUSH_OPTION_COUNT and GIT_PUSH_OPTION_0..N-1. */
export function pushOptions(env: NodeJS.ProcessEnv): PushOptions {
  const count = Number(env.GIT_PUSH_OPTION_COUNT ?? 0);
  const given = Array.from({ length: Number.isInteger(count) && count > 0 ? count : 0 }, (_, i) => env[`GIT_PUSH_OPTION_${i}`] ?? '');
  const known = new Set(['no-cache', 'skip-build']);
  return {
    noCache: given.includes('no-cache'),
    skipBuild: given.includes('skip-build'),
    unknown: given.filter((o) => !known.has(o)),
  };
}
