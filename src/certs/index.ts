// Why: the local certificate authority's public surface for the daemon, the router wiring and the CLI.
export { CA_COMMON_NAME, CA_DAYS, LEAF_DAYS, createCa, issueLeaf } from './issue.js';
export type { KeyCert } from './issue.js';
export { CertStore, certPaths, isCertHost, leafUsable, pairUsable } from './store.js';
export type { CertFiles, ServerCerts } from './store.js';
export { sniCallback } from './sni.js';
export type { SniCallback } from './sni.js';
export { httpsUrl, trustSteps } from './trust.js';
export type { HttpsStatus, TrustStep } from './trust.js';
