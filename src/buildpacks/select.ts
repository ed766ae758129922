// Why: which buildpacks build an app, by Heroku's (and Dokku's) precedence, decided as pure data: the
// app's list, then app.json's `buildpacks`, then a `.buildpacks` file, then detection over the built-ins.
import { invalid } from '../core/errors.js';
import { builtinBuildpack } from './registry.js';
import { parseBuildpackUrl } from './classic/url.js';

/** Where an explicit buildpack list came from. */
export type ListSource = 'app' | 'app.json' | '.buildpacks';

/** The explicit list to run, or null: detect over the built-ins. */
export function chooseBuildpacks(appList: string[], appJson: string[], dotBuildpacks: string[]): { urls: string[]; from: ListSource } | null {
  if (appList.length > 0) return { urls: appList, from: 'app' };
  if (appJson.length > 0) return { urls: appJson, from: 'app.json' };
  if (dotBuildpacks.length > 0) return { urls: dotBuildpacks, from: '.buildpacks' };
  return null;
}

/** The URLs of a `.buildpacks` file: one a line, blank lines and `#` comments skipped; a bad one is named by its line. */
export function parseDotBuildpacks(text: string): string[] {
  const urls: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      urls.push(validateBuildpackEntry(line));
    } catch (err) {
      throw invalid(`.buildpacks line ${i + 1}: ${(err as Error).message}`, 'one buildpack URL a line: a folder, file://, git or .tgz URL (#ref allowed), or heroku/NAME');
    }
  });
  return urls;
}

/** A buildpack list entry as given, checked: a built-in name or a URL minik can fetch. */
export function validateBuildpackEntry(entry: string): string {
  const e = entry.trim();
  if (e === '') throw invalid('buildpack URL is empty', 'e.g. minik buildpacks:add https://github.com/heroku/heroku-buildpack-nodejs');
  if (builtinBuildpack(e)) return e;
  parseBuildpackUrl(e);
  return e;
}
