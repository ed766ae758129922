// Why: the buildpacks module's public surface, as listed in docs/CONTRACTS.md.
export type { BuildContext, BuildResult, Buildpack } from './types.js';
export { buildpacks, detectBuildpack, getBuildpack } from './registry.js';
export { currentCommand, staticServerPath, staticWebCommand } from './static.js';
export { createStaticServer } from './static-server.js';
export { describeRuntime, withRuntimePath } from './runtime/index.js';
