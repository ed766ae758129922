// A reading of a systemd command line as systemd does it (systemd.service(5), "Command lines" and
// "Specifiers"): `%%` is `%`, words split on spaces, "…" and '…' quote with C escapes, `$$` is `$`.
// Only what the exported units use; enough for the tests to run ExecStart without systemd.
import { execFileSync } from 'node:child_process';

/** The argv a systemd ExecStart= value becomes. */
export function systemdWords(line: string): string[] {
  const specified = line.replace(/%(.)/g, (m, c: string) => {
    if (c === '%') return '%';
    throw new Error(`specifier ${m} in ${line}`);
  });
  const words: string[] = [];
  let i = 0;
  while (i < specified.length) {
    while (specified[i] === ' ') i++;
    if (i >= specified.length) break;
    let word = '';
    const quote = specified[i] === '"' || specified[i] === "'" ? specified[i++] : null;
    for (; i < specified.length; i++) {
      const c = specified[i]!;
      if (quote ? c === quote : c === ' ') { i++; break; }
      if (c === '\\') {
        const n = specified[++i]!;
        word += ({ n: '\n', t: '\t', '\\': '\\', '"': '"', "'": "'" } as Record<string, string>)[n] ?? `\\${n}`;
      } else word += c;
    }
    words.push(word.replace(/\$\$/g, '$'));
  }
  return words;
}

/** A unit file's settings: `Key=value` lines of every section, repeated keys kept in order. */
export function unitSettings(text: string): Array<[string, string]> {
  return text.split('\n').filter((l) => /^[A-Za-z]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
}

/** The variables a shell gets from `set -a; . FILE` (an EnvironmentFile= read by another parser), NUL-separated. */
export function sourceWithSh(text: string): Record<string, string> {
  const out = execFileSync('/bin/sh', ['-c', 'set -a; eval "$1"; set +a; exec env -0', 'sh', text], { env: { PATH: '/usr/bin:/bin' } }).toString('utf8');
  const vars = Object.fromEntries(out.split('\0').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  for (const k of ['PWD', 'SHLVL', 'PATH', '_', 'OLDPWD']) delete vars[k];
  return vars;
}
