// The app served directly (no proxy): fixtures/node-hello's server.js, or a stand-in until it exists.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBg, freePort } from './proc.mjs';
import { waitHttp } from './http.mjs';

const STAND_IN = `// stand-in for fixtures/node-hello (bench only): answers "Hello" on PORT
import http from 'node:http';
http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('Hello'); })
  .listen(Number(process.env.PORT), '127.0.0.1');
`;

/** Starts the app on a free port pinned to `cpu`; resolves {child, port, url, fixture: bool}. */
export async function startBackend({ root, tmp, cpu }) {
  const fixtureDir = join(root, 'fixtures/node-hello');
  const fixture = existsSync(join(fixtureDir, 'server.js'));
  let script = join(fixtureDir, 'server.js');
  if (!fixture) {
    script = join(tmp, 'stand-in-server.mjs');
    writeFileSync(script, STAND_IN);
  }
  const port = await freePort();
  const child = startBg(process.execPath, [script], {
    cpu, cwd: fixture ? fixtureDir : tmp, logFile: join(tmp, 'backend.log'),
    env: { ...process.env, PORT: String(port), NODE_ENV: 'production' },
  });
  await waitHttp(`http://127.0.0.1:${port}/`, { timeoutMs: 10_000, child });
  return { child, port, url: `http://127.0.0.1:${port}/`, fixture };
}
