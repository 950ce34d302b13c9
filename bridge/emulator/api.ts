/**
 * The emulated REST API (api.cloud.armory.io), on its own port as the real one is on its own host.
 * Every route needs a Bearer JWT from the emulated auth server, verified (signature against the auth
 * server's JWKS, issuer, audience, expiry). The /_emulator control paths need none: emulator-only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JWK } from 'jose';
import { z } from 'zod';
import { matchPattern } from '@cdaas/contract/routes';
import { PRINCIPAL_CLAIM, START_PIPELINE_MEDIA_TYPE, upstreamRoutes, type UpstreamRoutes } from '../src/cdaas/upstream.js';
import { ClusterCache } from './cache.js';
import { validateDeployment, type AgentInfo } from './deployfile.js';
import { faultRuleSchema, type FaultSet } from './faults.js';
import { BodyTooLargeError, listenOn, mediaType, readBody, sendApiError, sendJson, sendUnauthorized } from './http.js';
import { ApprovalError, failureInjection, pipelineAnswer, type PipelineRecord, type PipelineStore } from './pipelines.js';
import type { EmulatorStats, FaultRule, SeedAgent } from './types.js';

export const CONTROL_PREFIX = '/_emulator';

const principalSchema = z.object({
  orgId: z.string(),
  envId: z.string(),
  type: z.string(),
  name: z.string().optional(),
  scopes: z.array(z.string()).default([]),
});
type Principal = z.infer<typeof principalSchema> & { clientId: string };

interface ApiContext {
  issuer: string;
  audience: string;
  publicJwks: { keys: JWK[] };
  agents: SeedAgent[];
  /** Connections changed since start (Emulator.setConnected), by agent; else the seed's `connected`. */
  connection: Map<string, boolean>;
  defaultEnvId: string;
  startedAt: number;
  pipelines: PipelineStore;
  faults: FaultSet;
  stats: EmulatorStats;
  /** The CDaaS paths served; upstream.ts's table unless a test renames one. */
  routes?: UpstreamRoutes;
  /** The clock a token's exp is judged by (ms since the epoch). */
  now: () => number;
}

/** Stable fake identifiers for an agent (derived from its name), so repeated reads agree. */
function agentIds(name: string): { uuid: string; hub: string; stream: string; clientId: string; ip: string; nodeIp: string } {
  const h = (salt: string) => createHash('sha256').update(`${salt}:${name}`).digest();
  const uuid = (salt: string) => {
    const b = h(salt);
    b[6] = (b[6]! & 0x0f) | 0x40; // version 4 layout
    b[8] = (b[8]! & 0x3f) | 0x80;
    const x = b.subarray(0, 16).toString('hex');
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
  };
  const ip = h('ip');
  return {
    uuid: uuid('instance'),
    hub: uuid('hub'),
    stream: uuid('stream'),
    clientId: h('client').subarray(0, 16).toString('hex'),
    ip: `10.${ip[0]}.${ip[1]}.${(ip[2]! % 254) + 1}`,
    nodeIp: `192.168.${ip[3]}.${(ip[4]! % 254) + 1}`,
  };
}

