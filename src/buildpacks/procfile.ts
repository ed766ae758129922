// Why: an app that only has a Procfile runs its commands as they are, with no build step.
import path from 'node:path';
import { INDENT, isFile } from './util.js';
import type { Buildpack } from './types.js';

/** Detected by a Procfile; the last resort in detection order. */
export const procfileBuildpack: Buildpack = {
  name: 'procfile',
  detect: (dir) => isFile(path.join(dir, 'Procfile')),
  async build(ctx) {
    ctx.log('-----> Procfile app detected');
    ctx.log(`${INDENT}No build step`);
    return { defaultProcessTypes: {} };
  },
};
