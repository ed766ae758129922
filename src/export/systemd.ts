// Why: foreman's systemd layout for one machine without minik: APP.target wanting one unit per dyno
// (APP-TYPE.N.service), Heroku's stop contract (SIGTERM, 30 s, then SIGKILL), config vars in a 0600 file.
import { addonNotes, banner, dynoScript, dynoTypes, exportedConfig, quantity } from './common.js';
import { envFileText } from './envfile.js';
import { PUBLIC_MODE, RELEASE_TIMEOUT_SECONDS, SECRET_MODE, STOP_GRACE_SECONDS, type ExportData, type ExportFile, type ExportOptions, type ExportPlan } from './types.js';

/** The first port; process type i (web first) gets base + 100·i + (N-1), as foreman numbers them. */
export const BASE_PORT = 5000;

/** Plans the target, the release unit, one unit per dyno and the env file. */
export function planSystemd(data: ExportData, opts: ExportOptions): ExportPlan {
  const app = data.app;
  const envFile = `${app}.env`;
  // systemd runs no add-ons: their URLs are left in the env file to fill in.
  const config = exportedConfig(data, () => '');
  const units = dynoUnits(data);
  const release = data.processTypes.release;
  const files: ExportFile[] = [
    { path: `${app}.target`, content: targetUnit(data, units.map((u) => u.unit)), mode: PUBLIC_MODE },
    ...(release ? [{ path: `${app}-release.service`, content: serviceUnit(data, opts, { description: 'release phase', command: release, env: {}, oneshot: true }), mode: PUBLIC_MODE }] : []),
    ...units.map((u) => ({ path: u.unit, content: serviceUnit(data, opts, { description: u.dyno, command: data.processTypes[u.type]!, env: { PORT: String(u.port), DYNO: u.dyno, PS: u.dyno }, oneshot: false }), mode: PUBLIC_MODE })),
    { path: envFile, content: envFileText(banner(data), config, 'systemd', addonNotes(data, { externalAddons: true })), mode: SECRET_MODE },
  ];
  const unitPaths = files.filter((f) => f.path.endsWith('.service') || f.path.endsWith('.target')).map((f) => `${opts.dir}/${f.path}`);
  return {
    files,
    objects: units,
    apply: `systemctl --user link ${unitPaths.join(' ')} && systemctl --user start ${app}.target`,
  };
}

/** One entry per dyno the formation wants: its unit file name, dyno name and port. */
export function dynoUnits(data: ExportData): Array<{ unit: string; type: string; dyno: string; port: number }> {
  return dynoTypes(data).flatMap((type, i) => Array.from({ length: quantity(data, type) }, (_, n) => ({
    unit: `${data.app}-${type}.${n + 1}.service`, type, dyno: `${type}.${n + 1}`, port: BASE_PORT + 100 * i + n,
  })));
}

/** systemd expands `%` specifiers in most settings; `%%` is a literal percent sign. */
function specifierSafe(s: string): string {
  return s.replace(/%/g, '%%');
}

/**
 * One ExecStart argument in double quotes: `\` and `"` are escaped for systemd's unquoting, `%` for its
 * specifiers and `$` for its variable expansion, so /bin/sh receives the script byte for byte.
 */
export function execArg(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

function targetUnit(data: ExportData, units: string[]): string {
  return [
    banner(data).trimEnd(),
    '[Unit]',
    `Description=${data.app} (minik export of v${data.release})`,
    ...(units.length > 0 ? [`Wants=${units.join(' ')}`] : []),
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

interface UnitSpec { description: string; command: string; env: Record<string, string>; oneshot: boolean }

function serviceUnit(data: ExportData, opts: ExportOptions, u: UnitSpec): string {
  const app = data.app;
  const release = data.processTypes.release && !u.oneshot;
  return [
    banner(data).trimEnd(),
    '[Unit]',
    `Description=${app} ${u.description}`,
    `PartOf=${app}.target`,
    `After=network.target${release ? ` ${app}-release.service` : ''}`,
    // Heroku's release phase gates the dynos: they start only once it succeeded.
    ...(release ? [`Requires=${app}-release.service`] : []),
    '',
    '[Service]',
    ...(u.oneshot ? ['Type=oneshot', 'RemainAfterExit=yes', `TimeoutStartSec=${RELEASE_TIMEOUT_SECONDS}`] : ['Type=simple']),
    `WorkingDirectory=${specifierSafe(opts.root)}`,
    `EnvironmentFile=${specifierSafe(`${opts.dir}/${app}.env`)}`,
    ...Object.entries(u.env).map(([k, v]) => `Environment=${k}=${specifierSafe(v)}`),
    `ExecStart=/bin/sh -c ${execArg(dynoScript(u.command))}`,
    ...(u.oneshot ? [] : ['Restart=always', 'RestartSec=1']),
    // SIGTERM to the main process, then after the grace SIGKILL to every process left, as Heroku stops a dyno.
    'KillMode=mixed',
    `TimeoutStopSec=${STOP_GRACE_SECONDS}`,
    `SyslogIdentifier=${app}-${u.env.DYNO ?? 'release'}`,
    '',
    '[Install]',
    `WantedBy=${app}.target`,
    '',
  ].join('\n');
}
