/**
 * Gate's `proxies:` behaviour (ProxyController), reproduced for the sandbox: `/proxies/{id}/**`
 * goes to `uri + rest of path` with the query copied, for GET, POST, PUT and DELETE only (PATCH
 * has no mapping: 405). Only the request body and its content type travel upstream, never the
 * caller's headers (no cookies, no Authorization, no X-SPINNAKER-* from the browser); what Gate
 * adds is the signed-in user's X-SPINNAKER-USER (kork's SpinnakerRequestHeaderInterceptor, Gate
 * 1.31+). A POST or PUT without a Content-Type never leaves Gate: okhttp refuses the null body and
 * Gate answers 502. The answer carries `X-Proxy-Url`; an upstream 5xx comes back as 502 with the
 * upstream status in `X-Proxy-Status-Code`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ProxyTarget {
  id: string;
  uri: string;
  readTimeoutMs?: number;
}

/** The methods ProxyController maps. */
export const PROXY_METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;

/** Spring's error body, as Gate answers what it refuses itself. */
function gateError(res: ServerResponse, status: number, error: string, message: string, path: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ timestamp: new Date().toISOString(), status, error, message, path }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Answers a `/proxies/{id}/...` request; `rest` is the path after the id, starting with '/' or empty. */
export async function forwardToProxy(
  target: ProxyTarget,
  rest: string,
  search: string,
  req: IncomingMessage,
  res: ServerResponse,
  extraHeaders: Record<string, string>,
  /** The signed-in user Gate names upstream; undefined plays a Gate older than 1.31. */
  user?: string,
): Promise<void> {
  const url = target.uri.replace(/\/+$/, '') + rest + search;
  const method = req.method ?? 'GET';
  const path = `/proxies/${target.id}${rest}`;
  if (!(PROXY_METHODS as readonly string[]).includes(method)) {
    return gateError(res, 405, 'Method Not Allowed', `Request method '${method}' is not supported`, path, { ...extraHeaders, allow: PROXY_METHODS.join(', ') });
  }
  const body = method === 'GET' || method === 'DELETE' ? undefined : await readBody(req);
  const ct = req.headers['content-type'];
  if ((method === 'POST' || method === 'PUT') && !ct) {
    return gateError(res, 502, 'Bad Gateway', `method ${method} must have a request body.`, path, extraHeaders);
  }
  const headers: Record<string, string> = {};
  if (body && ct) headers['content-type'] = ct;
  if (user) headers['x-spinnaker-user'] = user;
  let upstream: Response;
  try {
    upstream = await fetch(url, {
      method: req.method,
      headers,
      body: body && ct ? new Uint8Array(body) : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(target.readTimeoutMs ?? 30_000),
    });
  } catch (err) {
    // Gate answers a connection failure with a 5xx of its own; the cause stays in Gate's log.
    const message = err instanceof Error ? err.message : String(err);
    res.writeHead(502, { 'content-type': 'application/json', ...extraHeaders });
    res.end(JSON.stringify({ error: 'Bad Gateway', message: `proxy ${target.id}: upstream unreachable (${message})`, status: 502 }));
    return;
  }
  const payload = Buffer.from(await upstream.arrayBuffer());
  const out: Record<string, string> = { ...extraHeaders, 'x-proxy-url': url };
  const upstreamType = upstream.headers.get('content-type');
  if (upstreamType) out['content-type'] = upstreamType;
  if (upstream.status >= 500) {
    out['x-proxy-status-code'] = String(upstream.status);
    res.writeHead(502, out);
  } else {
    res.writeHead(upstream.status, out);
  }
  res.end(payload);
}
