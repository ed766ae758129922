// Why: Heroku's Go buildpack, locally: `go build` with the system's Go, the module and build caches
// kept in the build cache, and a web process named after the module.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { invalid } from '../core/errors.js';
import { buildEnv, runStep } from './exec.js';
import { requireTool } from './toolchain.js';
import { INDENT, isFile, writeProfileScript } from './util.js';
import type { BuildResult, Buildpack } from './types.js';

const GO: { command: string; what: string; debian: string } = { command: 'go', what: 'Go 1.19+', debian: 'golang-go' };

/** What go.mod says: the module path, its `go` line and the `// +heroku goVersion` comment, if any. */
export interface GoMod {
  module: string;
  go: string | null;
  herokuGoVersion: string | null;
}

/** Parses the lines of go.mod the build needs; a MinikError when there is no module line. */
export function parseGoMod(text: string): GoMod {
  const module = /^\s*module\s+("?)([^\s"]+)\1\s*(?:\/\/.*)?$/m.exec(text)?.[2];
  if (!module) throw invalid('go.mod has no module line', "add one, e.g. 'module example.com/hello' (go mod init)");
  return {
    module,
    go: /^\s*go\s+(\S+)/m.exec(text)?.[1] ?? null,
    herokuGoVersion: /^\s*\/\/\s*\+heroku\s+goVersion\s+(\S+)/m.exec(text)?.[1] ?? null,
  };
}

/** The binary `go build -o bin/` makes for the module's root package: its last path element (skipping a /vN suffix). */
export function goBinaryName(module: string): string {
  const parts = module.split('/').filter(Boolean);
  const last = parts.at(-1) ?? module;
  return /^v\d+$/.test(last) && parts.length > 1 ? parts.at(-2)! : last;
}

/** Detected by go.mod; builds every main package into bin/. */
export const goBuildpack: Buildpack = {
  name: 'go',
  detect: (dir) => isFile(path.join(dir, 'go.mod')),
  async build(ctx): Promise<BuildResult> {
    ctx.log('-----> Go app detected');
    const mod = parseGoMod(await readFile(path.join(ctx.buildDir, 'go.mod'), 'utf8'));
    const env = buildEnv({
      ...ctx.env,
      GOMODCACHE: path.join(ctx.cacheDir, 'mod'),
      GOCACHE: path.join(ctx.cacheDir, 'build'),
      GOPATH: path.join(ctx.cacheDir, 'gopath'),
      // Read-write module files, so `apps:destroy` can delete the cache; never download a toolchain.
      GOFLAGS: [ctx.env.GOFLAGS ?? process.env.GOFLAGS ?? '', '-modcacherw'].join(' ').trim(),
      GOTOOLCHAIN: 'local',
    });
    await requireTool('Go', GO, env);
    ctx.log(`${INDENT}Module ${mod.module}${mod.go ? ` (go ${mod.go})` : ''}`);
    if (mod.herokuGoVersion) ctx.log(`${INDENT}go.mod asks for ${mod.herokuGoVersion} (+heroku goVersion): minik builds with the system's go`);
    await runStep(ctx, 'go', ['version'], { cwd: ctx.buildDir, env });
    ctx.log('-----> Running: go build -o bin/ ./...');
    await runStep(ctx, 'go', ['build', '-o', 'bin/', './...'], { cwd: ctx.buildDir, env });
    await writeProfileScript(ctx.buildDir, 'go.sh', ['export PATH="$PWD/bin:$PATH"']);
    const binary = goBinaryName(mod.module);
    if (await isFile(path.join(ctx.buildDir, 'bin', binary))) return { defaultProcessTypes: { web: `bin/${binary}` } };
    ctx.log(`${INDENT}No bin/${binary} was built (the module's root is no main package): name the web process in a Procfile`);
    return { defaultProcessTypes: {} };
  },
};
