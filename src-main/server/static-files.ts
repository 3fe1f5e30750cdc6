import { createReadStream, promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/**
 * Serves a file of the built renderer. The URL path is resolved inside `root` and anything that
 * would escape it (`..`, encoded separators, absolute paths) is a 404, never a file outside.
 */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return notFound(res);
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return notFound(res);
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const resolvedRoot = path.resolve(root);
  const file = path.resolve(resolvedRoot, relative);
  if (file !== resolvedRoot && !file.startsWith(resolvedRoot + path.sep)) return notFound(res);
  let real: string;
  try {
    real = await fs.realpath(file);
    const realRoot = await fs.realpath(resolvedRoot);
    if (!real.startsWith(realRoot + path.sep)) return notFound(res);
    const stat = await fs.stat(real);
    if (!stat.isFile()) return notFound(res);
    res.writeHead(200, {
      ...headers,
      'Content-Type': MIME[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(stat.size),
      'Cache-Control': real.endsWith('index.html') ? 'no-store' : 'private, max-age=3600',
    });
  } catch {
    return notFound(res);
  }
  createReadStream(real).pipe(res);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('not found');
}
