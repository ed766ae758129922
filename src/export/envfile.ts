// Why: config vars as an env file that systemd's EnvironmentFile=, Compose's env_file and a POSIX shell's
// `.` all read back to the same values, whatever the values hold ($, quotes, backslashes, newlines, %).

export type EnvDialect = 'systemd' | 'compose';

/**
 * One `KEY="VALUE"` line per variable. In double quotes systemd and sh unescape \\ \" \$ \` and keep
 * newlines; Compose unescapes \\ \" \$ (as `$$`, a literal dollar) and keeps newlines, but leaves \` as
 * two characters, so a backtick is escaped for systemd only.
 */
export function envFileText(header: string, vars: Record<string, string>, dialect: EnvDialect, notes: Record<string, string> = {}): string {
  const lines = Object.entries(vars).map(([k, v]) => `${notes[k] ? `# ${notes[k]}\n` : ''}${k}="${escapeValue(v, dialect)}"`);
  return `${header}${lines.join('\n')}\n`;
}

/** A value's double-quoted form in the dialect. */
export function escapeValue(value: string, dialect: EnvDialect): string {
  const special = dialect === 'systemd' ? /[\\"$`]/g : /[\\"$]/g;
  return value.replace(special, (c) => `\\${c}`);
}
