// A reference: the idiomatic smallest Node.js HTTP proxy (node:http server, http.request over a keep-alive
// Agent, pipes both ways), started as a child pinned like the router. It shows what node:http alone costs here.
// usage (as a child): node bench/lib/node-proxy.mjs LISTEN_PORT TARGET_PORT
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { startBg } from './proc.mjs';
import { waitHttp } from './http.mjs';

/** Starts the proxy on `port` towards 127.0.0.1:`targetPort`, pinned to `cpu`; resolves {child, port, url}. */
export async function startNodeProxy({ port, targetPort, cpu, logFile }) {
  const child = startBg(process.execPath, [fileURLToPath(import.meta.url), String(port), String(targetPort)], { cpu, logFile });
  await waitHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 10_000, child });
  return { child, port, url: `http://127.0.0.1:${port}/` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
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
}
