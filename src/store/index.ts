// Why: the store's public surface; other modules import from here, never from its files.
export { Store } from './store.js';
export { migrations } from './migrations.js';
