// Why: app.json declares env defaults, required vars, generated secrets, formation, postdeploy and
// healthchecks. It is read as JSONC (comments and trailing commas), as Dokku reads it.
import { randomBytes } from 'node:crypto';
import { readText } from '../core/files.js';
import { join } from 'node:path';
import { dict, has } from '../core/dict.js';
import { invalid } from '../core/errors.js';
import { checkQuantity } from '../core/limits.js';
import { validateConfigKey } from '../core/names.js';
import { validateBuildpackEntry } from '../buildpacks/index.js';
import type { ConfigVars, Formation } from '../core/types.js';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parseHealthchecks, type Healthcheck } from './healthchecks.js';

export interface AppJson {
  env: Record<string, { value?: string; required: boolean; generator?: 'secret' }>;
  formation: Formation;
  postdeploy: string | null;
  /** `buildpacks: [{ "url": … }]`, in order. */
  buildpacks: string[];
  /** Web startup checks run before the router switches to new web dynos. */
  healthchecks: Healthcheck[];
  /** Checks minik does not run (other process types, types or no path), named for the build log. */
  skippedChecks?: string[];
}

/** Reads and validates app.json in dir; a missing file is an empty manifest. */
export async function readAppJson(dir: string): Promise<AppJson> {
  const text = readText(join(dir, 'app.json'));
  const empty: AppJson = { env: dict(), formation: dict(), postdeploy: null, buildpacks: [], healthchecks: [] };
  if (text === null) return empty;
  const raw = parseJsonc(text, 'app.json');
  if (!isObject(raw)) throw invalid('app.json must hold a JSON object', 'see https://devcenter.heroku.com/articles/app-json-schema');
  return {
    env: readEnv(raw.env), formation: readFormation(raw.formation), postdeploy: readPostdeploy(raw.scripts), buildpacks: readBuildpacks(raw.buildpacks),
    ...healthchecks(raw.healthchecks),
  };
}

function healthchecks(value: unknown): Pick<AppJson, 'healthchecks' | 'skippedChecks'> {
  const { checks, skipped } = parseHealthchecks(value);
  return { healthchecks: checks, ...(skipped.length > 0 ? { skippedChecks: skipped } : {}) };
}

/** JSON with comments and trailing commas; a syntax error names its line and column. */
export function parseJsonc(text: string, file: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumn(text, first.offset);
    const what = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    const near = text.slice(first.offset, first.offset + Math.max(first.length, 1)).trim();
    throw invalid(`${file} is not valid JSON: line ${line}, column ${column}: ${what}${near ? ` at '${near.slice(0, 20)}'` : ''}`, `fix ${file} (comments and trailing commas are allowed), or remove it`);
  }
  return value;
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function readEnv(env: unknown): AppJson['env'] {
  const out: AppJson['env'] = dict();
  if (env === undefined) return out;
  if (!isObject(env)) throw invalid("app.json 'env' must be an object", 'e.g. "env": {"SECRET": {"generator": "secret"}}');
  for (const [key, spec] of Object.entries(env)) {
    validateConfigKey(key);
    if (typeof spec === 'string') out[key] = { value: spec, required: true };
    else if (isObject(spec)) {
      const value = spec.value === undefined ? undefined : String(spec.value);
      const generator = spec.generator === 'secret' ? 'secret' : undefined;
      if (spec.generator !== undefined && !generator) {
        throw invalid(`app.json env.${key}.generator '${String(spec.generator)}' is not supported`, "the only generator is 'secret'");
      }
      out[key] = { value, generator, required: spec.required !== false };
    } else throw invalid(`app.json env.${key} must be a string or an object`, 'e.g. {"value": "x", "required": false}');
  }
  return out;
}

function readFormation(formation: unknown): Formation {
  const out: Formation = dict();
  if (formation === undefined) return out;
  if (!isObject(formation)) throw invalid("app.json 'formation' must be an object", 'e.g. "formation": {"web": {"quantity": 2}}');
  for (const [type, spec] of Object.entries(formation)) {
    const q = isObject(spec) ? spec.quantity ?? 1 : spec;
    out[type] = checkQuantity(`app.json formation.${type}.quantity`, q, '"formation": {"web": {"quantity": 2}}');
  }
  return out;
}

function readBuildpacks(list: unknown): string[] {
  if (list === undefined) return [];
  const hint = 'e.g. "buildpacks": [{"url": "heroku/nodejs"}, {"url": "https://github.com/owner/buildpack#v1"}]';
  if (!Array.isArray(list)) throw invalid("app.json 'buildpacks' must be a list", hint);
  return list.map((b, i) => {
    if (!isObject(b) || typeof b.url !== 'string') throw invalid(`app.json buildpacks[${i}] must be an object with a "url" string`, hint);
    try {
      return validateBuildpackEntry(b.url);
    } catch (err) {
      throw invalid(`app.json buildpacks[${i}]: ${(err as Error).message}`, hint);
    }
  });
}

function readPostdeploy(scripts: unknown): string | null {
  if (!isObject(scripts) || scripts.postdeploy === undefined) return null;
  const p = scripts.postdeploy;
  const cmd = typeof p === 'string' ? p : isObject(p) && typeof p.command === 'string' ? p.command : null;
  if (!cmd) throw invalid("app.json scripts.postdeploy must be a command string", 'e.g. "scripts": {"postdeploy": "node seed.js"}');
  return cmd;
}

/** Config vars a first deploy sets from app.json (values and generated secrets); throws on missing required ones. */
export function appJsonConfig(spec: AppJson, current: ConfigVars, dotenv: ConfigVars): ConfigVars {
  const set: ConfigVars = dict();
  const missing: string[] = [];
  for (const [key, e] of Object.entries(spec.env)) {
    if (has(current, key) || has(dotenv, key)) continue;
    if (e.generator === 'secret') set[key] = randomBytes(32).toString('hex');
    else if (e.value !== undefined) set[key] = e.value;
    else if (e.required) missing.push(key);
  }
  if (missing.length > 0) {
    const list = missing.join(', ');
    throw invalid(`app.json requires config var${missing.length > 1 ? 's' : ''} ${list}, which ${missing.length > 1 ? 'are' : 'is'} not set`, `set ${missing.length > 1 ? 'them' : 'it'} first: minik config:set ${missing.map((k) => `${k}=...`).join(' ')} --no-restart`);
  }
  return set;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
