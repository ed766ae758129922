// Why: Heroku's dyno contract as Kubernetes objects: a Deployment per process type, a Service and Ingress
// for web, config vars in a Secret through envFrom, the release phase as a Job, add-ons as StatefulSets.
import { Document, type YAMLMap, type Scalar } from 'yaml';
import { ADDON_RECIPES } from './addons.js';
import { addonNotes, banner, containerConfig, dynoScript, dynoTypes, processName, quantity, YAML_OPTIONS } from './common.js';
import { containerProcessTypes } from './recipes.js';
import {
  BOOT_TIMEOUT_SECONDS, CONTAINER_PORT, PUBLIC_MODE, RELEASE_TIMEOUT_SECONDS, SECRET_MODE, STOP_GRACE_SECONDS,
  type AddonInput, type ExportData, type ExportFile, type ExportOptions, type ExportPlan,
} from './types.js';

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [k: string]: unknown };

/** Files in the order `kubectl apply -f DIR` reads them (lexical): what others refer to comes first. */
const FILES: Array<[kind: string, file: string]> = [
  ['Secret', '01-secret.yaml'], ['StatefulSet', '02-statefulset.yaml'], ['Service', '03-service.yaml'],
  ['Job', '04-job.yaml'], ['Deployment', '05-deployment.yaml'], ['Ingress', '06-ingress.yaml'],
];

/** Plans the Kubernetes manifests: one file per object kind, objects in a stable order. */
export function planK8s(data: ExportData, opts: ExportOptions): ExportPlan {
  const objects = k8sObjects(data, opts);
  const files: ExportFile[] = [];
  for (const [kind, file] of FILES) {
    const docs = objects.filter((o) => o.kind === kind);
    if (docs.length === 0) continue;
    const content = banner(data) + docs.map((d) => yamlText(d, addonNotes(data, opts))).join('---\n');
    files.push({ path: file, content, mode: kind === 'Secret' ? SECRET_MODE : PUBLIC_MODE });
  }
  return { files, objects, apply: applyCommand(data, opts, files) };
}

/** One object as YAML; with --external-addons the Secret's empty add-on URLs carry a "fill in" comment. */
function yamlText(o: K8sObject, notes: Record<string, string>): string {
  const doc = new Document(o, YAML_OPTIONS);
  const data = o.kind === 'Secret' ? doc.get('stringData', true) as YAMLMap<Scalar<string>, unknown> | undefined : undefined;
  for (const item of data?.items ?? []) if (notes[item.key.value]) item.key.commentBefore = ` ${notes[item.key.value]}`;
  return doc.toString(YAML_OPTIONS);
}

/** Every object of the export, in file order. */
export function k8sObjects(data: ExportData, opts: ExportOptions): K8sObject[] {
  const app = data.app;
  const addons = opts.externalAddons ? [] : data.addons;
  const config = containerConfig(data, opts);
  const types = containerProcessTypes(data);
  const web = 'web' in types && dynoTypes(data).includes('web');
  return [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: configSecret(app), labels: labels(data, 'config') }, type: 'Opaque', stringData: config },
    ...addons.map((a) => addonSecret(data, a)),
    ...addons.map((a) => addonStatefulSet(data, a)),
    ...addons.map((a) => service(data, a.name, addonLabels(data, a.name), ADDON_RECIPES[a.service].port, 'db')),
    ...(web ? [service(data, processName(app, 'web'), labels(data, 'web'), 80, 'http')] : []),
    ...(types.release ? [releaseJob(data, opts, types.release)] : []),
    ...dynoTypes(data).map((t) => deployment(data, opts, t, types[t]!)),
    ...(web && data.domains.length > 0 ? [ingress(data)] : []),
  ];
}

/** Labels of Dokku's k3s scheduler, plus the release as `version`. */
function labels(data: ExportData, type: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': type, 'app.kubernetes.io/instance': processName(data.app, type),
    'app.kubernetes.io/part-of': data.app, 'app.kubernetes.io/version': `v${data.release}`,
    'app.kubernetes.io/managed-by': 'minik',
  };
}

/** Selectors leave out the version: a Deployment's selector cannot change between releases. */
function selector(data: ExportData, instance: string): Record<string, string> {
  return { 'app.kubernetes.io/instance': instance, 'app.kubernetes.io/part-of': data.app };
}

const configSecret = (app: string) => `${app}-config`;

