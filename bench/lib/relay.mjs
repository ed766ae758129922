// The bench's floor reference: the least a Node.js process can do to carry a connection, a bare TCP relay
// (no HTTP parsing, no logging), run by the bench as a child pinned like the router (context.mjs).
// usage: node bench/lib/relay.mjs LISTEN_PORT TARGET_PORT
import net from 'node:net';

const [listen, target] = process.argv.slice(2).map(Number);
net.createServer({ noDelay: true }, (client) => {
  const dyno = net.connect({ port: target, host: '127.0.0.1', noDelay: true });
  client.pipe(dyno).pipe(client);
  const close = () => { client.destroy(); dyno.destroy(); };
  client.on('error', close).on('close', close);
  dyno.on('error', close).on('close', close);
}).listen(listen, '127.0.0.1');
