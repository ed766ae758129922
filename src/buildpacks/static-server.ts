// Why: the default web process of a static site — a small file server that ships with minik and never
// serves anything outside its root, dotfiles included. Run as `node static-server.js` in the slug.
import { createReadStream, realpathSync, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { contentType } from './mime.js';

type Resolved = { status: 400 | 403 | 404 } | { file: string; stats: Stats } | { redirect: string };

/** An HTTP server (not yet listening) serving the files under `root`. */
export function createStaticServer(root: string): Server {
  const realRoot = realpathSync(path.resolve(root));
  return createServer((req, res) => {
    handle(realRoot, req, res).catch(() => {
      if (!res.headersSent) sendStatus(req, res, 500);
      else res.destroy();
    });
  });
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendStatus(req, res, 405);
  }
  const found = await resolveRequest(root, req.url ?? '/');
  if ('status' in found) return sendStatus(req, res, found.status);
  if ('redirect' in found) {
    res.writeHead(301, { Location: found.redirect, 'Content-Length': 0 });
    return void res.end();
  }
  await sendFile(req, res, found.file, found.stats);
}

/**
 * Maps a request target to a file under `root`. Rejects bad encodings and NUL bytes (400), `..`
 * segments and anything whose real path (symlinks followed) leaves the root (403), and dotfiles (404).
 */
export async function resolveRequest(root: string, url: string): Promise<Resolved> {
  const cut = url.search(/[?#]/);
  const pathname = cut < 0 ? url : url.slice(0, cut);
  const search = cut < 0 ? '' : url.slice(cut).replace(/#.*/, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 400 };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0')) return { status: 400 };
  const segments = decoded.split('/');
  if (segments.includes('..')) return { status: 403 };
  if (segments.some((s) => s.startsWith('.'))) return { status: 404 };
  const real = await realInside(root, path.resolve(root, `.${decoded}`));
  if (typeof real === 'number') return { status: real };
  const stats = await stat(real);
  if (stats.isFile()) return { file: real, stats };
  if (!stats.isDirectory()) return { status: 404 };
  // Leading slashes collapsed: `//host/dir` must not become a redirect to another host.
  if (!pathname.endsWith('/')) return { redirect: `/${pathname.replace(/^\/+/, '')}/${search}` };
  const index = await realInside(root, path.join(real, 'index.html'));
  if (typeof index === 'number') return { status: index };
  const indexStats = await stat(index);
  return indexStats.isFile() ? { file: index, stats: indexStats } : { status: 404 };
}

/** The real path of `file` when it exists inside `root` and is no dotfile there; else a status. */
async function realInside(root: string, file: string): Promise<string | 403 | 404> {
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    return 404;
  }
  const rel = path.relative(root, real);
  if (rel === '') return real;
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return 403;
  return rel.split(path.sep).some((s) => s.startsWith('.')) ? 404 : real;
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, stats: Stats): Promise<void> {
  const lastModified = stats.mtime.toUTCString();
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  if (!Number.isNaN(since) && Math.floor(stats.mtimeMs / 1000) * 1000 <= since) {
    res.writeHead(304, { 'Last-Modified': lastModified });
    return void res.end();
  }
  res.writeHead(200, {
    'Content-Type': contentType(file),
    'Content-Length': stats.size,
    'Last-Modified': lastModified,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(createReadStream(file), res);
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };

function sendStatus(req: IncomingMessage, res: ServerResponse, status: number): void {
  const title = `${status} ${REASONS[status] ?? 'Error'}`;
  const body = `<!doctype html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Serves `root` on 127.0.0.1:`port` (0: any free port). Loopback only, like every dyno: the router is the one way in,
 * so a site in maintenance mode is not still served on the machine's other interfaces.
 */
export function listenStatic(root: string, port: number): Promise<Server> {
  const server = createStaticServer(root);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Serves the current folder on $PORT until SIGTERM or SIGINT, then exits 0. */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 5000);
  const server = await listenStatic(process.cwd(), port);
  console.log(`Static site listening on port ${port}`);
  const stop = () => {
    server.close(); // once the last connection closes nothing is left to run, and the process ends with 0
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function isMain(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isMain()) {
  main().catch((err: unknown) => {
    console.error(`static server: cannot listen on 127.0.0.1:${process.env.PORT ?? 5000}: ${(err as Error).message}`);
    process.exitCode = 1; // nothing else keeps the process alive: it ends with this status
  });
}
