// Why: the one list of commands, in the order and groups `minik --help` shows them.
import type { Group, MinikCommand } from '../command.js';
import appsDestroy from './apps-destroy.js';
import apps from './apps.js';
import buildpacksAdd from './buildpacks-add.js';
import buildpacksClear from './buildpacks-clear.js';
import buildpacksRemove from './buildpacks-remove.js';
import buildpacksSet from './buildpacks-set.js';
import buildpacks from './buildpacks.js';
import configGet from './config-get.js';
import configSet from './config-set.js';
import configUnset from './config-unset.js';
import config from './config.js';
import daemon, { daemonCommands } from './daemon.js';
import domainsAdd from './domains-add.js';
import domainsRemove from './domains-remove.js';
import domains from './domains.js';
import info from './info.js';
import logs from './logs.js';
import maintenanceOff from './maintenance-off.js';
import maintenanceOn from './maintenance-on.js';
import maintenance from './maintenance.js';
import open from './open.js';
import ps from './ps.js';
import releasesInfo from './releases-info.js';
import releases from './releases.js';
import restart from './restart.js';
import rollback from './rollback.js';
import run from './run.js';
import scale from './scale.js';
import stop from './stop.js';
import up from './up.js';

type AnyCommand = MinikCommand<any>;

/** Every top-level command, in help order. */
export const commands: AnyCommand[] = [
  up, apps, info, open, appsDestroy,
  buildpacks, buildpacksSet, buildpacksAdd, buildpacksRemove, buildpacksClear,
  ps, scale, restart, stop, run,
  logs,
  config, configGet, configSet, configUnset,
  releases, releasesInfo, rollback,
  domains, domainsAdd, domainsRemove, maintenance, maintenanceOn, maintenanceOff,
  daemon,
];

/** Help groups in order, each with its commands' usage and description. */
export function helpGroups(): Array<[Group, Array<[string, string]>]> {
  const order: Group[] = ['Apps', 'Dynos', 'Logs', 'Config vars', 'Releases', 'Routing', 'Daemon'];
  return order.map((g) => [g, commands.filter((c) => c.group === g).flatMap((c): Array<[string, string]> =>
    c === daemon ? daemonCommands.map((d) => [`daemon ${d.command}`, d.describe]) : [[c.command, c.describe]])]);
}
