// Why: command arguments are parsed by small pure functions so every rule (and its error message)
// is unit-tested without a daemon.
import { invalid } from '../core/errors.js';
import { shellQuote } from '../core/shell.js';
import { isProcessType, parseDynoName, validateConfigKey } from '../core/names.js';
import type { Formation } from '../core/types.js';

import { MAX_QUANTITY as MAX_DYNOS } from '../core/limits.js';

/** One `scale` argument: `web=3` (set), `web+1` / `web-1` (relative, as on Heroku). */
export interface ScaleChange { type: string; op: '=' | '+' | '-'; n: number }

/** Parses `TYPE=N`, `TYPE+N`, `TYPE-N` arguments; throws naming the first bad one. */
export function parseScaleArgs(args: string[]): ScaleChange[] {
  const seen = new Set<string>();
  return args.map((arg) => {
    const m = arg.includes('=') ? /^([^=]*)(=)(.*)$/s.exec(arg) : /^(.+)([+-])(\d+)$/.exec(arg);
    if (!m || !isProcessType(m[1]!)) {
      throw invalid(`'${arg}' is not TYPE=N (TYPE: letters, digits, '-' and '_'; N: 0 to ${MAX_DYNOS})`, 'e.g. minik scale web=2 worker=1');
    }
    const type = m[1]!;
    if (!/^\d{1,3}$/.test(m[3]!) || Number(m[3]) > MAX_DYNOS) {
      throw invalid(`'${arg}': the quantity must be a whole number from 0 to ${MAX_DYNOS}`, 'e.g. minik scale web=2 worker=1');
    }
    if (seen.has(type)) throw invalid(`'${arg}': process type '${type}' is given twice`, 'name each process type once');
    seen.add(type);
    return { type, op: m[2] as ScaleChange['op'], n: Number(m[3]) };
  });
}

/** The PATCH body for `changes` given the current formation; relative changes need the current one. */
export function applyScale(changes: ScaleChange[], current: Formation): Formation {
  const next: Formation = {};
  for (const c of changes) {
    const now = current[c.type] ?? 0;
    const n = c.op === '=' ? c.n : c.op === '+' ? now + c.n : now - c.n;
    if (n < 0 || n > MAX_DYNOS) {
      throw invalid(`${c.type}${c.op}${c.n} would make ${n} ${c.type} dynos`, `the quantity must stay from 0 to ${MAX_DYNOS}`);
    }
    next[c.type] = n;
  }
  return next;
}

/** Splits `KEY=value` arguments on the first '='; values are kept byte for byte (empty, '=', newlines). */
export function parseConfigPairs(args: string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const arg of args) {
    const i = arg.indexOf('=');
    if (i < 0) throw invalid(`'${arg}' is not KEY=value`, "e.g. minik config:set NODE_ENV=production (use KEY= for an empty value)");
    vars[validateConfigKey(arg.slice(0, i))] = arg.slice(i + 1);
  }
  return vars;
}

/** One /bin/sh quoting rule, in core. */
export { shellQuote };

/** `minik run` arguments as one sh command: a single argument is taken as a command line, several are quoted. */
export function joinCommand(args: string[]): string {
  if (args.length === 0) throw invalid('no command to run', "e.g. minik run -- node scripts/migrate.js");
  return args.length === 1 ? args[0]! : args.map(shellQuote).join(' ');
}

/** `minik run`'s own options that take a value; any other word before the command is a flag or the command. */
const RUN_VALUE_FLAGS = new Set(['-a', '--app']);

/**
 * `minik run` args with `--` put before the command, so everything from the first positional word on is
 * the command, as `heroku run` reads it: `run -a shop node -v` runs `node -v` (not minik's --version), and
 * `run ls -la` has no unknown `-l`. Options before the command stay minik's; an explicit `--` is kept.
 */
export function splitRunArgs(args: readonly string[]): string[] {
  for (let i = 1; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--') break;
    if (RUN_VALUE_FLAGS.has(word)) i++;
    else if (!word.startsWith('-') || word === '-') return [...args.slice(0, i), '--', ...args.slice(i)];
  }
  return [...args];
}

/** `v4` or `4` → 4 (one parser, in core, for the CLI and the API). */
export { parseReleaseVersion } from '../core/limits.js';

/** A restart/stop target: a process type (`web`) or a dyno (`web.1`). */
export function parseTarget(arg: string): string {
  if (parseDynoName(arg) || isProcessType(arg)) return arg;
  throw invalid(`'${arg}' is neither a process type nor a dyno name`, "e.g. web or web.1; see 'minik ps'");
}

/** A custom domain (one validator, in core, for the CLI, the API and the store). */
export { validateDomain as validateHost } from '../core/names.js';

/** `logs -n`: 0..1500 lines, as on Heroku. */
export function parseLineCount(n: unknown): number {
  const v = Number(n);
  if (!Number.isInteger(v) || v < 0 || v > 1500) throw invalid(`-n ${String(n)}: the number of lines must be a whole number from 0 to 1500`, 'e.g. minik logs -n 200');
  return v;
}
