// Why: Heroku's dyno contract as a Compose project: a service per process type, the release phase as a
// one-shot service the others wait for, add-ons as services with named volumes, config in 0600 env files.
import { Document } from 'yaml';
import { ADDON_RECIPES } from './addons.js';
import { addonNotes, banner, containerConfig, dynoScript, dynoTypes, quantity, YAML_OPTIONS } from './common.js';
import { envFileText } from './envfile.js';
import { containerProcessTypes, recipeFor } from './recipes.js';
import {
  BOOT_TIMEOUT_SECONDS, CONTAINER_PORT, PUBLIC_MODE, SECRET_MODE, STOP_GRACE_SECONDS,
  type AddonInput, type ExportData, type ExportFile, type ExportOptions, type ExportPlan,
} from './types.js';

const COMPOSE_FILE = 'compose.yaml';

/** Plans compose.yaml plus APP.env (config vars) and one env file per add-on, both 0600. */
export function planCompose(data: ExportData, opts: ExportOptions): ExportPlan {
  const addons = opts.externalAddons ? [] : data.addons;
  const config = containerConfig(data, opts);
  const project = composeProject(data, opts);
  const doc = new Document(project, YAML_OPTIONS);
  doc.commentBefore = banner(data).replace(/^# /, ' ').trimEnd();
  const web = doc.getIn(['services', 'web', 'ports'], true) as { commentBefore?: string } | undefined;
  if (web) web.commentBefore = ' One host port per replica: with more web replicas, widen the range or put a proxy in front.';
  const files: ExportFile[] = [
    { path: COMPOSE_FILE, content: doc.toString(YAML_OPTIONS), mode: PUBLIC_MODE },
    { path: `${data.app}.env`, content: envFileText(banner(data), config, 'compose', addonNotes(data, opts)), mode: SECRET_MODE },
    ...addons.map((a) => ({ path: `${a.name}.env`, content: envFileText(banner(data), ADDON_RECIPES[a.service].env(a, data.app), 'compose'), mode: SECRET_MODE })),
  ];
  return { files, objects: project, apply: `docker compose -f ${opts.dir}/${COMPOSE_FILE} up -d` };
}

/** Compose interpolates `$` in the file itself; `$$` is a literal `$` that reaches the container. */
function literal(s: string): string {
  return s.replace(/\$/g, '$$$$');
}

/** The Compose project as plain data (what compose.yaml holds). */
export function composeProject(data: ExportData, opts: ExportOptions): Record<string, unknown> {
  const addons = opts.externalAddons ? [] : data.addons;
  const types = containerProcessTypes(data);
  const services: Record<string, unknown> = {};
  const waitFor: Record<string, { condition: string }> = Object.fromEntries(addons.map((a) => [a.name, { condition: 'service_healthy' }]));
  if (types.release) services.release = { ...dyno(data, opts, types.release), restart: 'no', ...dependsOn(waitFor) };
  const afterRelease = types.release ? { ...waitFor, release: { condition: 'service_completed_successfully' } } : waitFor;
  for (const type of dynoTypes(data)) {
    services[type] = {
      ...dyno(data, opts, types[type]!),
      restart: 'always',
      stop_grace_period: `${STOP_GRACE_SECONDS}s`,
      deploy: { replicas: quantity(data, type) },
      ...(type === 'web' ? webParts(data) : {}),
      ...dependsOn(afterRelease),
    };
  }
  for (const a of addons) services[a.name] = addonService(a);
  return {
    name: data.app,
    services,
    ...(addons.length > 0 ? { volumes: Object.fromEntries(addons.map((a) => [`${a.name}-data`, {}])) } : {}),
  };
}

function dyno(data: ExportData, opts: ExportOptions, command: string): Record<string, unknown> {
  return {
    image: opts.image,
    entrypoint: ['/bin/sh', '-c', literal(dynoScript(command))],
    env_file: [`${data.app}.env`],
    environment: { PORT: String(CONTAINER_PORT) },
  };
}

function dependsOn(on: Record<string, { condition: string }>): Record<string, unknown> {
  return Object.keys(on).length > 0 ? { depends_on: on } : {};
}

/** Web's published port (a range when there are several replicas) and its boot check (R10: 60 s). */
function webParts(data: ExportData): Record<string, unknown> {
  const n = Math.max(1, quantity(data, 'web'));
  const host = n === 1 ? `${CONTAINER_PORT}` : `${CONTAINER_PORT}-${CONTAINER_PORT + n - 1}`;
  return {
    ports: [`${host}:${CONTAINER_PORT}`],
    healthcheck: {
      // A TCP connect, like the router's readiness check; bash's /dev/tcp needs no curl in the image.
      test: ['CMD', ...(recipeFor(data).portCheck ?? ['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${CONTAINER_PORT}`])],
      interval: '10s', timeout: '2s', start_period: `${BOOT_TIMEOUT_SECONDS}s`, start_interval: '2s',
    },
  };
}

function addonService(a: AddonInput): Record<string, unknown> {
  const r = ADDON_RECIPES[a.service];
  return {
    image: r.image,
    ...(r.command ? { command: r.command.map(literal) } : {}),
    env_file: [`${a.name}.env`],
    volumes: [`${a.name}-data:${r.dataPath}`],
    restart: 'always',
    healthcheck: { test: ['CMD', ...r.healthcheck], interval: '5s', timeout: '3s', retries: 10 },
  };
}
