// Why: the pre-receive hook is a tiny shell script with absolute paths fixed when the repository is made,
// so a push works from any shell (no PATH, no nvm) and reaches the daemon of this MINIK_HOME.

/** What the hook needs to call the minik CLI. */
export interface HookPaths {
  /** The node binary (the daemon's process.execPath). */
  node: string;
  /** minik's bin/minik. */
  cli: string;
  /** The MINIK_HOME whose daemon deploys the push (the pusher's own environment may name another). */
  home: string;
}

/** Single-quotes a value for /bin/sh. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The pre-receive hook of `app`'s repository. */
export function preReceiveHook(app: string, p: HookPaths): string {
  return [
    '#!/bin/sh',
    `# Written by minik: builds and deploys pushes to main or master of the app ${app}.`,
    `# 'minik apps:create ${app}' rewrites it, e.g. after node or minik moved.`,
    `MINIK_HOME=${shQuote(p.home)}`,
    'export MINIK_HOME',
    `if [ ! -x ${shQuote(p.node)} ] || [ ! -f ${shQuote(p.cli)} ]; then`,
    `  echo ${shQuote(`minik: this repository's hook runs ${p.node} and ${p.cli}, and one of them has moved`)} >&2`,
    `  echo ${shQuote(`hint: run 'minik apps:create ${app}' to repair the hook, then push again`)} >&2`,
    '  exit 1',
    'fi',
    `exec ${shQuote(p.node)} ${shQuote(p.cli)} _git-receive ${shQuote(app)}`,
    '',
  ].join('\n');
}
