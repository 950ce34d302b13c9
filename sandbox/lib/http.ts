/** Small helpers shared by the sandbox's loopback servers. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

export const LOOPBACK = '127.0.0.1';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.jpg': 'image/jpeg',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
  '.ico': 'image/x-icon',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/**
 * Serves `rel` (a URL path) from `root`, refusing anything outside it. Returns false when there
 * is no such file, so the caller can answer 404 its own way.
 */
export async function sendFile(
  res: ServerResponse,
  root: string,
  rel: string,
  headers: Record<string, string> = {},
): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return false;
  }
  const file = normalize(join(root, decoded));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return false;
  try {
    const s = await stat(file);
    if (!s.isFile()) return false;
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': s.size,
      ...headers,
    });
    await new Promise<void>((resolve, reject) => {
      createReadStream(file).on('error', reject).on('end', resolve).pipe(res);
    });
    return true;
  } catch {
    return false;
  }
}

/** Listens on host:port; a taken fixed port becomes an error that says which and how to change it. */
export function listen(server: Server, port: number, host: string, what: string, envVar?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`${what}: port ${port} on ${host} is already in use${envVar ? `; set ${envVar} to another port` : ''}`));
      } else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Closes a server and every connection it holds (keep-alive sockets would keep it open). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Fails with a message naming the port and its env variable when a fixed port is taken, before any
 * server starts (the bridge and emulator would otherwise fail with a bare EADDRINUSE).
 */
export async function assertPortsFree(ports: Array<{ port: number; what: string; envVar: string }>, host: string): Promise<void> {
  const { createServer: createNetServer } = await import('node:net');
  const taken: string[] = [];
  for (const p of ports) {
    if (p.port === 0) continue;
    const free = await new Promise<boolean>((resolve) => {
      const s = createNetServer();
      s.once('error', () => resolve(false));
      s.listen(p.port, host, () => s.close(() => resolve(true)));
    });
    if (!free) taken.push(`${p.what}: port ${p.port} on ${host} is already in use; set ${p.envVar} to another port`);
  }
  if (taken.length) throw new Error(taken.join('\n  '));
}
