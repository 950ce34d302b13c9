import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/**
 * The error body of Armory's Go services (go-commons `serr.ResponseContract`:
 * `{error_id, errors: [{message, code, metadata?}]}`). That api.cloud.armory.io answers with it is
 * likely (its services are built on go-commons) but not confirmed.
 */
export interface ApiErrorBody {
  error_id: string;
  errors: { message: string; code: string; metadata?: Record<string, unknown> }[];
}

export function apiError(messages: string | string[], code = '42', metadata?: Record<string, unknown>): ApiErrorBody {
  const list = Array.isArray(messages) ? messages : [messages];
  return {
    error_id: randomUUID(),
    errors: list.map((message) => ({ message, code, ...(metadata ? { metadata } : {}) })),
  };
}

export function sendApiError(
  res: ServerResponse,
  status: number,
  messages: string | string[],
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, apiError(messages, String(status)), headers);
}

/** Reads a request body up to `limit` bytes. */
export function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(limit));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** 401 for a missing, malformed, badly signed or expired Bearer token (RFC 6750 section 3). */
export function sendUnauthorized(res: ServerResponse, reason: string): void {
  const description = reason.replace(/["\\]/g, "'");
  sendApiError(res, 401, reason, {
    'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"`,
  });
}

/** Listens on host:port (0 = ephemeral) and answers the base URL, with IPv6 hosts bracketed. */
export async function listenOn(server: Server, host: string, port: number, what: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error(`${what} has no TCP address`);
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
