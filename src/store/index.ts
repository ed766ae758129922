// Why: the store's public surface; other modules import from here, never from its files.
export { Store, MAX_QUANTITY } from './store.js';
export { migrations } from './migrations.js';
