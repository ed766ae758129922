// Why: the add-ons capability's one entry point: provisioning, attachments (config vars owned by the add-on, set
// through the platform's config-change path so a release is cut), and the servers' lives beside the dynos'.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerCerts } from '../certs/index.js';
import { parseService, type AddonRecord, type AddonService, type AddonView, type AttachmentRecord } from '../core/addons.js';
import { conflict, invalid, notFound } from '../core/errors.js';
import type { Output } from '../deploy/context.js';
import { KeyedMutex } from '../deploy/lock.js';
import type { Platform } from '../deploy/platform.js';
import type { BackoffOptions } from '../supervisor/index.js';
import type { Driver } from './driver.js';
import { freePort } from './ports.js';
import { stopStrays, strayServers } from './proc.js';
import { postgresDriver } from './postgres.js';
import { redisDriver } from './redis.js';
import { AddonServer } from './server.js';
import { addonUrl, attachName, checkConfirm, nextAddonName, planAttachments, validateAddonName } from './services.js';

/** The daemon's settings the add-ons use. */
export interface AddonSettings {
  home: string;
  ports: { from: number; to: number };
  backoff: BackoffOptions;
  bootTimeoutMs: number;
  stopTimeoutMs: number;
  /** minik's local CA (the daemon's one CertStore), which makes each Postgres add-on's SSL certificate. */
  certs: ServerCerts;
}

/** Add-ons: created, attached, supervised, destroyed. */
export class Addons {
  private readonly servers = new Map<string, AddonServer>();
  private readonly lock = new KeyedMutex();

  /** `drivers`: the services' drivers (fakes in unit tests). */
  constructor(private readonly platform: Platform, private readonly settings: AddonSettings,
    private readonly drivers: Record<AddonService, Driver> = { 'heroku-postgresql': postgresDriver(settings.certs), 'heroku-redis': redisDriver }) {}

  private get store() { return this.platform.ctx.store; }

  /** The folder holding an add-on's data (and its backups). */
  dir(name: string): string {
    return join(this.settings.home, 'addons', name);
  }

  /** `minik addons:create SERVICE [--as NAME] [--name NAME]`: provisions, starts, attaches, cuts a release. */
  create(app: string, spec: string, opts: { as?: string; name?: string; sourceDir?: string }, out: Output): Promise<{ addon: AddonView; attachments: string[]; release: number | null; createdApp: boolean }> {
    return this.lock.run('addons', async () => {
      const { service, plan } = parseService(spec);
      // As `minik up` does, the first command naming a new app creates it, so a database can exist before the first deploy.
      const createdApp = !this.store.getApp(app) && opts.sourceDir !== undefined;
      if (createdApp) this.store.createApp(app, opts.sourceDir!);
      else this.store.requireApp(app);
      try {
        return { ...(await this.provision(app, service, plan, opts, out)), createdApp };
      } catch (err) {
        if (createdApp) this.store.deleteApp(app);
        throw err;
      }
    });
  }

  /** Makes the data, records the add-on, starts its server, then sets its vars (cutting a release). */
  private async provision(app: string, service: AddonService, plan: string, opts: { as?: string; name?: string }, out: Output): Promise<{ addon: AddonView; attachments: string[]; release: number | null }> {
    const all = this.store.addons.list();
    const names = planAttachments(service, this.store.addons.attachments({ app }), all, opts.as);
    this.checkFree(app, names);
    const name = opts.name !== undefined ? validateAddonName(opts.name) : nextAddonName(service, app, all.map((a) => a.name));
    if (all.some((a) => a.name === name)) throw conflict(`an add-on named ${name} already exists`, 'choose another --name, or leave --name out');
    const record: AddonRecord = { name, service, plan, app, port: await freePort(this.settings.ports, all.map((a) => a.port)), password: randomBytes(24).toString('hex'), version: null, createdAt: new Date().toISOString() };
    const dir = this.dir(name);
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      record.version = (await this.drivers[service].provision(record, dir)).version;
      this.store.addons.create(record, names);
      await this.serverFor(record).start();
    } catch (err) {
      await this.servers.get(name)?.stop();
      this.servers.delete(name);
      this.store.addons.remove(name);
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    const url = addonUrl(record);
    const set = Object.fromEntries(names.map((n) => [`${n}_URL`, url]));
    const { release } = await this.platform.setConfig(app, set, [], true, out, { description: `Attach ${names[0]}` });
    return { addon: this.view(record), attachments: names, release };
  }

  /** `minik addons:attach ADDON [--as NAME] -a APP`: shares an add-on with another app. */
  attach(addonName: string, app: string, as: string | undefined, out: Output): Promise<{ attachment: string; release: number | null }> {
    return this.lock.run('addons', async () => {
      const addon = this.store.addons.require(addonName);
      this.store.requireApp(app);
      const name = attachName(addon, this.store.addons.attachments({ app }), as);
      this.checkFree(app, [name]);
      this.store.addons.attach({ app, name, addon: addon.name, createdAt: new Date().toISOString() });
      const { release } = await this.platform.setConfig(app, { [`${name}_URL`]: addonUrl(addon) }, [], true, out, { description: `Attach ${name}` });
      return { attachment: name, release };
    });
  }

