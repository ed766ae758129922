// Why: every store test gets its own database file in its own temp folder, and removes both.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MinikError } from '../../../src/core/errors.js';
import { Store } from '../../../src/store/index.js';
import type { DynoRecord, Release } from '../../../src/core/types.js';

export interface TempStore {
  dir: string;
  file: string;
  store: Store;
  /** Closes the current store and opens the same file again, as a restarted daemon would. */
  reopen(): Store;
  cleanup(): void;
}

/** A fresh Store in a new temp folder. */
export function tempStore(): TempStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minik-store-'));
  const file = path.join(dir, 'minik.db');
  const t: TempStore = {
    dir,
    file,
    store: new Store(file),
    reopen() {
      t.store.close();
      t.store = new Store(file);
      return t.store;
    },
    cleanup() {
      try {
        t.store.close();
      } catch {
        // already closed by the test
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

/** A release body with sensible defaults, for createRelease. */
export function releaseInput(app: string, over: Partial<Omit<Release, 'version' | 'createdAt'>> = {}) {
  return {
    app,
    slug: `/slugs/${app}`,
    config: {},
    dotenv: {},
    processTypes: { web: 'node server.js' },
    buildpack: 'nodejs',
    description: 'Deploy',
    status: 'succeeded' as const,
    ...over,
  };
}

/** A dyno record with sensible defaults. */
export function dyno(app: string, name: string, over: Partial<DynoRecord> = {}): DynoRecord {
  return {
    app,
    name,
    type: name.split('.')[0]!,
    release: 1,
    pid: 1000,
    pgid: 1000,
    startTime: 123456,
    port: null,
    state: 'up',
    command: 'node server.js',
    since: '2026-01-01T00:00:00.000Z',
    restarts: 0,
    bootId: 'b00710',
    marker: '',
    ...over,
  };
}

/** The MinikError fn throws; rethrows anything else and fails when nothing is thrown. */
export function caught(fn: () => unknown): MinikError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MinikError) return err;
    throw err;
  }
  throw new Error('expected a MinikError, but nothing was thrown');
}
