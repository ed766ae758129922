// Why: bin/release prints YAML (Heroku's classic buildpack API); this reads the two keys that still
// mean something, with a YAML library rather than by hand, and refuses anything else clearly.
import { parse } from 'yaml';
import { errorMessage, MinikError } from '../../core/errors.js';
import { isProcessType, validateConfigKey } from '../../core/names.js';
import type { ConfigVars, ProcessTypes } from '../../core/types.js';

/** What bin/release hands back. */
export interface ReleaseInfo {
  defaultProcessTypes: ProcessTypes;
  configVars: ConfigVars;
}

/** Parses bin/release's output; `addons` (obsolete) is ignored. A MinikError naming the buildpack when it is not valid. */
export function parseReleaseYaml(text: string, buildpack: string): ReleaseInfo {
  let doc: unknown;
  try {
    doc = text.trim() === '' ? {} : parse(text);
  } catch (err) {
    throw releaseError(buildpack, `printed invalid YAML: ${errorMessage(err).split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isMap(doc)) throw releaseError(buildpack, 'must print a YAML mapping (default_process_types, config_vars)');
  return {
    defaultProcessTypes: stringMap(doc.default_process_types, buildpack, 'default_process_types', (k) => {
      if (!isProcessType(k)) throw releaseError(buildpack, `default_process_types: '${k}' is not a valid process type`);
    }),
    configVars: stringMap(doc.config_vars, buildpack, 'config_vars', (k) => {
      try {
        validateConfigKey(k);
      } catch (err) {
        throw releaseError(buildpack, `config_vars: ${errorMessage(err)}`);
      }
    }),
  };
}

function stringMap(value: unknown, buildpack: string, key: string, check: (k: string) => void): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isMap(value)) throw releaseError(buildpack, `${key} must be a mapping of names to strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    check(k);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw releaseError(buildpack, `${key}.${k} must be a string`);
    out[k] = String(v);
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function releaseError(buildpack: string, what: string): MinikError {
  return new MinikError(`buildpack ${buildpack}: bin/release ${what}`, {
    code: 'build_failed',
    hint: "fix the buildpack's bin/release (it must print YAML with default_process_types and config_vars), then run minik up again",
  });
}
