/**
 * What both listeners share: allow-listed routes over strictly parsed paths, body limits, client
 * network allow-lists, JSON answers, one JSON log line and metrics per request, /healthz, /readyz
 * and /metrics. Routes are fixed templates: nothing in a request names an upstream host or path.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { BlockList, isIP } from 'node:net';

import type { ErrorAnswer } from '@cdaas/contract/errors';
import { type HttpMethod, type RouteDef, matchPattern } from '@cdaas/contract/routes';
import type { Logger } from '../observability/log';
import type { BridgeMetrics } from '../observability/metrics';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly answer: ErrorAnswer,
    readonly headers: Record<string, string> = {},
  ) {
    super(answer.error);
  }
}

export const httpError = (status: number, error: string, field?: string, details?: string[]) =>
  new HttpError(status, { error, ...(field ? { field } : {}), ...(details?.length ? { details } : {}) });

export interface Reply {
  status: number;
  /** An object is sent as JSON; a Buffer is sent as is (pre-serialized JSON from the cache). */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RequestContext {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Reads the body as JSON, refusing more than the listener's limit with 413. */
  json(): Promise<unknown>;
}

export interface Route {
  name: string;
  method: HttpMethod;
  /** A route() pattern; each `:name` captures one segment that must match PARAM_PATTERN. */
  path: string;
  handler(ctx: RequestContext): Promise<Reply> | Reply;
}

/** A route served from a contract definition, so the served pattern is the one callers build paths from. */
export function routeFrom(name: string, def: RouteDef, handler: Route['handler']): Route {
  return { name, method: def.method, path: def.pattern, handler };
}

export interface ListenerOptions {
  name: 'read' | 'deploy';
  routes: Route[];
  logger: Logger;
  metrics: BridgeMetrics;
  maxBodyBytes: number;
  allowedCidrs: string[];
  /** Methods the listener accepts at all; others get 405 before routing (read: GET only). */
  onlyMethods?: string[];
  ready(): { ready: boolean; reason?: string; store?: Record<string, unknown> };
  /**
   * Applied to every answer body (errors and data alike), as the logger applies it to every
   * line: upstream text (an auth server echoing the posted form, say) can carry the secret.
   */
  redact?: (text: string) => string;
  /** Deepest JSON nesting a request body may have (deploy.yml is a few levels deep). */
  maxJsonDepth?: number;
}

export const DEFAULT_MAX_JSON_DEPTH = 64;

/**
 * The first place where `value` nests deeper than `max` (objects and arrays), as a field path, or
 * undefined. Iterative: a body nested thousands deep must not blow the stack here either.
 */
export function tooDeep(value: unknown, max: number): string | undefined {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  while (stack.length) {
    const { v, depth, path } = stack.pop() as { v: unknown; depth: number; path: string };
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return path || 'body';
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [`[${i}]`, x]) : Object.entries(v).map(([k, x]) => [path ? `.${k}` : k, x]);
    for (const [k, x] of entries) stack.push({ v: x, depth: depth + 1, path: path.length > 200 ? path : path + k });
  }
  return undefined;
}

/** The top-level field of a path such as `deployment.strategies.x[0]` (for `field`). */
const topField = (path: string) => /^[^.[]+/.exec(path)?.[0] ?? 'body';

const PROBES = new Set(['healthz', 'readyz']);

/** One path segment as a route parameter: ids, ULIDs, agent names. No dots-only, no slashes. */
export const PARAM_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9][A-Za-z0-9._:~-]{0,252}$/;

/**
 * Splits a request target into decoded segments, or says why not. Refuses absolute-form targets
 * (`GET http://host/...`), `//`, dot segments, encoded slashes/backslashes/dots-only segments and
 * malformed escapes; what remains can only match one of the fixed routes.
 */
