// A small static file server for the built site: what `impact dashboard preview` runs, and what the
// browser tests and the benchmark load pages from. It serves dist/ as a static host would (clean
// URLs: /en/fund serves en/fund.html), and nothing else.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticSite {
  url: string;
  server: Server;
  close: () => Promise<void>;
}

function fileFor(root: string, pathname: string): string | null {
  const path = normalize(decodeURIComponent(pathname));
  const candidates = path.endsWith('/') ? [join(path, 'index.html')] : [path, `${path}.html`, join(path, 'index.html')];
  for (const candidate of candidates) {
    const file = resolve(root, `.${sep}${candidate}`);
    if (!file.startsWith(root)) return null;
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

export function serveStatic(dir: string, port = 0, host = '127.0.0.1'): Promise<StaticSite> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = fileFor(root, url.pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new Error(`Port ${port} on ${host} is in use by another program: stop it, or choose another port with --port.`, { cause: error }));
      else reject(error);
    });
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      resolvePromise({
        url: `http://${host}:${bound}`,
        server,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
