// Every exported object against the engine's own schema: Kubernetes objects with kubernetes-models'
// validators (generated from the official OpenAPI schemas), compose.yaml with the Compose Specification's
// JSON schema, systemd units with systemd-analyze; and YAML that reads back as the objects it came from.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { Secret, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { parseAllDocuments, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { composeProject } from '../../../src/export/compose.js';
import { k8sObjects } from '../../../src/export/k8s.js';
import { planExport } from '../../../src/export/index.js';
import { fixtureData, fixtureOptions } from './helpers.js';

const MODELS: Record<string, new (data: never) => { validate(): void }> = { Secret, Service, Deployment, StatefulSet, Job, Ingress };
const SCHEMA = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/compose-spec/compose-spec.json'), 'utf8'));

describe('k8s export', () => {
  it.each([false, true])('validates every object against the Kubernetes schema (external add-ons: %s)', async (externalAddons) => {
    const objects = k8sObjects(await fixtureData(), fixtureOptions('k8s', { externalAddons }));
    expect(objects.map((o) => o.kind)).toEqual(externalAddons
      ? ['Secret', 'Service', 'Job', 'Deployment', 'Deployment', 'Deployment', 'Ingress']
      : ['Secret', 'Secret', 'Secret', 'StatefulSet', 'StatefulSet', 'Service', 'Service', 'Service', 'Job', 'Deployment', 'Deployment', 'Deployment', 'Ingress']);
    for (const o of objects) {
      const Model = MODELS[o.kind];
      expect(Model, o.kind).toBeDefined();
      expect(() => new Model!(o as never).validate(), `${o.kind} ${o.metadata.name}`).not.toThrow();
    }
  });

  it('writes YAML that reads back (as YAML 1.1 and 1.2) as exactly the objects, one file per kind', async () => {
    const plan = planExport('k8s', await fixtureData(), fixtureOptions('k8s'));
    const read = (version: '1.1' | '1.2') => plan.files.flatMap((f) => parseAllDocuments(f.content, { version }).map((d) => d.toJS()));
    expect(read('1.1')).toEqual(plan.objects);
    expect(read('1.2')).toEqual(plan.objects);
    for (const f of plan.files) expect(new Set(parseAllDocuments(f.content).map((d) => d.toJS().kind)).size, f.path).toBe(1);
  });

  it('gives web a startup probe of 60 s and runs the release Job once, before the Deployments', async () => {
    const objects = k8sObjects(await fixtureData(), fixtureOptions('k8s')) as Array<Record<string, any>>;
    const web = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'node-multi-web')!;
    const probe = web.spec.template.spec.containers[0].startupProbe;
    expect(probe.periodSeconds * probe.failureThreshold).toBe(60);
    expect(web.spec.replicas).toBe(2);
    const job = objects.find((o) => o.kind === 'Job')!;
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 3600 });
    expect(objects.indexOf(job)).toBeLessThan(objects.indexOf(web));
    expect(planExport('k8s', await fixtureData(), fixtureOptions('k8s')).apply).toMatch(/kubectl wait --for=condition=complete .*job\/node-multi-release-v7 && kubectl apply -f /);
  });

  it('leaves add-on URLs as Secret keys to fill in with --external-addons, and runs no add-on', async () => {
    const plan = planExport('k8s', await fixtureData(), fixtureOptions('k8s', { externalAddons: true }));
    const secret = plan.files.find((f) => f.path === '01-secret.yaml')!.content;
    expect(secret).toContain('  # fill in: the URL of your heroku-postgresql (postgresql-aqua-1 on minik)\n  DATABASE_URL: ""\n');
    expect(secret).toContain('  # fill in: the URL of your heroku-redis (redis-cubed-2 on minik)\n  REDIS_URL: ""\n');
    expect(plan.files.map((f) => f.path)).not.toContain('02-statefulset.yaml');
  });

  it('has validators that reject a broken object (so the checks above can fail)', async () => {
    const web = k8sObjects(await fixtureData(), fixtureOptions('k8s')).find((o) => o.kind === 'Deployment')!;
    expect(() => new Deployment({ ...web, spec: { ...(web.spec as object), replicas: 'two' } } as never).validate()).toThrow(/replicas/);
  });

  it('makes no Ingress without custom domains and no Service, Job or probes for an app without web or release', async () => {
    const data = await fixtureData({ domains: [], processTypes: { worker: 'node worker.js' }, formation: { worker: 1 }, addons: [] });
    expect(k8sObjects(data, fixtureOptions('k8s')).map((o) => o.kind)).toEqual(['Secret', 'Deployment']);
  });
});

describe('compose export', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // The schema's custom formats (duration, ports…) are checked by Compose itself; here they are plain strings.
  for (const f of ['duration', 'expose', 'ports', 'subnet_ip_address']) ajv.addFormat(f, true);
  // The schema names draft-07 by its https address; Ajv knows draft-07 by the http one.
  const validate = ajv.compile({ ...SCHEMA, $schema: 'http://json-schema.org/draft-07/schema#' });

  it.each([false, true])('validates against the Compose Specification schema (external add-ons: %s)', async (externalAddons) => {
    const plan = planExport('compose', await fixtureData(), fixtureOptions('compose', { externalAddons }));
    const doc = parse(plan.files.find((f) => f.path === 'compose.yaml')!.content);
    expect(validate(doc), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect(doc).toEqual(plan.objects);
    expect(parse(plan.files[0]!.content, { version: '1.1' })).toEqual(plan.objects);
  });

  it('has a validator that rejects an unknown service key', () => {
    expect(validate({ services: { web: { image: 'x', replica: 2 } } })).toBe(false);
  });

  it('has the others wait for the release service, escapes $ for interpolation, and publishes only web', async () => {
    const project = composeProject(await fixtureData(), fixtureOptions('compose')) as { services: Record<string, any> };
    expect(project.services.web.depends_on.release).toEqual({ condition: 'service_completed_successfully' });
    expect(project.services.release.restart).toBe('no');
    expect(project.services.web.entrypoint[2]).toContain('"$$f"');
    expect(Object.entries(project.services).filter(([, s]) => s.ports).map(([n]) => n)).toEqual(['web']);
    expect(project.services.web.stop_grace_period).toBe('30s');
    expect(project.services.web.healthcheck.start_period).toBe('60s');
  });
});

const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('systemd export', () => {
  // Without systemd-analyze this one check is skipped, and the skipped test's name says why.
  it.skipIf(!hasSystemdAnalyze)(`passes systemd-analyze verify with no warning${hasSystemdAnalyze ? '' : ' (skipped: systemd-analyze is not installed)'}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minik-export-systemd-'));
    try {
      const plan = planExport('systemd', await fixtureData(), fixtureOptions('systemd', { dir, root: dir }));
      for (const f of plan.files) writeFileSync(join(dir, f.path), f.content);
      const units = plan.files.filter((f) => /\.(service|target)$/.test(f.path)).map((f) => join(dir, f.path));
      const r = await promisify(execFile)('systemd-analyze', ['verify', '--man=no', ...units]).then((x) => ({ ...x, code: 0 }), (e) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }));
      expect(r.stderr, 'systemd-analyze warnings').toBe('');
      expect(r.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
