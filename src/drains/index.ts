// Why: the log drains capability's public surface.
export { DrainManager, validateDrainUrl } from './manager.js';
export { createShipper, type Shipper, type ShipperOptions } from './shippers.js';
export { LineBuffer } from './buffer.js';
export { logplexFrame, octetFrame, syslogMessage } from './frame.js';
