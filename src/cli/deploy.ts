// Why: `minik up` and each `--watch` redeploy print a deploy the same way: build output as it comes,
// then Heroku's `-----> Released vN` and the URL.
import { appPath } from './app.js';
import { releaseVersion, type ReleaseRef } from '../core/api.js';
import { MinikError } from '../core/errors.js';
import { stream } from './client.js';
import { print } from './format.js';
import { appUrl } from './paths.js';
import type { DeployJob } from './watch.js';

/** What a git push adds to a deploy request (see the daemon's DeployOptions). */
export interface DeployExtras { sourceVersion?: string; noCache?: boolean; ref?: string }

/** Deploys `sourceDir` as `app`, printing the build; throws a MinikError when the deploy fails. `job` lets `up --watch` abandon it while it builds. */
export async function deploy(app: string, sourceDir: string, extras: DeployExtras = {}, asTyped = sourceDir, job?: DeployJob): Promise<{ version: number | null; url: string; created: boolean; repo: string | null }> {
  const done = await stream<{ release?: ReleaseRef; url?: string; httpsUrl?: string | null; created?: boolean; repo?: string | null }>(
    'POST', appPath(app, '/deploys'), { sourceDir, ...extras },
    (e) => { if (e.event === 'log') print(e.line); else if (e.event === 'built') job?.built(); },
    { what: 'deploy', signal: job?.signal },
  ).catch((err: unknown) => { throw asTyped === sourceDir ? err : renamePath(err, sourceDir, asTyped); });
  const version = releaseVersion(done.release);
  const url = typeof done.url === 'string' ? done.url : appUrl(app);
  print(`-----> Released ${version === null ? 'a new release' : `v${version}`}`);
  print(`       ${url} deployed`);
  if (typeof done.httpsUrl === 'string') print(`       ${done.httpsUrl} (HTTPS: 'minik certs' to trust its CA)`);
  return { version, url, created: done.created === true, repo: typeof done.repo === 'string' ? done.repo : null };
}

/** Why: the daemon names the folder by its real path; the user reads it as they typed it (`./myapp`). */
function renamePath(err: unknown, from: string, to: string): unknown {
  if (!(err instanceof MinikError)) return err;
  const fix = (t: string) => t.split(from).join(to);
  return new MinikError(fix(err.message), { hint: err.hint && fix(err.hint), code: err.code, exitCode: err.exitCode });
}
