// A reference: the idiomatic smallest Node.js HTTP proxy (node:http server, http.request over a keep-alive
// Agent, pipes both ways), run by the bench as a child pinned like the router (context.mjs). It shows what
// node:http alone costs on this machine.
// usage: node bench/lib/node-proxy.mjs LISTEN_PORT TARGET_PORT
import http from 'node:http';

const [listen, target] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
http.createServer((req, res) => {
  const up = http.request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers, agent }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
  req.pipe(up);
}).listen(listen, '127.0.0.1');
