// The bench's floor reference for WebSockets: the least a Node.js process can do to carry a connection,
// a bare TCP relay (no HTTP parsing, no logging), started as a child pinned like the router.
// usage (as a child): node bench/lib/relay.mjs LISTEN_PORT TARGET_PORT
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { startBg } from './proc.mjs';
import { waitHttp } from './http.mjs';

/** Starts the relay on `port` towards 127.0.0.1:`targetPort`, pinned to `cpu`; resolves {child, port, url}. */
export async function startRelay({ port, targetPort, cpu, logFile }) {
  const child = startBg(process.execPath, [fileURLToPath(import.meta.url), String(port), String(targetPort)], { cpu, logFile });
  await waitHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 10_000, child });
  return { child, port, url: `http://127.0.0.1:${port}/` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [listen, target] = process.argv.slice(2).map(Number);
  net.createServer({ noDelay: true }, (client) => {
    const dyno = net.connect({ port: target, host: '127.0.0.1', noDelay: true });
    client.pipe(dyno).pipe(client);
    const close = () => { client.destroy(); dyno.destroy(); };
    client.on('error', close).on('close', close);
    dyno.on('error', close).on('close', close);
  }).listen(listen, '127.0.0.1');
}