function container(data: ExportData, opts: ExportOptions, type: string, command: string): Record<string, unknown> {
  return {
    name: type.toLowerCase().replace(/_/g, '-'),
    image: opts.image,
    command: ['/bin/sh', '-c', dynoScript(command)],
    envFrom: [{ secretRef: { name: configSecret(data.app) } }],
    env: [
      { name: 'PORT', value: String(CONTAINER_PORT) },
      // Heroku's DYNO is TYPE.N; a pod has no index, so DYNO carries the pod's name.
      { name: 'DYNO', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
  };
}

function deployment(data: ExportData, opts: ExportOptions, type: string, command: string): K8sObject {
  const name = processName(data.app, type);
  const c = container(data, opts, type, command);
  if (type === 'web') {
    Object.assign(c, {
      ports: [{ name: 'http', containerPort: CONTAINER_PORT }],
      // R10: the web process must bind $PORT within 60 s (2 s × 30 probes).
      startupProbe: { tcpSocket: { port: 'http' }, periodSeconds: 2, failureThreshold: BOOT_TIMEOUT_SECONDS / 2 },
      readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5 },
    });
  }
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: labels(data, type) },
    spec: {
      replicas: quantity(data, type),
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector(data, name) },
      template: {
        metadata: { labels: labels(data, type) },
        spec: { terminationGracePeriodSeconds: STOP_GRACE_SECONDS, containers: [c] },
      },
    },
  };
}

/** The release phase: runs once per release, fails the deploy on a non-zero exit, 1 h at most. */
function releaseJob(data: ExportData, opts: ExportOptions, command: string): K8sObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: releaseJobName(data), labels: labels(data, 'release') },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: RELEASE_TIMEOUT_SECONDS,
      template: {
        metadata: { labels: labels(data, 'release') },
        spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: STOP_GRACE_SECONDS, containers: [container(data, opts, 'release', command)] },
      },
    },
  };
}

const releaseJobName = (data: ExportData) => `${data.app}-release-v${data.release}`;

/** A Service in front of the pods whose instance label is `name`, forwarding `port` to their port called `portName`. */
function service(data: ExportData, name: string, metaLabels: Record<string, string>, port: number, portName: string): K8sObject {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, labels: metaLabels },
    spec: { selector: selector(data, name), ports: [{ name: portName, port, targetPort: portName }] },
  };
}

function addonLabels(data: ExportData, name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name, 'app.kubernetes.io/part-of': data.app, 'app.kubernetes.io/managed-by': 'minik' };
}

function addonSecret(data: ExportData, a: AddonInput): K8sObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: a.name, labels: addonLabels(data, a.name) }, type: 'Opaque', stringData: ADDON_RECIPES[a.service].env(a, data.app) };
}

/** One Postgres or Redis pod with its own volume; its env (password included) comes from its Secret. */
function addonStatefulSet(data: ExportData, a: AddonInput): K8sObject {
  const r = ADDON_RECIPES[a.service];
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: a.name, labels: addonLabels(data, a.name) },
    spec: {
      serviceName: a.name,
      replicas: 1,
      selector: { matchLabels: selector(data, a.name) },
      template: {
        metadata: { labels: addonLabels(data, a.name) },
        spec: {
          containers: [{
            name: a.service.replace(/^heroku-/, ''), image: r.image, ...(r.command ? { command: r.command } : {}),
            envFrom: [{ secretRef: { name: a.name } }],
            ports: [{ name: 'db', containerPort: r.port }],
            readinessProbe: { exec: { command: r.healthcheck }, periodSeconds: 5 },
            volumeMounts: [{ name: 'data', mountPath: r.dataPath }],
          }],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

function ingress(data: ExportData): K8sObject {
  const backend = { service: { name: processName(data.app, 'web'), port: { name: 'http' } } };
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: processName(data.app, 'web'), labels: labels(data, 'web') },
    spec: { rules: data.domains.map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } })) },
  };
}

/** `kubectl apply -f DIR`; with a release phase, the Job first and the rest once it has succeeded. */
function applyCommand(data: ExportData, opts: ExportOptions, files: ExportFile[]): string {
  if (!files.some((f) => f.path === '04-job.yaml')) return `kubectl apply -f ${opts.dir}`;
  const first = files.filter((f) => f.path <= '04-job.yaml').map((f) => `-f ${opts.dir}/${f.path}`).join(' ');
  return `kubectl apply ${first} && kubectl wait --for=condition=complete --timeout=${RELEASE_TIMEOUT_SECONDS}s job/${releaseJobName(data)} && kubectl apply -f ${opts.dir}`;
}
