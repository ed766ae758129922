// Why: the Java, Go, Ruby and PHP buildpacks use the system's toolchain rather than downloading one;
// when a tool is missing the build must say which package provides it, not "command not found".
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { MinikError } from '../core/errors.js';

/** A tool a buildpack needs, and how a user gets it. */
export interface Tool {
  /** The executable looked up on PATH. */
  command: string;
  /** What it is, for the message: "Go 1.19+". */
  what: string;
  /** The Debian package that provides it. */
  debian: string;
}

/** The absolute path of `command` on `pathVar` (a PATH value), or null. A command with a slash is checked as is. */
export async function findOnPath(command: string, pathVar: string): Promise<string | null> {
  const candidates = command.includes('/') ? [command] : pathVar.split(path.delimiter).filter(Boolean).map((d) => path.join(d, command));
  for (const file of candidates) {
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** The path of the tool, or a MinikError: "Go app detected, but no `go` on PATH: install Go 1.19+ (Debian: apt-get install golang-go)". */
export async function requireTool(language: string, tool: Tool, env: Record<string, string>): Promise<string> {
  const found = await findOnPath(tool.command, env.PATH ?? '');
  if (found) return found;
  throw new MinikError(`${language} app detected, but no \`${tool.command}\` on PATH: install ${tool.what} (Debian: apt-get install ${tool.debian})`, {
    code: 'build_failed',
    hint: "then run minik up again; the daemon's PATH is the one searched (restart it with 'minik daemon stop' if you just installed the tool)",
  });
}