  /** `minik addons:detach NAME -a APP`: removes the attachment and its var; the add-on's last attachment stays. */
  detach(app: string, attachment: string, out: Output): Promise<{ release: number | null }> {
    return this.lock.run('addons', async () => {
      const att = this.requireAttachment(app, attachment);
      if (this.store.addons.attachments({ addon: att.addon }).length === 1) {
        throw conflict(`${att.name} is the last attachment of ${att.addon}`, `destroy the add-on instead: minik addons:destroy ${att.addon} --confirm ${app}`);
      }
      return this.unattach(app, [att.name], out);
    });
  }

  /** `minik addons:destroy NAME --confirm APP`: detaches it everywhere (cutting releases), stops it, deletes its data. */
  destroy(addonName: string, confirm: string | undefined, out: Output): Promise<{ detached: string[] }> {
    return this.lock.run('addons', async () => {
      const addon = this.store.addons.require(addonName);
      checkConfirm(addon.app, confirm, `destroys ${addon.name} and all of its data`);
      const atts = this.store.addons.attachments({ addon: addon.name });
      for (const app of this.appsOf(addon.name)) await this.unattach(app, atts.filter((a) => a.app === app).map((a) => a.name), out);
      await this.remove(addon);
      return { detached: atts.map((a) => `${a.app}:${a.name}`) };
    });
  }

  /**
   * apps:destroy: the app's own add-ons go with it; one attached elsewhere moves to that app instead. Runs under the
   * platform's lock on the app, so it takes no add-ons lock (create holds that while it waits for the app's lock).
   */
  async destroyForApp(app: string): Promise<void> {
    for (const addon of this.store.addons.list()) {
      const others = this.store.addons.attachments({ addon: addon.name }).filter((a) => a.app !== app);
      if (others.length > 0) {
        if (addon.app === app) this.store.addons.setApp(addon.name, others[0]!.app);
      } else if (addon.app === app || this.store.addons.attachments({ addon: addon.name, app }).length > 0) {
        await this.remove(addon);
      }
    }
  }

  /** A config guard: Heroku refuses to overwrite an attachment's var. */
  guardConfig(app: string, keys: string[]): void {
    for (const key of keys) {
      const att = key.endsWith('_URL') ? this.store.addons.getAttachment(app, key.slice(0, -4)) : null;
      if (att) {
        throw invalid(`Cannot overwrite attachment values ${key}: it belongs to the add-on ${att.addon}`,
          `the add-on sets it; to stop using it: minik addons:detach ${att.name} -a ${app}`);
      }
    }
  }

  /** Add-ons attached to an app (or every add-on), as the API shows them. */
  list(app?: string): AddonView[] {
    return (app === undefined ? this.store.addons.list() : this.appAddons(app)).map((a) => this.view(a));
  }

  /** One add-on, as the API shows it. */
  info(name: string): AddonView {
    return this.view(this.store.addons.require(name));
  }

  /** The add-on an app's pg:/redis: command means: an attachment name (DATABASE, DATABASE_URL) or an add-on name. */
  resolve(app: string, ref: string, service: AddonService): AddonRecord {
    this.store.requireApp(app);
    const att = this.store.addons.getAttachment(app, ref.toUpperCase().replace(/_URL$/, ''));
    const addon = att ? this.store.addons.get(att.addon) : this.store.addons.attachments({ app }).some((a) => a.addon === ref) ? this.store.addons.get(ref) : null;
    const what = service === 'heroku-postgresql' ? 'Postgres database' : 'Redis';
    if (!addon) throw notFound(`${app} has no ${what} attached as ${ref}`, `see 'minik addons -a ${app}', or create one: minik addons:create ${service} -a ${app}`);
    if (addon.service !== service) throw invalid(`${ref} on ${app} is ${addon.name}, a ${addon.service} add-on, not ${service}`, `name a ${what} add-on`);
    return addon;
  }

  /** Records the Postgres major version a fresh data folder was made by (pg:reset). */
  recordVersion(a: AddonRecord, version: string | null): void {
    this.store.addons.setVersion(a.name, version);
    a.version = version;
    const s = this.servers.get(a.name);
    if (s) s.addon.version = version;
  }

  /** The server of an add-on (created on first use). */
  serverFor(a: AddonRecord): AddonServer {
    let s = this.servers.get(a.name);
    if (!s) {
      const process = this.drivers[a.service].process;
      s = new AddonServer(a, this.dir(a.name), this.drivers[a.service], {
        ...this.settings,
        logFile: this.platform.ctx.logs.fileOf(a.app),
        log: (line, platform) => {
          for (const app of this.appsOf(a.name)) this.platform.ctx.logs.write(app, platform ? 'minik' : 'app', process, line);
        },
      });
      this.servers.set(a.name, s);
    }
    return s;
  }