export function parseTarget(target: string | undefined): { segments: string[]; query: URLSearchParams } | string {
  if (!target || target[0] !== '/') return 'request target must be an absolute path';
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : target.slice(q + 1));
  if (rawPath.includes('//') || rawPath.includes('\\')) return 'empty path segments and backslashes are not allowed';
  const segments: string[] = [];
  for (const raw of rawPath.split('/').slice(1)) {
    if (raw === '' && segments.length === 0 && rawPath === '/') break;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return 'malformed percent-encoding in path';
    }
    if (seg === '.' || seg === '..' || /[/\\]/.test(seg) || /[\u0000-\u001f\u007f]/.test(seg)) return 'path segment not allowed';
    segments.push(seg);
  }
  // A trailing slash leaves an empty last segment; routes never have one.
  return { segments, query };
}

/** The contract's matcher, then each parameter against PARAM_PATTERN: the first refused one is named. */
function matchRoute(route: Route, segments: string[]): { params: Record<string, string>; invalid?: string } | undefined {
  const params = matchPattern(route.path, segments);
  if (!params) return undefined;
  const invalid = Object.keys(params).find((name) => !PARAM_PATTERN.test(params[name]!));
  return invalid === undefined ? { params } : { params, invalid };
}

function buildBlockList(cidrs: string[]): BlockList | undefined {
  if (!cidrs.length) return undefined;
  const list = new BlockList();
  for (const c of cidrs) {
    const [addr, bits] = c.split('/');
    list.addSubnet(addr, Number(bits), isIP(addr) === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

export function clientAllowed(list: BlockList | undefined, remote: string | undefined): boolean {
  if (!list) return true;
  if (!remote) return false;
  const v4 = remote.startsWith('::ffff:') && isIP(remote.slice(7)) === 4 ? remote.slice(7) : remote;
  return list.check(v4, isIP(v4) === 6 ? 'ipv6' : 'ipv4');
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw httpError(413, `request body is larger than ${limit} bytes`, 'body');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw httpError(413, `request body is larger than ${limit} bytes`, 'body');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createListener(opts: ListenerOptions): Server {
  const allow = buildBlockList(opts.allowedCidrs);
  const builtins: Route[] = [
    { name: 'healthz', method: 'GET', path: '/healthz', handler: () => ({ status: 200, body: { status: 'ok' } }) },
    {
      name: 'readyz',
      method: 'GET',
      path: '/readyz',
      handler: () => {
        const r = opts.ready();
        const store = r.store ? { store: r.store } : {};
        return r.ready ? { status: 200, body: { status: 'ready', ...store } } : { status: 503, body: { error: r.reason ?? 'not ready', ...store } };
      },
    },
    {
      name: 'metrics',
      method: 'GET',
      path: '/metrics',
      handler: async () => ({ status: 200, body: Buffer.from(await opts.metrics.registry.metrics()), contentType: opts.metrics.registry.contentType }),
    },
  ];
  const routes = [...builtins, ...opts.routes];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<{ route: string; status: number }> => {
    let route = 'unmatched';
    let reply: Reply;
    try {
      const remote = req.socket?.remoteAddress;
      const target = parseTarget(req.url);
      // Kubelet probes come from the node, outside the networks an admin allows: health says nothing.
      const probe = typeof target !== 'string' && target.segments.length === 1 && PROBES.has(target.segments[0]);
      if (!probe && !clientAllowed(allow, remote)) throw httpError(403, `client ${remote ?? 'unknown'} is not in the ${opts.name} listener's allowed networks`);
      const method = req.method ?? 'GET';
      // Every route, matched or not: a declared body over the limit is refused before anything else.
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > opts.maxBodyBytes) throw httpError(413, `request body is larger than ${opts.maxBodyBytes} bytes`, 'body');
      if (opts.onlyMethods && !opts.onlyMethods.includes(method)) {
        throw new HttpError(405, { error: `method ${method} is not allowed: this listener is read-only` }, { Allow: opts.onlyMethods.join(', ') });
      }
      // Requests that take no body still have whatever was sent read and bounded, whatever the
      // route (a chunked body has no Content-Length to check up front).
      const hasBody = req.headers['transfer-encoding'] !== undefined || (Number.isFinite(declared) && declared > 0);
      if (method !== 'POST' && hasBody) await readBody(req, opts.maxBodyBytes);
      if (typeof target === 'string') throw httpError(400, target, 'path');
      let matched: { r: Route; params: Record<string, string> } | undefined;
      const methods = new Set<string>();
      for (const r of routes) {
        const m = matchRoute(r, target.segments);
        if (!m) continue;
        if (m.invalid) throw httpError(400, `path parameter ${m.invalid} has characters that are not allowed`, m.invalid);
        methods.add(r.method);
        if (r.method === method) {
          matched = { r, params: m.params };
          break;
        }
      }
      if (!matched) {
        if (methods.size) throw new HttpError(405, { error: `method ${method} is not allowed here` }, { Allow: [...methods].join(', ') });
        throw httpError(404, 'no such route');
      }
      route = matched.r.name;
      reply = await matched.r.handler({
        req,
        params: matched.params,
        query: target.query,
        json: async () => {
          const ct = String(req.headers['content-type'] ?? '');
          if (!/^application\/(.+\+)?json\b/i.test(ct)) throw httpError(415, `Content-Type must be application/json, got "${ct.slice(0, 60)}"`, 'Content-Type');
          const buf = await readBody(req, opts.maxBodyBytes);
          let value: unknown;
          try {
            value = JSON.parse(buf.toString('utf8')) as unknown;
          } catch (err) {
            throw httpError(400, `request body is not valid JSON: ${(err as Error).message}`, 'body');
          }
          const max = opts.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
          const deep = tooDeep(value, max);
          if (deep) throw httpError(400, `request body nests deeper than ${max} levels at ${deep.slice(0, 120)}${deep.length > 120 ? '…' : ''}`, topField(deep));
          return value;
        },
      });
    } catch (err) {
      if (err instanceof HttpError) {
        // A refused body may still be arriving: close the connection instead of reading it.
        reply = { status: err.status, body: err.answer, headers: err.status === 413 ? { ...err.headers, Connection: 'close' } : err.headers };
      }
      else {
        opts.logger.error('unhandled error', { listener: opts.name, route, error: err instanceof Error ? err.message : String(err) });
        reply = { status: 500, body: { error: 'internal error in the bridge' } };
      }
    }
    const text = Buffer.isBuffer(reply.body) ? reply.body.toString('utf8') : JSON.stringify(reply.body);
    const body = Buffer.from(opts.redact ? opts.redact(text) : text);
    res.writeHead(reply.status, {
      'Content-Type': reply.contentType ?? 'application/json',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...reply.headers,
    });
    res.end(body);
    return { route, status: reply.status };
  };

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    // Read now: after a 413 the socket may be gone by the time the log line is written.
    const remote = req.socket?.remoteAddress;
    void handle(req, res).then(({ route, status }) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      opts.metrics.httpRequests.inc({ listener: opts.name, route, status: String(status) });
      opts.metrics.httpDuration.observe({ listener: opts.name, route }, seconds);
      opts.logger.info('request', {
        listener: opts.name,
        method: req.method,
        path: (req.url ?? '').split('?')[0].slice(0, 200),
        route,
        status,
        durationMs: Math.round(seconds * 1e6) / 1e3,
        remote,
      });
    }, (err: unknown) => {
      opts.logger.error('request failed while answering', { listener: opts.name, error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  // Longer than Gate's and Orca's pooled-connection idle time, so they close first.
  server.keepAliveTimeout = 65_000;
  return server;
}

export function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      if (!addr || typeof addr === 'string') return reject(new Error('listener has no address'));
      const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      resolve(`http://${h === '0.0.0.0' ? '127.0.0.1' : h === '[::]' ? '[::1]' : h}:${addr.port}`);
    });
  });
}
