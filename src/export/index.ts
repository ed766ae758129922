// Why: the one entry point of the export planners: a format name in, files and objects out.
import { invalid } from '../core/errors.js';
import { planCompose } from './compose.js';
import { planDockerfile } from './dockerfile.js';
import { planK8s } from './k8s.js';
import { planSystemd } from './systemd.js';
import { EXPORT_FORMATS, type ExportData, type ExportFormat, type ExportOptions, type ExportPlan } from './types.js';

export * from './types.js';
export { writeExport, MANIFEST_FILE } from './writer.js';

const PLANNERS: Record<ExportFormat, (data: ExportData, opts: ExportOptions) => ExportPlan> = {
  k8s: planK8s, compose: planCompose, systemd: planSystemd, dockerfile: planDockerfile,
};

/** The format a user typed, or a MinikError naming the formats there are. */
export function parseFormat(raw: string): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(raw)) return raw as ExportFormat;
  throw invalid(`unknown export format '${raw}'`, `use one of: ${EXPORT_FORMATS.join(', ')} (e.g. minik export k8s)`);
}

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
