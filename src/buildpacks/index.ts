// Why: the buildpacks module's public surface, as listed in docs/CONTRACTS.md.
export type { BuildContext, BuildResult, Buildpack } from './types.js';
export { buildpacks, builtinBuildpack, detectBuildpack, getBuildpack } from './registry.js';
export { DEFAULT_BUILD_TIMEOUT_MS, runBuildpacks, type BuildpacksResult, type BuildpacksInput } from './build.js';
export { chooseBuildpacks, parseDotBuildpacks, validateBuildpackEntry, type ListSource } from './select.js';
export { editBuildpacks, type BuildpackEdit } from './list.js';
export { currentCommand, staticServerPath, staticWebCommand } from './static.js';
export { createStaticServer } from './static-server.js';
export { describeRuntime, withRuntimePath } from './runtime/index.js';
export { makeSpares, sparesSettled } from './cache.js';
