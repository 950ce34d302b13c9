/**
 * Gate's `proxies:` behaviour (ProxyController), reproduced for the sandbox: `/proxies/{id}/**`
 * goes to `uri + rest of path` with the query copied. Only the request body and its content type
 * travel upstream: no caller headers (no cookies, no Authorization, no user identity). An
 * upstream 5xx comes back as 502 with the upstream status in `X-Proxy-Status-Code`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ProxyTarget {
  id: string;
  uri: string;
  readTimeoutMs?: number;
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
): Promise<void> {
  const url = target.uri.replace(/\/+$/, '') + rest + search;
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
  const headers: Record<string, string> = {};
  const ct = req.headers['content-type'];
  if (body && body.length && ct) headers['content-type'] = ct;
  let upstream: Response;
  try {
    upstream = await fetch(url, {
      method: req.method,
      headers,
      body: body && body.length ? new Uint8Array(body) : undefined,
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
  const out: Record<string, string> = { ...extraHeaders };
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
