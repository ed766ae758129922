// Why: minik writes shell words in three places (buildpacks' .profile.d and default commands, the CLI's
// `config --shell` and `run` arguments); one quoting rule serves them all.

/** Quotes `s` as one /bin/sh word: bare when it is plainly safe, else in single quotes. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
