// Why: `.slugignore` (deploy) and `.gitignore` (watch) follow git's rules exactly: `!` re-includes, `dir/`
// matches only folders, a pattern with a '/' is anchored. The `ignore` package implements them as git does
// (it is what ESLint and many others use); a home-made matcher got negations and `dir/` wrong.
import ignore from 'ignore';

/** The lines of an ignore file that carry a rule: not blank, not a comment (a `\#` escape is a rule). */
export function ignoreRules(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

/**
 * A predicate over '/'-separated paths relative to the root: true when the rules ignore the path. Pass
 * `isDir` for folders, so `tmp/` matches the folder itself (a file's parent folders are checked either way).
 */
export function ignoreMatcher(lines: string[]): (relPath: string, isDir?: boolean) => boolean {
  const rules = lines.filter((l) => l.trim() !== '');
  if (rules.length === 0) return () => false;
  const ig = ignore().add(rules);
  return (relPath, isDir = false) => relPath !== '' && ig.ignores(isDir ? `${relPath}/` : relPath);
}
