// Why: the add-on tables' SQL (issue 11), beside the Store's own, so src/addons never sees a row or a statement.
import type Database from 'better-sqlite3';
import type { AddonRecord, AttachmentRecord } from '../core/addons.js';
import { conflict, notFound } from '../core/errors.js';

interface AddonRow {
  name: string; service: AddonRecord['service']; plan: string; app: string; port: number;
  password: string; version: string | null; created_at: string;
}
interface AttachmentRow { app: string; name: string; addon: string; created_at: string }

const fromRow = (r: AddonRow): AddonRecord => ({
  name: r.name, service: r.service, plan: r.plan, app: r.app, port: r.port,
  password: r.password, version: r.version, createdAt: r.created_at,
});
const attFromRow = (r: AttachmentRow): AttachmentRecord => ({ app: r.app, name: r.name, addon: r.addon, createdAt: r.created_at });

/** Add-ons and their attachments; every method is one statement or one short transaction. */
export class AddonStore {
  private readonly q;

  /** Prepares the statements on the Store's open, migrated connection. */
  constructor(private readonly db: Database.Database) {
    this.q = {
      insert: db.prepare<AddonRow>(`INSERT INTO addons (name, service, plan, app, port, password, version, created_at)
        VALUES (@name, @service, @plan, @app, @port, @password, @version, @created_at)`),
      get: db.prepare<[string], AddonRow>('SELECT * FROM addons WHERE name = ?'),
      list: db.prepare<[], AddonRow>('SELECT * FROM addons ORDER BY name'),
      byPort: db.prepare<[number], AddonRow>('SELECT * FROM addons WHERE port = ?'),
      remove: db.prepare<[string]>('DELETE FROM addons WHERE name = ?'),
      setApp: db.prepare<{ name: string; app: string }>('UPDATE addons SET app = @app WHERE name = @name'),
      setVersion: db.prepare<{ name: string; version: string | null }>('UPDATE addons SET version = @version WHERE name = @name'),
      attach: db.prepare<AttachmentRow>('INSERT INTO addon_attachments (app, name, addon, created_at) VALUES (@app, @name, @addon, @created_at)'),
      getAttachment: db.prepare<{ app: string; name: string }, AttachmentRow>('SELECT * FROM addon_attachments WHERE app = @app AND name = @name'),
      detach: db.prepare<{ app: string; name: string }>('DELETE FROM addon_attachments WHERE app = @app AND name = @name'),
      attachments: db.prepare<[], AttachmentRow>('SELECT * FROM addon_attachments ORDER BY app, created_at, name'),
    };
  }

  /** Records a new add-on with its first attachments, atomically; conflict on a taken name, port or attachment. */
  create(addon: AddonRecord, attachments: string[]): void {
    this.db.transaction(() => {
      if (this.get(addon.name)) throw conflict(`an add-on named ${addon.name} already exists`, 'choose another name with --name, or leave --name out');
      const row = this.q.byPort.get(addon.port);
      if (row) throw conflict(`port ${addon.port} is already used by the add-on ${row.name}`, 'try again: minik picks another port');
      this.q.insert.run({ name: addon.name, service: addon.service, plan: addon.plan, app: addon.app, port: addon.port,
        password: addon.password, version: addon.version, created_at: addon.createdAt });
      for (const name of attachments) this.attach({ app: addon.app, name, addon: addon.name, createdAt: addon.createdAt });
    })();
  }

  /** The add-on, or null. */
  get(name: string): AddonRecord | null {
    const r = this.q.get.get(name);
    return r ? fromRow(r) : null;
  }

  /** The add-on; notFound naming it otherwise. */
  require(name: string): AddonRecord {
    const a = this.get(name);
    if (!a) throw notFound(`add-on ${name} not found`, "run 'minik addons --all' to list add-ons");
    return a;
  }

  /** Every add-on, by name. */
  list(): AddonRecord[] {
    return this.q.list.all().map(fromRow);
  }

  /** Deletes the add-on and, by cascade, its attachments. */
  remove(name: string): void {
    this.q.remove.run(name);
  }

  /** Moves the add-on to another (billing) app. */
  setApp(name: string, app: string): void {
    this.q.setApp.run({ name, app });
  }

  /** Records the Postgres major version that made the data directory. */
  setVersion(name: string, version: string | null): void {
    this.q.setVersion.run({ name, version });
  }

  /** Attaches an add-on to an app as NAME; conflict naming the holder when NAME is taken on that app. */
  attach(a: AttachmentRecord): void {
    const taken = this.q.getAttachment.get({ app: a.app, name: a.name });
    if (taken) {
      throw conflict(`${a.name}_URL on ${a.app} is already attached to ${taken.addon}`,
        `attach it under another name with --as NAME, or detach it first: minik addons:detach ${a.name} -a ${a.app}`);
    }
    this.q.attach.run({ app: a.app, name: a.name, addon: a.addon, created_at: a.createdAt });
  }

  /** Removes an attachment (no-op when there is none). */
  detach(app: string, name: string): void {
    this.q.detach.run({ app, name });
  }

  /** The attachment NAME on app, or null. */
  getAttachment(app: string, name: string): AttachmentRecord | null {
    const r = this.q.getAttachment.get({ app, name });
    return r ? attFromRow(r) : null;
  }

  /** Attachments, filtered by app and/or add-on, by app then age. */
  attachments(filter: { app?: string; addon?: string } = {}): AttachmentRecord[] {
    return this.q.attachments.all().map(attFromRow)
      .filter((a) => (filter.app === undefined || a.app === filter.app) && (filter.addon === undefined || a.addon === filter.addon));
  }
}
