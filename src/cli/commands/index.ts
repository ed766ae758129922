// Why: the one list of commands, in the order and groups `minik --help` shows them.
import type { Group, MinikCommand } from '../command.js';
import appsCreate from './apps-create.js';
import appsDestroy from './apps-destroy.js';
import certs from './certs.js';
import addonsCreate from './addons-create.js';
import addons from './addons.js';
import addonsInfo from './addons-info.js';
import addonsDestroy from './addons-destroy.js';
import addonsAttach from './addons-attach.js';
import addonsDetach from './addons-detach.js';
import pgInfo from './pg-info.js';
import pgPsql from './pg-psql.js';
import pgBackups from './pg-backups.js';
import pgBackupsCapture from './pg-backups-capture.js';
import pgBackupsRestore from './pg-backups-restore.js';
import pgBackupsDownload from './pg-backups-download.js';
import pgReset from './pg-reset.js';
import redisCli from './redis-cli.js';
import redisInfo from './redis-info.js';
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
import dashboard from './dashboard.js';
import drainsAdd from './drains-add.js';
import drainsRemove from './drains-remove.js';
import drains from './drains.js';
import domainsAdd from './domains-add.js';
import domainsRemove from './domains-remove.js';
import domains from './domains.js';
import exportCommand from './export.js';
import gitReceive from './git-receive.js';
import gitRemote from './git-remote.js';
import info from './info.js';
import labsDisable from './labs-disable.js';
import labsEnable from './labs-enable.js';
import logs from './logs.js';
import maintenanceOff from './maintenance-off.js';
import maintenanceOn from './maintenance-on.js';
import maintenance from './maintenance.js';
import metrics from './metrics.js';
import open from './open.js';
import psAutoscaleDisable from './ps-autoscale-disable.js';
import psAutoscaleEnable from './ps-autoscale-enable.js';
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
  up, apps, appsCreate, info, open, appsDestroy, exportCommand, dashboard,
  buildpacks, buildpacksSet, buildpacksAdd, buildpacksRemove, buildpacksClear,
  ps, scale, restart, stop, run, psAutoscaleEnable, psAutoscaleDisable, metrics,
  logs, drains, drainsAdd, drainsRemove, labsEnable, labsDisable,
  config, configGet, configSet, configUnset,
  releases, releasesInfo, rollback,
  domains, domainsAdd, domainsRemove, certs, maintenance, maintenanceOn, maintenanceOff,
  gitRemote, gitReceive,
  addonsCreate, addons, addonsInfo, addonsDestroy, addonsAttach, addonsDetach,
  pgInfo, pgPsql, pgBackups, pgBackupsCapture, pgBackupsRestore, pgBackupsDownload, pgReset, redisCli, redisInfo,
  daemon,
];

/** Help groups in order, each with its commands' usage and description. */
export function helpGroups(): Array<[Group, Array<[string, string]>]> {
  const order: Group[] = ['Apps', 'Dynos', 'Logs', 'Config vars', 'Releases', 'Routing', 'Add-ons', 'Git', 'Daemon'];
  return order.map((g) => [g, commands.filter((c) => c.group === g && !c.hidden).flatMap((c): Array<[string, string]> =>
    c === daemon ? daemonCommands.map((d) => [`daemon ${d.command}`, d.describe]) : [[c.command, c.describe]])]);
}
