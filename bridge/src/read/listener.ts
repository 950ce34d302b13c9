/**
 * The read listener, behind Gate's `proxies:` entry `cdaas` (see contract/src/read.ts).
 * GET only. Answers covering clusters carry per-cluster errors as data: one agent's failure never
 * fails the whole answer. Every answer goes through a short TTL cache with coalescing, so many Deck
 * users polling the same view cost about one upstream call per TTL.
 */
import type {
  AgentsAnswer,
  ClusterError,
  ClusterSummary,
  ClustersAnswer,
} from '@cdaas/contract/read';
import { kubernetesSupported } from '@cdaas/contract/kubernetes';
import { readPaths } from '@cdaas/contract/read';
import { type CdaasClient, UpstreamError } from '../cdaas/client';
import { consoleUrl } from '../cdaas/upstream';
import { HttpError, type Reply, type Route } from '../http/server';
import { upstreamHttpError } from '../http/upstreamErrors';
import { toStatusAnswer } from '../deploy/status';
import type { TtlCache } from './cache';

export interface ReadListenerDeps {
  client: CdaasClient;
  cache: TtlCache<Reply>;
  consoleBaseUrl: string;
  envId: () => string | undefined;
  /** Upstream calls per /v1/clusters answer at once (one per agent). */
  concurrency?: number;
}

export function toClusterError(err: unknown): ClusterError {
  if (err instanceof UpstreamError) {
    if (err.kind === 'status') return { kind: 'status', status: err.status ?? 0, message: err.message };
    if (err.kind === 'invalid') return { kind: 'invalid', message: err.message };
    return { kind: 'network', message: err.message };
  }
  return { kind: 'network', message: 'the bridge could not reach CD-as-a-Service' };
}

const json = (body: unknown, status = 200): Reply => ({ status, body: Buffer.from(JSON.stringify(body)) });

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}

export function readRoutes(deps: ReadListenerDeps): Route[] {
  const { client, cache } = deps;
  // Whole-request failures are cached too (briefly): a broken upstream must not be hammered by polls.
  const cached = (key: string, load: () => Promise<Reply>) =>
    cache.get(key, () =>
      load().catch((err: unknown) => {
        const e = err instanceof HttpError ? err : upstreamHttpError(err);
        return { status: e.status, body: Buffer.from(JSON.stringify(e.answer)) };
      }),
    );

  const agents = () =>
    cached('agents', async () => {
      const list = await client.connectedAgents();
      // Only what Deck needs: client ids, IP addresses and stream ids stay in the bridge.
      const answer: AgentsAnswer = {
        agents: list.map((a) => ({
          agentIdentifier: a.agentIdentifier,
          ...(a.agentVersion ? { agentVersion: a.agentVersion } : {}),
          ...(a.connectedAtIso8601 ? { connectedAt: a.connectedAtIso8601 } : {}),
          ...(a.lastHeartbeatAtIso8601 ? { lastHeartbeatAt: a.lastHeartbeatAtIso8601 } : {}),
        })),
      };
      return json(answer);
    });

  const clusters = () =>
    cached('clusters', async () => {
      const list = await client.connectedAgents();
      const names = [...new Set(list.map((a) => a.agentIdentifier))].sort();
      const summaries = await mapLimit(names, deps.concurrency ?? 8, async (name): Promise<ClusterSummary> => {
        try {
          const c = await client.cluster(name);
          const supported = kubernetesSupported(c.kubernetesVersion);
          return { cluster: name, kubernetesVersion: c.kubernetesVersion, ...(supported !== undefined ? { supported } : {}), errors: [] };
        } catch (err) {
          return { cluster: name, errors: [toClusterError(err)] };
        }
      });
      const answer: ClustersAnswer = { clusters: summaries };
      return json(answer);
    });

  const perCluster = (kind: 'namespaces' | 'deployments' | 'replicasets') => (agent: string) =>
    cached(`${kind}:${agent}`, async () => {
      try {
        if (kind === 'namespaces') {
          const r = await client.namespaces(agent);
          return json({ cluster: agent, items: r.items.map((n) => ({ name: n.name, ...(n.status ? { status: n.status } : {}) })), errors: [] });
        }
        if (kind === 'deployments') {
          const r = await client.deployments(agent);
          return json({
            cluster: agent,
            items: r.items.map(({ createdAtIso8601, ...d }) => ({ ...d, ...(createdAtIso8601 ? { createdAt: createdAtIso8601 } : {}) })),
            errors: [],
          });
        }
        const r = await client.replicaSets(agent);
        return json({
          cluster: agent,
          items: r.items.map(({ createdAtIso8601, ...d }) => ({ ...d, ...(createdAtIso8601 ? { createdAt: createdAtIso8601 } : {}) })),
          errors: [],
        });
      } catch (err) {
        return json({ cluster: agent, items: [], errors: [toClusterError(err)] });
      }
    });

  const namespaces = perCluster('namespaces');
  const deployments = perCluster('deployments');
  const replicaSets = perCluster('replicasets');

  const status = (pipelineId: string) =>
    cached(`deployment:${pipelineId}`, async () => {
      const p = await client.pipeline(pipelineId);
      return json(toStatusAnswer(p, consoleUrl(deps.consoleBaseUrl, p.id, deps.envId())));
    });

  return [
    { name: 'agents', method: 'GET', path: readPaths.agents, handler: agents },
    { name: 'clusters', method: 'GET', path: readPaths.clusters, handler: clusters },
    { name: 'namespaces', method: 'GET', path: '/v1/clusters/:agent/namespaces', handler: (c) => namespaces(c.params.agent) },
    { name: 'deployments', method: 'GET', path: '/v1/clusters/:agent/deployments', handler: (c) => deployments(c.params.agent) },
    { name: 'replicasets', method: 'GET', path: '/v1/clusters/:agent/replicasets', handler: (c) => replicaSets(c.params.agent) },
    { name: 'deploymentStatus', method: 'GET', path: '/v1/deployments/:pipelineId', handler: (c) => status(c.params.pipelineId) },
  ];
}
