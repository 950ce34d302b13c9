/**
 * CD-as-a-Service emulator: an OAuth2/OIDC auth server (oidc-provider) and the CDaaS REST API on
 * two loopback ports, for the bridge's integration tests and the one-command sandbox.
 * See README.md in this folder for what is confirmed CDaaS behaviour and what is this project's own.
 */
import { DEFAULT_AUDIENCE } from '../src/cdaas/upstream.js';
import { startApiServer } from './api.js';
import { closeServer, startAuthServer, TOKEN_PATH, type ResolvedClient } from './auth.js';
import { FaultSet } from './faults.js';
import { ApprovalError, PipelineStore } from './pipelines.js';
import { DEFAULT_AGENTS, DEFAULT_SCOPES, SANDBOX_CLIENT, SANDBOX_ORG_NAME, scaleAgents } from './seed.js';
import type { Emulator, EmulatorOptions, EmulatorStats } from './types.js';

export type * from './types.js';
export { DEFAULT_AGENTS, SANDBOX_CLIENT, scaleAgents, seedFromEnv } from './seed.js';
export { CONTROL_PREFIX } from './api.js';

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const host = opts.host ?? '127.0.0.1';
  const audience = opts.audience ?? DEFAULT_AUDIENCE;
  const tokenTtlSeconds = opts.tokenTtlSeconds ?? 86400;
  const stepIntervalMs = opts.stepIntervalMs ?? 2000;
  if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds <= 0) throw new Error('tokenTtlSeconds: expected a positive integer');
  if (!(stepIntervalMs >= 0)) throw new Error('stepIntervalMs: expected a number >= 0');

  const clients: ResolvedClient[] = (opts.clients ?? [SANDBOX_CLIENT]).map((c) => ({
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    orgId: c.orgId ?? SANDBOX_CLIENT.orgId,
    envId: c.envId ?? SANDBOX_CLIENT.envId,
    name: c.name ?? c.clientId,
    scopes: c.scopes ?? DEFAULT_SCOPES,
    orgName: SANDBOX_ORG_NAME,
  }));
  if (clients.length === 0) throw new Error('clients: at least one client is needed');
  const stats: EmulatorStats = { tokenRequests: 0, apiRequests: 0, requestsByPath: new Map() };
  const faults = new FaultSet();
  const pipelines = new PipelineStore(stepIntervalMs);
  if (opts.seed !== undefined && opts.seed !== 'default' && opts.seed !== 'scale') throw new Error(`seed: expected default or scale, got ${String(opts.seed)}`);
  const agents = opts.agents ?? (opts.seed === 'scale' ? scaleAgents() : DEFAULT_AGENTS);
  const connection = new Map<string, boolean>();

  const auth = await startAuthServer({ host, port: opts.authPort ?? 0, clients, audience, tokenTtlSeconds, faults, stats });
  let api: Awaited<ReturnType<typeof startApiServer>>;
  try {
    api = await startApiServer({
      host,
      port: opts.apiPort ?? 0,
      issuer: auth.issuer,
      audience,
      publicJwks: auth.publicJwks,
      agents,
      connection,
      defaultEnvId: clients[0]!.envId,
      startedAt: Date.now(),
      pipelines,
      faults,
      stats,
      routes: opts.routes,
      now: opts.now ?? Date.now,
    });
  } catch (e) {
    await auth.close();
    throw e;
  }

  let closed: Promise<void> | undefined;
  return {
    issuer: auth.issuer,
    tokenUrl: `${auth.issuer}${TOKEN_PATH}`,
    apiUrl: api.url,
    audience,
    clients: clients.map((c) => ({ clientId: c.clientId, clientSecret: c.clientSecret })),
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear() },
    stats,
    setConnected(agentIdentifier: string, connected: boolean): void {
      if (!agents.some((a) => a.agentIdentifier === agentIdentifier)) throw new Error(`no seeded agent ${agentIdentifier}`);
      connection.set(agentIdentifier, connected);
    },
    approve(pipelineId: string, ref?: string): void {
      const rec = pipelines.byId.get(pipelineId);
      if (!rec) throw new ApprovalError(404, `pipeline ${pipelineId} not found`);
      pipelines.approve(rec, Date.now(), ref);
    },
    close(): Promise<void> {
      closed ??= (async () => {
        faults.dispose();
        await Promise.all([auth.close(), closeServer(api.server)]);
      })();
      return closed;
    },
  };
}
