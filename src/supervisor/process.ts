// Why: the one place a Procfile command runs through a shell: `/bin/sh -c`, in its own process group,
// after sourcing the slug's .profile.d/*.sh and .profile.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LineSplitter } from './lines.js';
import { OWNER_VAR } from './owner.js';

/** Why: how a process ended, as Node reports it: an exit code or a signal name. */
export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

/** Why: a running dyno process: its pid (null if spawning failed) and a promise of its end. */
export interface DynoProcess {
  pid: number | null;
  exited: Promise<ExitInfo>;
}

/** If the exit came without 'close' (a grandchild holds the pipes), wait this long for output. */
const OUTPUT_GRACE_MS = 100;
/** Exit status the shell uses for "command not found"; also used when spawn itself fails. */
const SPAWN_FAILED = 127;

/** Why: Heroku reports a signal death as 128 + signal number (143 for TERM, 137 for KILL). */
export function exitStatus(exit: ExitInfo): number {
  if (exit.code != null) return exit.code;
  const signo = exit.signal ? os.constants.signals[exit.signal as NodeJS.Signals] : undefined;
  return signo ? 128 + signo : 1;
}

/**
 * Why: the script `sh -c` runs. Only the profile files that exist are sourced, and a simple command is
 * `exec`ed (dash does not do that by itself), so the app leads its group, gets signals first-hand
 * and its own exit status is the dyno's.
 */
export function wrapCommand(cwd: string, command: string): string {
  const parts: string[] = [];
  if (hasProfileScripts(path.join(cwd, '.profile.d'))) {
    parts.push('for f in .profile.d/*.sh; do [ -r "$f" ] && . "$f"; done');
  }
  if (isReadableFile(path.join(cwd, '.profile'))) parts.push('[ -r .profile ] && . ./.profile');
  parts.push(isSimpleCommand(command) ? `exec ${command.trim()}` : command);
  return parts.join('; ');
}

/** Shell words `exec` cannot run: keywords and builtins without a program of the same name. */
const NOT_EXECABLE = new Set(
  'if then else elif fi for while until do done case esac { } ! . : source exec export set unset cd trap eval ulimit umask wait alias read shift return exit readonly local'.split(' '),
);

/** A command `exec` can replace the shell with: one command, no control operators, no assignments. */
export function isSimpleCommand(command: string): boolean {
  // Quoted text is one word whatever it holds; only the unquoted rest can chain or group commands.
  const bare = command.replace(/'[^']*'|"(?:\\.|[^"\\])*"/g, 'q');
  if (/[;&|()`'"\n]/.test(bare)) return false;
  const first = bare.trim().split(/\s+/)[0] ?? '';
  return first !== '' && !first.includes('=') && !NOT_EXECABLE.has(first);
}

function hasProfileScripts(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((f) => f.endsWith('.sh'));
  } catch {
    return false;
  }
}

function isReadableFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Why: starts one dyno process, leader of its own group and carrying its marker, with its output split into lines. */
export function spawnDynoProcess(
  spec: { command: string; cwd: string; env: Record<string, string>; marker: string },
  onLine: (line: string) => void,
  onSpawnError: (err: Error) => void,
): DynoProcess {
  const child = spawn('/bin/sh', ['-c', wrapCommand(spec.cwd, spec.command)], {
    cwd: spec.cwd,
    env: { ...spec.env, [OWNER_VAR]: spec.marker },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    const splitter = new LineSplitter(onLine);
    stream.on('data', (chunk: Buffer) => {
      splitter.push(chunk);
      // One chunk per turn of the event loop, then the next at once: libuv otherwise reads up to 32 chunks (2 MB)
      // of a flooding dyno in one turn, and the router, the followers and the log file's finished writes waited
      // behind them (with a disk that kept up, the file's write queue reached 3-4 MB; with this, mostly under
      // 1 MB). The dyno is not slowed: 50 MB went through in the same time.
      stream.pause();
      setImmediate(() => stream.resume());
    });
    stream.on('end', () => splitter.end());
    stream.on('error', () => splitter.end());
  }
  const exited = new Promise<ExitInfo>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    child.once('exit', (code, signal) => {
      timer = setTimeout(() => resolve({ code, signal }), OUTPUT_GRACE_MS);
    });
    child.once('close', (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return;
      // Node reports a missing cwd as "spawn /bin/sh ENOENT"; name the folder instead.
      onSpawnError(err.code === 'ENOENT' && !fs.existsSync(spec.cwd) ? new Error(`folder ${spec.cwd} does not exist`) : err);
      resolve({ code: SPAWN_FAILED, signal: null });
    });
  });
  return { pid: child.pid ?? null, exited };
}
