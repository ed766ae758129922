// Why: `.slugignore` (deploy) and `.gitignore` (watch) share one small, predictable matcher.

/** Turns gitignore-style lines into a predicate over '/'-separated paths relative to the root. */
export function ignoreMatcher(lines: string[]): (relPath: string) => boolean {
  const rules = lines
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!'))
    .map(toRegExp);
  if (rules.length === 0) return () => false;
  return (relPath) => rules.some((re) => re.test(relPath));
}

/** Why: a pattern with a '/' is anchored at the root (gitignore's rule); otherwise it matches any segment. */
function toRegExp(pattern: string): RegExp {
  const dirOnly = pattern.endsWith('/');
  let p = pattern.replace(/\/+$/, '');
  const anchored = p.includes('/');
  p = p.replace(/^\//, '');
  let body = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*' && p[i + 1] === '*') {
      body += '.*';
      i += p[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') body += '[^/]*';
    else if (c === '?') body += '[^/]';
    else body += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const prefix = anchored ? '^' : '^(?:.*/)?';
  // A matched folder hides everything below it; a dir-only rule still matches the folder path itself.
  return new RegExp(`${prefix}${body}${dirOnly ? '(?:/.*)?$' : '(?:/.*)?$'}`);
}