  /**
   * Waits until the add-on's server accepts queries, bounded by the boot timeout: what every command that connects
   * to it does first. Covers a daemon that has just started and not reached this server yet.
   */
  whenReady(a: AddonRecord): Promise<void> {
    return this.serverFor(a).whenReady(this.settings.bootTimeoutMs);
  }

  /**
   * Daemon start, before an app's dynos are restored: waits until the add-ons attached to it accept queries, so a dyno
   * that connects at boot finds its database. One that never does is logged and the dynos start all the same (bounded:
   * the boot timeout), as on Heroku, where a dyno does not wait for its database.
   */
  async whenAppReady(app: string): Promise<void> {
    const addons = this.appAddons(app);
    await Promise.all(addons.map((a) => this.whenReady(a).catch((err: Error) => {
      this.platform.ctx.logs.write(app, 'minik', this.drivers[a.service].process, `Starting the dynos without waiting for ${a.name}: ${err.message}`);
    })));
  }

  /**
   * Daemon start: stray servers of deleted add-ons stopped, then every add-on's server. Runs beside the apps' recovery;
   * each app's dynos wait for their own add-ons (`whenAppReady`), so one slow server holds back only its apps.
   */
  async restore(): Promise<void> {
    const all = this.store.addons.list();
    for (const a of all) this.serverFor(a); // before the first await: a command that arrives now waits on these
    const strays = strayServers(this.settings.home, new Set(all.map((a) => a.name)));
    if (strays.length > 0) await stopStrays(strays, this.settings.stopTimeoutMs);
    await Promise.all(all.map((a) => this.serverFor(a).start().catch((err: Error) => {
      for (const app of this.appsOf(a.name)) this.platform.ctx.logs.write(app, 'minik', this.drivers[a.service].process, err.message);
    })));
  }

  /** Daemon stop: every server stopped cleanly. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.servers.values()].map((s) => s.stop()));
  }

  /** The apps an add-on is attached to, each once (its log lines go to each). */
  private appsOf(addon: string): string[] {
    return [...new Set(this.store.addons.attachments({ addon }).map((a) => a.app))];
  }

  /** The add-ons attached to an app, each once. */
  private appAddons(app: string): AddonRecord[] {
    const names = new Set(this.store.addons.attachments({ app }).map((a) => a.addon));
    return this.store.addons.list().filter((a) => names.has(a.name));
  }

  /** Removes attachments of one app and their vars in one release ("Detach DATABASE, HEROKU_POSTGRESQL_AQUA"). */
  private async unattach(app: string, names: string[], out: Output): Promise<{ release: number | null }> {
    for (const n of names) this.store.addons.detach(app, n);
    const { release } = await this.platform.setConfig(app, {}, names.map((n) => `${n}_URL`), true, out, { description: `Detach ${names.join(', ')}` });
    return { release };
  }

  private async remove(addon: AddonRecord): Promise<void> {
    await this.servers.get(addon.name)?.stop();
    this.servers.delete(addon.name);
    this.store.addons.remove(addon.name);
    await rm(this.dir(addon.name), { recursive: true, force: true });
  }

  private requireAttachment(app: string, ref: string): AttachmentRecord {
    const att = this.store.addons.getAttachment(app, ref.toUpperCase().replace(/_URL$/, ''))
      ?? this.store.addons.attachments({ app }).find((a) => a.addon === ref) ?? null;
    if (!att) throw notFound(`${app} has no add-on attached as ${ref}`, `see 'minik addons -a ${app}'`);
    return att;
  }

  /** Refuses an attachment name already used on the app, by an add-on or by a var set with config:set. */
  private checkFree(app: string, names: string[]): void {
    const config = this.store.getConfig(app);
    for (const n of names) {
      const att = this.store.addons.getAttachment(app, n);
      if (att) throw conflict(`${app} already has ${n}_URL from ${att.addon}`, `attach under another name with --as NAME, or detach it first: minik addons:detach ${n} -a ${app}`);
      if (Object.hasOwn(config, `${n}_URL`)) throw conflict(`${app} already has a config var ${n}_URL`, `unset it first (minik config:unset ${n}_URL -a ${app}), or pass --as NAME`);
    }
  }

  private view(a: AddonRecord): AddonView {
    const s = this.servers.get(a.name);
    return {
      name: a.name, service: a.service, plan: `${a.service}:${a.plan}`, app: a.app, state: s?.state ?? 'down', port: a.port,
      pid: s?.pid ?? null, since: s?.since?.toISOString() ?? null, restarts: s?.restarts ?? 0, version: a.version, createdAt: a.createdAt,
      attachments: this.store.addons.attachments({ addon: a.name }).map((x) => ({ app: x.app, name: x.name })),
    };
  }
}
