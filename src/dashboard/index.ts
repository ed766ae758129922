// Why: the dashboard capability's public surface.
export { Dashboard, type DashboardDeps } from './server.js';
export { allowedHosts, checkChange, checkHost, Sessions } from './security.js';
