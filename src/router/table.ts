// Why: routes are data. The daemon turns its state into a RouteTable; the proxy only looks hosts up in it.
import { normalizeHost } from '../core/names.js';
import type { DynoState } from '../core/types.js';

/** What the daemon knows about one app, as the router needs it. */
export interface RouteApp {
  name: string;
  /** Extra domains (any case) besides NAME.localhost. */
  hosts: string[];
  maintenance: boolean;
  hasRelease: boolean;
  web: { dyno: string; port: number; state: DynoState }[];
}

/** A web dyno that takes traffic, on 127.0.0.1:port. */
export interface Upstream {
  dyno: string;
  port: number;
}

/** Where a host's requests go, and why they might not. */
export interface Route {
  app: string;
  maintenance: boolean;
  hasRelease: boolean;
  /** The app has web dynos and every one of them is crashed (H10). */
  crashed: boolean;
  /** Only 'up' dynos. */
  upstreams: Upstream[];
}

/** Lower-case host without port → route. */
export type RouteTable = Map<string, Route>;

const LOCAL_SUFFIX = '.localhost';

/** Why: one pure function from daemon state to routes keeps the proxy free of domain logic. */
export function buildRouteTable(apps: readonly RouteApp[]): RouteTable {
  const table: RouteTable = new Map();
  const routes = apps.map((app) => [app, toRoute(app)] as const);
  // NAME.localhost first, so a custom domain can never shadow another app's own name.
  for (const [app, route] of routes) table.set(app.name.toLowerCase() + LOCAL_SUFFIX, route);
  for (const [app, route] of routes) {
    for (const host of app.hosts) {
      const key = normalizeHost(host);
      if (key && !table.has(key)) table.set(key, route);
    }
  }
  return table;
}

function toRoute(app: RouteApp): Route {
  const upstreams: Upstream[] = [];
  let crashed = 0;
  for (const w of app.web) {
    if (w.state === 'up') upstreams.push({ dyno: w.dyno, port: w.port });
    else if (w.state === 'crashed') crashed++;
  }
  return {
    app: app.name,
    maintenance: app.maintenance,
    hasRelease: app.hasRelease,
    crashed: app.web.length > 0 && crashed === app.web.length,
    upstreams,
  };
}

/** Why: Host headers arrive as `Name.LOCALHOST:7080.`; the table is keyed by the bare lower-case name. */
export function lookupRoute(table: RouteTable, hostHeader: string | undefined): Route | undefined {
  if (!hostHeader) return undefined;
  const colon = hostHeader.indexOf(':');
  const bare = colon === -1 ? hostHeader : hostHeader.slice(0, colon);
  // Fast path: the common case is already normalized.
  return table.get(bare) ?? table.get(normalizeHost(hostHeader));
}

/** Lower-cases, strips `:port` and one trailing dot; '' for IPv6 literals (one definition, in core). */
export { normalizeHost };

/** Why: the 404 page lists the apps the router knows, each once, sorted. */
export function routeAppNames(table: RouteTable): string[] {
  const names = new Set<string>();
  for (const route of table.values()) names.add(route.app);
  return [...names].sort();
}
