// Why: deciding which dynos to start and stop is a pure function over data, tested without processes.
import { dict, has, own } from '../core/dict.js';
import type { Formation, ProcessTypes } from '../core/types.js';

/** The formation an app gets on its first deploy: web=1 when there is a web type, every other type 0. */
export function defaultFormation(types: ProcessTypes, fromAppJson: Formation = {}): Formation {
  const f: Formation = dict();
  for (const type of Object.keys(types)) {
    if (type === 'release') continue;
    f[type] = own(fromAppJson, type) ?? (type === 'web' ? 1 : 0);
  }
  return f;
}

/** Adds types new in this release at 0, keeping the quantities the user chose. */
export function mergeFormation(current: Formation, types: ProcessTypes): Formation {
  const f: Formation = dict();
  for (const type of Object.keys(types)) {
    if (type !== 'release') f[type] = own(current, type) ?? 0;
  }
  return f;
}

/** The dyno names a formation asks for: web.1..web.N for each type, in a stable order (web first). */
export function wantedDynos(formation: Formation, types: ProcessTypes): string[] {
  const order = Object.keys(formation).filter((t) => has(types, t) && t !== 'release');
  order.sort((a, b) => (a === 'web' ? -1 : b === 'web' ? 1 : a.localeCompare(b)));
  return order.flatMap((t) => Array.from({ length: own(formation, t) ?? 0 }, (_, i) => `${t}.${i + 1}`));
}

/** Parses a Heroku-style memory size ('512M', '1G', '300MB', '1048576') into bytes, or null if invalid. */
export function parseMemory(value: string | undefined): number | null {
  if (!value) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$/i.exec(value);
  if (!m) return null;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}
