// Why: a Dockerfile that rebuilds the app from its source with its buildpack's steps (recipes.ts), so the
// k8s and compose exports have an image to run; the image runs a dyno's command as minik does.
import { banner, dynoScript, dynoTypes } from './common.js';
import { containerProcessTypes, recipeFor } from './recipes.js';
import { CONTAINER_PORT, PUBLIC_MODE, type ExportData, type ExportOptions, type ExportPlan } from './types.js';

/** What never belongs in the image: VCS data, local config (config vars come from the engine), earlier exports. */
const COMMON_IGNORE = ['.git', '.env', 'minik-export'];

/** Plans Dockerfile, .dockerignore, and Dockerfile.dockerignore (the name BuildKit reads beside a Dockerfile given with -f). */
export function planDockerfile(data: ExportData, opts: ExportOptions): ExportPlan {
  const dockerfile = dockerfileText(data);
  const ignore = dockerignoreText(data);
  return {
    files: [
      { path: 'Dockerfile', content: dockerfile, mode: PUBLIC_MODE },
      { path: '.dockerignore', content: ignore, mode: PUBLIC_MODE },
      { path: 'Dockerfile.dockerignore', content: ignore, mode: PUBLIC_MODE },
    ],
    objects: { dockerfile, dockerignore: ignore },
    apply: `docker build -t ${opts.image} -f ${opts.dir}/Dockerfile ${data.sourceDir}`,
  };
}

/** The Dockerfile: the recipe's base and steps, PORT=5000, and the web process (else the first one) as CMD. */
export function dockerfileText(data: ExportData): string {
  const recipe = recipeFor(data);
  const types = containerProcessTypes(data);
  const dynos = dynoTypes(data);
  const main = dynos.includes('web') ? 'web' : dynos[0];
  return [
    banner(data).trimEnd(),
    `# Rebuilds ${data.app} from source with the steps of minik's ${data.buildpack} buildpack.`,
    `# Build it with the app's folder as the context: docker build -t IMAGE -f THIS_FILE APP_FOLDER`,
    `FROM ${recipe.base(data)}`,
    'WORKDIR /app',
    `ENV PORT=${CONTAINER_PORT}`,
    ...recipe.steps(data),
    ...(main === 'web' ? [`EXPOSE ${CONTAINER_PORT}`] : []),
    // The exec form with sh -c: .profile.d scripts are sourced, then the command replaces the shell.
    ...(main ? [`CMD ${JSON.stringify(['/bin/sh', '-c', dynoScript(types[main]!)])}`] : []),
    '',
  ].join('\n');
}

/** .dockerignore: the common entries, the buildpack's, and the app's .slugignore. */
export function dockerignoreText(data: ExportData): string {
  const slugignore = (data.files['.slugignore'] ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const lines = [...new Set([...COMMON_IGNORE, ...recipeFor(data).ignore, ...slugignore])];
  return `${banner(data)}${lines.join('\n')}\n`;
}
