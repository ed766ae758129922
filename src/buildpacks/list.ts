// Why: `buildpacks:set/add/remove/clear` edit an app's list by Heroku's rules; the rules are pure, the
// store only keeps the result.
import { invalid } from '../core/errors.js';
import { validateBuildpackEntry } from './select.js';

/** One edit of an app's buildpack list; `index` is 1-based, as in Heroku's CLI. */
export type BuildpackEdit =
  | { action: 'set'; url: string; index?: number }
  | { action: 'add'; url: string; index?: number }
  | { action: 'remove'; url?: string; index?: number }
  | { action: 'clear' };

/** The list after `edit`; a MinikError in Heroku's words when the edit makes no sense. */
export function editBuildpacks(list: readonly string[], edit: BuildpackEdit): string[] {
  const next = [...list];
  if (edit.action === 'clear') return [];
  if (edit.action === 'remove') {
    if ((edit.url === undefined) === (edit.index === undefined)) throw invalid('pass a buildpack URL or --index, not both or neither', 'e.g. minik buildpacks:remove --index 2');
    const at = edit.index !== undefined ? checkIndex(edit.index, next.length, false) : next.indexOf(edit.url!.trim());
    if (at < 0) throw invalid(`buildpack ${edit.url} is not set on this app: nothing was removed`, "see 'minik buildpacks'");
    next.splice(at, 1);
    return next;
  }
  const url = validateBuildpackEntry(edit.url);
  const existing = next.indexOf(url);
  if (edit.action === 'set') {
    const at = edit.index === undefined ? 0 : checkIndex(edit.index, next.length, true);
    if (existing >= 0 && existing !== at) throw invalid(`buildpack ${url} is already set on this app at index ${existing + 1}`, "see 'minik buildpacks'");
    if (at === next.length) next.push(url);
    else next[at] = url;
    return next;
  }
  if (existing >= 0) throw invalid(`buildpack ${url} is already set on this app`, "see 'minik buildpacks'");
  const at = edit.index === undefined ? next.length : Math.min(checkIndex(edit.index, Number.MAX_SAFE_INTEGER, true), next.length);
  next.splice(at, 0, url);
  return next;
}

/** A 1-based index as a 0-based one; `append` allows one past the end. */
function checkIndex(index: number, length: number, append: boolean): number {
  const max = append ? length + 1 : length;
  if (!Number.isInteger(index) || index < 1 || index > max) {
    throw invalid(`invalid index ${index}: ${max === 0 ? 'the app has no buildpacks' : `choose a value from 1 to ${max}`}`, "see 'minik buildpacks'");
  }
  return index - 1;
}
