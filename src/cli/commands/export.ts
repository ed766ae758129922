// Why: `minik export FORMAT [DIR]` carries an app's release to Kubernetes, Compose, systemd or a
// Dockerfile: the daemon hands over the release as data, the planners turn it into files, written here.
import { isAbsolute, relative, resolve } from 'node:path';
import { invalid } from '../../core/errors.js';
import { EXPORT_FORMATS, parseFormat, type ExportData, type ExportFormat, type ExportOptions, type ExportPlan } from '../../export/types.js';
import { withAction } from '../action.js';
import { appPath, resolveApp, withApp } from '../app.js';
import { parseReleaseVersion } from '../args.js';
import { request } from '../client.js';
import { paletteFor } from '../color.js';
import { defineCommand, withJson } from '../command.js';
import { appLabel, print, printJson } from '../format.js';

interface Args {
  format: string; dir?: string; app?: string; image?: string; release?: string; json?: boolean;
  showSecrets?: boolean; force?: boolean; externalAddons?: boolean; root?: string;
}

/** `minik export k8s|compose|systemd|dockerfile [DIR]`. */
export default defineCommand<Args>({
  command: 'export <format> [dir]',
  describe: `write the app as ${EXPORT_FORMATS.join(', ')} files (default DIR: ./minik-export/FORMAT)`,
  group: 'Apps',
  builder: (y) => withJson(withApp(y))
    .positional('format', { type: 'string', describe: EXPORT_FORMATS.join(' | '), demandOption: true })
    .positional('dir', { type: 'string', describe: 'folder to write into' })
    .option('image', { type: 'string', describe: 'image the k8s and compose files run (default: APP:vN)' })
    .option('release', { type: 'string', describe: 'release to export, e.g. v4 (default: the live one)' })
    .option('show-secrets', { type: 'boolean', describe: 'with --json: print config var values and passwords' })
    .option('force', { type: 'boolean', describe: 'write into a folder that holds files minik export did not write' })
    .option('external-addons', { type: 'boolean', describe: 'leave add-on URLs to fill in instead of running Postgres/Redis' })
    .option('root', { type: 'string', describe: 'systemd: folder the units run the slug from (default: the release slug)' }),
  handler: async (argv) => {
    const format = parseFormat(String(argv.format));
    const version = argv.release === undefined ? undefined : parseReleaseVersion(String(argv.release));
    const app = await resolveApp(argv);
    const data = await request<ExportData>('GET', appPath(app, `/export${version === undefined ? '' : `?release=${version}`}`));
    const dir = resolve(argv.dir ?? `minik-export/${format}`);
    const opts = exportOptions(format, data, dir, argv);
    // Loaded here, not at startup: the planners and their YAML library are only needed by this command.
    const { planExport, redact, writeExport } = await import('../../export/index.js');
    if (argv.json) return printJson(jsonView(planExport(format, argv.showSecrets ? data : redact(data), opts), format, data, opts));
    const plan = planExport(format, data, opts);
    const label = `Exporting ${appLabel(app, paletteFor(process.stderr))} v${data.release} to ${format}`;
    const removed = await withAction(label, () => writeExport(dir, plan.files, { app, format, release: data.release }, argv.force === true));
    printWritten(plan, dir, removed);
  },
});

/** The options the flags give, checked: an image reference without spaces, an absolute systemd root. */
export function exportOptions(format: ExportFormat, data: ExportData, dir: string, argv: Pick<Args, 'image' | 'externalAddons' | 'root'>): ExportOptions {
  const image = argv.image ?? `${data.app}:v${data.release}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(image)) throw invalid(`--image '${image}' is not an image reference`, 'e.g. --image registry.example.com/shop:v4');
  const root = argv.root === undefined ? data.slug : resolve(argv.root);
  if (format === 'systemd' && root === null) {
    throw invalid(`the slug of ${data.app} v${data.release} was pruned, so the units have nothing to run`, 'copy the app built elsewhere and pass --root PATH, or export a newer release');
  }
  return { dir, image, externalAddons: argv.externalAddons === true, root: root ?? '' };
}

/** What --json prints: the objects, the files with their modes, and the command that applies them. */
function jsonView(plan: ExportPlan, format: ExportFormat, data: ExportData, opts: ExportOptions): object {
  return {
    app: data.app, release: data.release, format, dir: opts.dir, apply: plan.apply, objects: plan.objects,
    files: plan.files.map((f) => ({ path: f.path, mode: `0${f.mode.toString(8)}`, content: f.content })),
  };
}

function printWritten(plan: ExportPlan, dir: string, removed: string[]): void {
  const shown = (p: string) => {
    const rel = relative(process.cwd(), resolve(dir, p));
    return rel.startsWith('..') || isAbsolute(rel) ? resolve(dir, p) : rel;
  };
  for (const f of plan.files) print(`       wrote ${shown(f.path)}${f.mode === 0o600 ? ' (0600: holds config vars)' : ''}`);
  for (const p of removed) print(`       removed ${shown(p)} (no longer part of the export)`);
  print(`Apply it with: ${plan.apply}`);
}
