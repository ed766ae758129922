// Why: Platform's rules (what serves, when config commits, what a restart replaces) are tested against a
// fake supervisor whose dynos come up, crash or hang on command, with a real store and real buildpacks.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynoState } from '../../../src/core/types.js';
import type { DynoHandle, Settings, SupervisorPort } from '../../../src/deploy/context.js';
import { Platform } from '../../../src/deploy/platform.js';
import type { Router, RouteTable } from '../../../src/router/index.js';
import { Store } from '../../../src/store/index.js';
import { LogHub, PortAllocator, type DynoSpec, type DynoUsage, type ExitInfo } from '../../../src/supervisor/index.js';

/** How a fake dyno behaves: web/formation dynos come 'up' or 'crash'; one-offs exit with a code or 'hang'. */
export type Behaviour = 'up' | 'crash' | 'hang' | number;

let nextPid = 100_000;

export class FakeDyno implements DynoHandle {
  state: DynoState = 'starting';
  pid: number | null = nextPid++;
  startTime: number | null = 1;
  marker: string | null = null;
  restarts = 0;
  since = new Date();
  nextRestartAt: Date | null = null;
  #exit!: (e: ExitInfo) => void;
  readonly #exited = new Promise<ExitInfo>((resolve) => (this.#exit = resolve));
  #up: Promise<void>;

  constructor(readonly spec: DynoSpec, behaviour: Behaviour, private readonly emit: (d: FakeDyno) => void) {
    if (behaviour === 'up') this.#up = Promise.resolve().then(() => this.set('up'));
    else if (behaviour === 'crash') this.#up = Promise.resolve().then(() => { this.set('crashed'); throw new Error(`dyno ${spec.name} crashed: exited with status 1`); });
    else this.#up = new Promise(() => {});
    if (typeof behaviour === 'number') queueMicrotask(() => this.end({ code: behaviour, signal: null }));
    this.#up.catch(() => {});
  }

  waitUp(): Promise<void> { return this.#up; }
  waitExit(): Promise<ExitInfo> { return this.#exited; }

  set(state: DynoState): void {
    this.state = state;
    this.emit(this);
  }

  end(e: ExitInfo): void {
    this.#exit(e);
  }
}

export class FakeSupervisor extends EventEmitter implements SupervisorPort {
  readonly dynos: FakeDyno[] = [];
  readonly ports = new PortAllocator({ lo: 20000, hi: 29999 }, () => new Set());
  /** Decides each new dyno's behaviour; tests replace it. */
  behaviour: (spec: DynoSpec) => Behaviour = (s) => (s.restart ? 'up' : 0);
  readonly started: DynoSpec[] = [];

  start(spec: DynoSpec): FakeDyno {
    const d = new FakeDyno(spec, this.behaviour(spec), (x) => this.emit('change', x));
    this.dynos.push(d);
    this.started.push(spec);
    this.emit('change', d);
    return d;
  }

  list(app?: string): FakeDyno[] {
    return this.dynos.filter((d) => app === undefined || d.spec.app === app);
  }

  async stop(dyno: DynoHandle): Promise<void> {
    const d = dyno as FakeDyno;
    d.end({ code: null, signal: 'SIGTERM' });
    d.set('down');
    const i = this.dynos.indexOf(d);
    if (i >= 0) this.dynos.splice(i, 1);
  }

  usage(): Map<string, DynoUsage> {
    return new Map();
  }

  /** 'web.1@v3' for each dyno of the app, sorted. */
  names(app: string): string[] {
    return this.list(app).map((d) => `${d.spec.name}@v${d.spec.release}`).sort();
  }
}

export interface Rig {
  home: string;
  store: Store;
  supervisor: FakeSupervisor;
  logs: LogHub;
  platform: Platform;
  table(): RouteTable;
  /** A source folder with these files. */
  app(files: Record<string, string>): string;
  out: { lines: string[]; log(line: string): void };
  close(): void;
}

/** A Platform over a fresh MINIK_HOME, a fake supervisor and a router stand-in that keeps the last table. */
export function rig(settings: Partial<Settings> = {}, home = mkdtempSync(join(tmpdir(), 'minik-deploy-'))): Rig {
  const store = new Store(join(home, 'minik.db'));
  const logs = new LogHub(join(home, 'logs'));
  const supervisor = new FakeSupervisor();
  let table: RouteTable = new Map();
  const router = { setTable: (t: RouteTable) => { table = t; } } as unknown as Router;
  const full: Settings = { home, routerPort: 7080, bootTimeoutMs: 1000, stopTimeoutMs: 1000, releaseTimeoutMs: 60_000, keepSlugs: 5, ...settings };
  const platform = new Platform({ store, supervisor, logs, router, settings: full });
  let n = 0;
  const out = { lines: [] as string[], log(line: string) { out.lines.push(line); } };
  return {
    home, store, supervisor, logs, platform, out,
    table: () => table,
    app(files) {
      const dir = join(home, `src-${++n}`);
      mkdirSync(dir, { recursive: true });
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(join(dir, f, '..'), { recursive: true });
        writeFileSync(join(dir, f), text);
      }
      return dir;
    },
    close() {
      store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
