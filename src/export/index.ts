// Why: the one entry point of the export planners: a format name in, files and objects out.
import { planCompose } from './compose.js';
import { planDockerfile } from './dockerfile.js';
import { planK8s } from './k8s.js';
import { planSystemd } from './systemd.js';
import type { ExportData, ExportFormat, ExportOptions, ExportPlan } from './types.js';

export * from './types.js';
export { writeExport, MANIFEST_FILE } from './writer.js';

const PLANNERS: Record<ExportFormat, (data: ExportData, opts: ExportOptions) => ExportPlan> = {
  k8s: planK8s, compose: planCompose, systemd: planSystemd, dockerfile: planDockerfile,
};

/** Plans the files of one export. Pure: the same data and options always give the same files. */
export function planExport(format: ExportFormat, data: ExportData, opts: ExportOptions): ExportPlan {
  return PLANNERS[format](data, opts);
}

/** Shown instead of a secret value in --json output. */
export const REDACTED = '<hidden: pass --show-secrets>';

/** The data with every secret (config var values, add-on passwords) replaced, for output that is not a 0600 file. */
export function redact(data: ExportData): ExportData {
  return {
    ...data,
    config: Object.fromEntries(Object.keys(data.config).map((k) => [k, REDACTED])),
    addons: data.addons.map((a) => ({ ...a, password: REDACTED })),
  };
}
