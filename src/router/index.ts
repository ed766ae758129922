// Why: the router's public surface for the daemon and the deploy pipeline (see docs/CONTRACTS.md).
export { buildRouteTable, lookupRoute, normalizeHost, routeAppNames } from './table.js';
export type { Route, RouteApp, RouteTable, Upstream } from './table.js';
export { Balancer, QUARANTINE_MS } from './balance.js';
export { Router, routeErrorCode } from './proxy.js';
export type { RouterOptions } from './proxy.js';
export { ROUTER_ERRORS, prefersJson } from './errors.js';
export type { RouterErrorCode } from './errors.js';
export { formatRouterLine } from './log.js';
export type { RequestFacts } from './log.js';