export async function startApiServer(opts: { host: string; port: number } & ApiContext): Promise<{ server: Server; url: string }> {
  const keySet = createLocalJWKSet(opts.publicJwks);
  const caches = new Map(opts.agents.map((a) => [a.agentIdentifier, new ClusterCache(a, opts.pipelines)]));
  const envOf = (a: SeedAgent) => a.envId ?? opts.defaultEnvId;
  const routes = opts.routes ?? upstreamRoutes;
  const isConnected = (a: SeedAgent) => opts.connection.get(a.agentIdentifier) ?? a.connected !== false;

  async function authenticate(req: IncomingMessage, res: ServerResponse): Promise<Principal | undefined> {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      sendUnauthorized(res, 'No valid auth credentials found.');
      return undefined;
    }
    try {
      const { payload } = await jwtVerify(m[1]!, keySet, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: ['RS256'],
        currentDate: new Date(opts.now()),
      });
      const principal = principalSchema.safeParse(payload[PRINCIPAL_CLAIM]);
      if (!principal.success) {
        sendUnauthorized(res, `token has no ${PRINCIPAL_CLAIM} claim`);
        return undefined;
      }
      return { ...principal.data, clientId: String(payload.client_id ?? payload.sub ?? '') };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) sendUnauthorized(res, 'token is expired');
      else if (e instanceof joseErrors.JWTClaimValidationFailed) sendUnauthorized(res, `token rejected: ${e.claim} claim check failed`);
      else sendUnauthorized(res, 'token signature or format is invalid');
      return undefined;
    }
  }

  function requireScope(p: Principal, res: ServerResponse, scope: string): boolean {
    if (p.scopes.includes(scope)) return true;
    const role = scope === 'api:deployment:full' ? ' (role "Deployments Full Access")' : '';
    sendApiError(res, 403, `the credential lacks the ${scope} scope${role}`);
    return false;
  }

  const agentsOf = (envId: string) => opts.agents.filter((a) => envOf(a) === envId);

  function connectedAgents(principal: Principal, identifier: string | null) {
    return agentsOf(principal.envId)
      .filter((a) => isConnected(a) && (identifier === null || a.agentIdentifier === identifier))
      .map((a) => {
        const ids = agentIds(a.agentIdentifier);
        const connectedAt = opts.startedAt - 3 * 3600_000;
        return {
          agentIdentifier: a.agentIdentifier,
          agentInstanceUuid: ids.uuid,
          agentVersion: a.agentVersion ?? '1.0.83',
          clientId: ids.clientId,
          connectedAtIso8601: new Date(connectedAt).toISOString(),
          envId: principal.envId,
          hubInstanceUuid: ids.hub,
          ipAddress: ids.ip,
          k8sClusterRoleSupport: a.clusterRoleSupport ?? true,
          // Agents heartbeat every few seconds: the last one is always recent.
          lastHeartbeatAtIso8601: new Date(Date.now() - 2_000).toISOString(),
          nodeIp: ids.nodeIp,
          orgId: principal.orgId,
          streamId: ids.stream,
        };
      });
  }

  function findPipeline(id: string, p: Principal, res: ServerResponse): PipelineRecord | undefined {
    const rec = opts.pipelines.byId.get(id);
    if (!rec || rec.envId !== p.envId) {
      sendApiError(res, 404, `pipeline ${id} not found`);
      return undefined;
    }
    return rec;
  }

  /** The agent's cache, or undefined once the 404 (unknown) or 503 (disconnected) is sent. */
  function cacheOf(agentIdentifier: string, p: Principal, res: ServerResponse): ClusterCache | undefined {
    // Armory: the scope read:infrastructure:data fetches "cached data about infrastructure".
    if (!requireScope(p, res, 'read:infrastructure:data')) return undefined;
    const agent = opts.agents.find((a) => a.agentIdentifier === agentIdentifier && envOf(a) === p.envId);
    const cache = agent && caches.get(agent.agentIdentifier);
    if (!agent || !cache) {
      sendApiError(res, 404, `agent ${agentIdentifier} is not known in this environment`);
      return undefined;
    }
    if (!isConnected(agent)) {
      sendApiError(res, 503, `agent ${agent.agentIdentifier} is not connected; its cache is unavailable until it reconnects`);
      return undefined;
    }
    if (agent.cacheStatus !== undefined) {
      sendApiError(res, agent.cacheStatus, `the agent cache of ${agent.agentIdentifier} failed to answer (seeded failure)`);
      return undefined;
    }
    return cache;
  }

  async function startPipeline(req: IncomingMessage, res: ServerResponse, p: Principal): Promise<void> {
    if (mediaType(req.headers['content-type']) !== START_PIPELINE_MEDIA_TYPE) {
      sendApiError(res, 415, `Content-Type must be ${START_PIPELINE_MEDIA_TYPE} (got ${req.headers['content-type'] ?? 'none'})`);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (e) {
      if (e instanceof BodyTooLargeError) sendApiError(res, 413, e.message);
      else sendApiError(res, 400, `body: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
      return;
    }
    const agentInfo = new Map<string, AgentInfo>(
      agentsOf(p.envId).map((a) => [a.agentIdentifier, { agentIdentifier: a.agentIdentifier, kubernetesVersion: a.kubernetesVersion, connected: isConnected(a) }]),
    );
    const result = validateDeployment(body, agentInfo, randomUUID);
    if (!result.ok) {
      sendApiError(res, 400, result.errors);
      return;
    }
    const d = result.value;
    const now = Date.now();
    const running = opts.pipelines.inProgressFor(p.envId, d, now);
    let queuedBehind: PipelineRecord | undefined;
    if (running.length > 0) {
      if (d.ifDeploymentInProgress === 'reject') {
        const strategySet = isObject(body) && isObject(body.deploymentConfig) && body.deploymentConfig.ifDeploymentInProgress !== undefined;
        sendApiError(
          res,
          409,
          `a deployment of application ${d.application} is already in progress (pipeline ${running[0]!.id}); ` +
            `deploymentConfig.ifDeploymentInProgress.strategy is reject${strategySet ? '' : ' (the default)'}; use enqueueOne to queue this one`,
        );
        return;
      }
      // enqueueOne: wait behind the one that started first; an older queued pipeline is replaced.
      for (const r of running) if (opts.pipelines.state(r, now).status === 'QUEUED') opts.pipelines.cancel(r, now);
      queuedBehind = running.filter((r) => r.cancelledAt === undefined).sort((a, b) => b.createdAt - a.createdAt)[0];
    }
    const injected = failureInjection(d);
    const record: PipelineRecord = {
      id: randomUUID(),
      envId: p.envId,
      createdAt: now,
      initiatedBy: { type: p.type, name: p.name ?? p.clientId, clientId: p.clientId },
      deployment: d,
      approvals: new Map(),
      failAtRef: injected?.ref,
      failureReason: injected?.reason,
      queuedBehind,
    };
    opts.pipelines.add(record);
    sendJson(res, 202, { pipelineId: record.id, warnings: d.warnings });
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path.startsWith(`${CONTROL_PREFIX}/`)) return control(req, res, method, path);

    const principal = await authenticate(req, res);
    if (!principal) return;
    const now = Date.now();
    let segs: string[];
    try {
      segs = path.split('/').slice(1).map(decodeURIComponent);
    } catch {
      return sendApiError(res, 400, `path: malformed percent-encoding in ${path}`);
    }

    const found = matchRoute(routes, method, segs);
    if (found === 'noPath') return sendApiError(res, 404, `no route for ${method} ${path}`);
    if ('allow' in found) return methodNotAllowed(res, found.allow);
    const p = found.params;
    const cache = () => cacheOf(p.agent!, principal, res);
    switch (found.name) {
      case 'connectedAgents':
        return sendJson(res, 200, connectedAgents(principal, url.searchParams.get('agent-identifier')));
      case 'startPipeline':
        if (!requireScope(principal, res, 'api:deployment:full')) return;
        return startPipeline(req, res, principal);
      case 'pipeline': {
        const rec = findPipeline(p.id!, principal, res);
        return rec && sendJson(res, 200, pipelineAnswer(rec, opts.pipelines.state(rec, now)));
      }
      case 'cancelPipeline': {
        const rec = findPipeline(p.id!, principal, res);
        if (!rec || !requireScope(principal, res, 'api:deployment:full')) return;
        opts.pipelines.cancel(rec, now);
        return sendJson(res, 200, pipelineAnswer(rec, opts.pipelines.state(rec, now)));
      }
      case 'approveStep': {
        const rec = findPipeline(p.id!, principal, res);
        if (!rec || !requireScope(principal, res, 'api:deployment:full')) return;
        return approve(res, rec, p.ref!);
      }
      case 'rollbackStep': {
        const rec = findPipeline(p.id!, principal, res);
        if (!rec || !requireScope(principal, res, 'api:deployment:full')) return;
        return act(res, () => opts.pipelines.rollback(rec, Date.now(), p.ref!), rec);
      }
      case 'cacheCluster': {
        const c = cache();
        return c && sendJson(res, 200, c.cluster());
      }
      case 'cacheNamespaces': {
        const c = cache();
        return c && sendJson(res, 200, c.namespaces(now));
      }
      case 'cacheDeployments': {
        const c = cache();
        return c && sendJson(res, 200, c.deployments(now));
      }
      case 'cacheReplicaSets': {
        const c = cache();
        return c && sendJson(res, 200, c.replicaSets(now));
      }
      case 'cacheServices': {
        const c = cache();
        if (!c) return;
        // An agent that does not send Services: the path is not there, as on a CDaaS without it.
        if (opts.agents.find((a) => a.agentIdentifier === p.agent)?.servicesOffered === false) {
          return sendApiError(res, 404, `the agent cache of ${p.agent} has no Services (its agent does not send them)`);
        }
        return sendJson(res, 200, c.services(url.searchParams.get('namespace') ?? undefined));
      }
    }
  }

  function approve(res: ServerResponse, rec: PipelineRecord, ref: string | undefined): void {
    act(res, () => opts.pipelines.approve(rec, Date.now(), ref), rec);
  }

  /** Approve or roll back; answers the pipeline as it is afterwards, or the ApprovalError. */
  function act(res: ServerResponse, action: () => unknown, rec: PipelineRecord): void {
    try {
      action();
      sendJson(res, 200, pipelineAnswer(rec, opts.pipelines.state(rec, Date.now())));
    } catch (e) {
      if (e instanceof ApprovalError) sendApiError(res, e.status, e.message);
      else throw e;
    }
  }

  /** Emulator-only control API: no auth, never part of CDaaS. */
  async function control(req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<void> {
    const rest = path.slice(CONTROL_PREFIX.length);
    if (rest === '/faults') {
      if (method === 'GET') return sendJson(res, 200, opts.faults.list());
      if (method === 'DELETE') {
        opts.faults.clear();
        return sendJson(res, 200, { cleared: true });
      }
      if (method === 'POST') {
        let json: unknown;
        try {
          json = JSON.parse(await readBody(req, 64 * 1024));
        } catch {
          return sendApiError(res, 400, 'body: expected a JSON FaultRule');
        }
        const parsed = faultRuleSchema.safeParse(json);
        if (!parsed.success)
          return sendApiError(res, 400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`));
        opts.faults.add(parsed.data as FaultRule);
        return sendJson(res, 201, parsed.data);
      }
      return methodNotAllowed(res, 'GET, POST, DELETE');
    }
    if (rest === '/stats') {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      return sendJson(res, 200, {
        tokenRequests: opts.stats.tokenRequests,
        apiRequests: opts.stats.apiRequests,
        requestsByPath: Object.fromEntries(opts.stats.requestsByPath),
      });
    }
    const conn = /^\/agents\/([^/]+)\/connection$/.exec(rest);
    if (conn) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      const name = decodeURIComponent(conn[1]!);
      if (!opts.agents.some((a) => a.agentIdentifier === name)) return sendApiError(res, 404, `no seeded agent ${name}`);
      let j: unknown;
      try {
        j = JSON.parse(await readBody(req, 64 * 1024));
      } catch {
        j = undefined;
      }
      if (!isObject(j) || typeof j.connected !== 'boolean') return sendApiError(res, 400, 'connected: expected {"connected": true|false}');
      opts.connection.set(name, j.connected);
      return sendJson(res, 200, { agentIdentifier: name, connected: j.connected });
    }
    const m = /^\/pipelines\/([^/]+)\/approve$/.exec(rest);
    if (m) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      const rec = opts.pipelines.byId.get(decodeURIComponent(m[1]!));
      if (!rec) return sendApiError(res, 404, `pipeline ${m[1]} not found`);
      let ref: string | undefined;
      const text = await readBody(req, 64 * 1024);
      if (text.trim()) {
        try {
          const j = JSON.parse(text) as { ref?: unknown };
          if (typeof j.ref === 'string') ref = j.ref;
        } catch {
          return sendApiError(res, 400, 'body: expected {"ref": "<step ref>"} or nothing');
        }
      }
      return approve(res, rec, ref);
    }
    sendApiError(res, 404, `no emulator control route for ${method} ${path}`);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const control = url.pathname.startsWith(`${CONTROL_PREFIX}/`);
    if (!control) {
      opts.stats.apiRequests += 1;
      opts.stats.requestsByPath.set(url.pathname, (opts.stats.requestsByPath.get(url.pathname) ?? 0) + 1);
    }
    const run = async () => {
      if (!control && (await opts.faults.apply('api', req, res, url.pathname))) return;
      await route(req, res, url);
    };
    run().catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) sendApiError(res, 500, `emulator error: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
  return { server, url: await listenOn(server, opts.host, opts.port, 'API server') };
}

/**
 * The route a request is for, by the table: its name and parameters, the methods the path allows
 * (a 405), or no route at all.
 */
function matchRoute(
  routes: UpstreamRoutes,
  method: string,
  segs: readonly string[],
): { name: keyof UpstreamRoutes; params: Record<string, string> } | { allow: string } | 'noPath' {
  const allow: string[] = [];
  for (const name of Object.keys(routes) as (keyof UpstreamRoutes)[]) {
    const params = matchPattern(routes[name].pattern, segs);
    if (!params) continue;
    if (routes[name].method === method) return { name, params };
    allow.push(routes[name].method);
  }
  return allow.length > 0 ? { allow: allow.join(', ') } : 'noPath';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendApiError(res, 405, `method not allowed (allowed: ${allow})`, { Allow: allow });
}
