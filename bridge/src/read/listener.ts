/**
 * The read listener, behind Gate's `proxies:` entry `cdaas`, serving contract/src/read.ts: its
 * router is built from `readRoutes`, so Deck's client and this side cannot disagree on a path.
 * GET only. Answers covering clusters carry per-cluster errors as data: one agent's failure never
 * fails the whole answer. Every answer goes through a short TTL cache with coalescing, so many Deck
 * users polling the same view cost about one upstream call per TTL; pipeline reads (status, the
 * application's deployments, the traffic join) share one such cache of their own.
 */
import { FINAL_STATUSES, type PipelineStatus } from '@cdaas/contract/deploy';
import {
  type AgentsAnswer,
  type ApplicationDeployment,
  type ApplicationDeploymentsAnswer,
  type ClusterError,
  type ClusterSummary,
  type ClustersAnswer,
  type KubeDeployment,
  type KubeNamespace,
  type KubeReplicaSet,
  type KubeService,
  type ServicesAnswer,
  HEARTBEAT_STALE_AFTER_SECONDS,
  readRoutes,
} from '@cdaas/contract/read';
import { kubernetesSupported } from '@cdaas/contract/kubernetes';
import { type CdaasClient, UpstreamError } from '../cdaas/client';
import { type UpstreamPipeline, consoleUrl } from '../cdaas/upstream';
import { toStatusAnswer, mapStep } from '../deploy/status';
import { HttpError, type Reply, type Route, httpError, routeFrom } from '../http/server';
import { upstreamHttpError } from '../http/upstreamErrors';
import type { TtlCache } from './cache';
import type { DeploymentLedger, LedgerEntry } from './ledger';
import { mayBeRunningOn, trafficByReplicaSet } from './traffic';

export interface ReadListenerDeps {
  client: CdaasClient;
  cache: TtlCache<Reply>;
  /** Pipeline answers by id (same TTL as `cache`), shared by every route that needs a status. */
  pipelines: TtlCache<UpstreamPipeline>;
  /** What this bridge started (read/ledger.ts). */
  ledger: DeploymentLedger;
  consoleBaseUrl: string;
  envId: () => string | undefined;
  /** Told of every status read, so the ledger's last known status stays fresh. */
  onStatus?: (pipelineId: string, status: PipelineStatus) => void;
  /** Upstream calls per answer at once (one per agent or per pipeline). */
  concurrency?: number;
  now?: () => number;
}

/** The scope CD-as-a-Service needs for the agents' cache (Armory's architecture page). */
export const CACHE_SCOPE = 'read:infrastructure:data';

export function toClusterError(err: unknown): ClusterError {
  if (err instanceof UpstreamError) {
    if (err.kind === 'status') {
      // A refused cache read is almost always a credential without the cache's scope: say which.
      const scope = err.status === 403 && err.operation.startsWith('cache') ? `; reading the agents' cache needs the ${CACHE_SCOPE} scope` : '';
      return { kind: 'status', status: err.status ?? 0, message: err.message + scope };
    }
    if (err.kind === 'invalid') return { kind: 'invalid', message: err.message };
    return { kind: 'network', message: err.message };
  }
  return { kind: 'network', message: 'the bridge could not reach CD-as-a-Service' };
}

const json = (body: unknown, status = 200): Reply => ({ status, body: Buffer.from(JSON.stringify(body)) });
const iso = (ms: number) => new Date(ms).toISOString();

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

/** A bounded map that forgets the least recently written entry first. */
class Recent<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    return this.map.get(k);
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

export function readListenerRoutes(deps: ReadListenerDeps): Route[] {
  const { client, cache, ledger } = deps;
  const now = deps.now ?? Date.now;
  const limit = deps.concurrency ?? 8;
  // Whole-request failures are cached too (briefly): a broken upstream must not be hammered by polls.
  const cached = (key: string, load: () => Promise<Reply>) =>
    cache.get(key, () =>
      load().catch((err: unknown) => {
        const e = err instanceof HttpError ? err : upstreamHttpError(err);
        return { status: e.status, body: Buffer.from(JSON.stringify(e.answer)) };
      }),
    );

  // The last pipeline answer read for each id: a finished one never changes (no more upstream
  // reads for it), and a failed refresh shows the last known state instead of nothing.
  const lastKnown = new Recent<{ pipeline: UpstreamPipeline; at: number }>(5_000);
  const pipeline = async (id: string): Promise<UpstreamPipeline> => {
    const known = lastKnown.get(id);
    if (known && FINAL_STATUSES.includes(known.pipeline.status)) return known.pipeline;
    const p = await deps.pipelines.get(id, () => client.pipeline(id));
    if (lastKnown.get(id)?.pipeline !== p) {
      lastKnown.set(id, { pipeline: p, at: now() });
      deps.onStatus?.(id, p.status);
    }
    return p;
  };

  const agents = () =>
    cached('agents', async () => {
      // Without the ledger the connected agents still answer; `disconnected` is left out (unknown, not none).
      const [list, entries] = await Promise.all([client.connectedAgents(), ledger.listAll().catch(() => undefined)]);
      const connected = new Set(list.map((a) => a.agentIdentifier));
      const lastDeployed = new Map<string, number>();
      for (const e of entries ?? []) {
        for (const account of new Set([...e.targets.map((t) => t.account), ...e.resources.map((r) => r.account)])) {
          if (!connected.has(account)) lastDeployed.set(account, Math.max(lastDeployed.get(account) ?? 0, e.startedAt));
        }
      }
      // Only what Deck needs: client ids, IP addresses and stream ids stay in the bridge.
      const answer: AgentsAnswer = {
        agents: list.map((a) => ({
          agentIdentifier: a.agentIdentifier,
          ...(a.agentVersion ? { agentVersion: a.agentVersion } : {}),
          ...(a.connectedAtIso8601 ? { connectedAt: a.connectedAtIso8601 } : {}),
          ...(a.lastHeartbeatAtIso8601 ? { lastHeartbeatAt: a.lastHeartbeatAtIso8601 } : {}),
          // CDaaS types it loosely; only a real boolean is a claim worth showing.
          ...(typeof a.k8sClusterRoleSupport === 'boolean' ? { clusterRoleSupport: a.k8sClusterRoleSupport } : {}),
        })),
        ...(entries
          ? {
              disconnected: [...lastDeployed]
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([agentIdentifier, at]) => ({ agentIdentifier, lastDeployedAt: iso(at) })),
            }
          : {}),
        heartbeatStaleAfterSeconds: HEARTBEAT_STALE_AFTER_SECONDS,
      };
      return json(answer);
    });

  const clusters = () =>
    cached('clusters', async () => {
      const list = await client.connectedAgents();
      const names = [...new Set(list.map((a) => a.agentIdentifier))].sort();
      const summaries = await mapLimit(names, limit, async (name): Promise<ClusterSummary> => {
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

  /** One agent's list; an upstream failure becomes that cluster's error, never a failed answer. */
  const perCluster = <T>(kind: string, load: (agent: string) => Promise<T[]>) => (agent: string) =>
    cached(`${kind}:${agent}`, async () => {
      try {
        return json({ cluster: agent, items: await load(agent), errors: [] });
      } catch (err) {
        return json({ cluster: agent, items: [], errors: [toClusterError(err)] });
      }
    });

  const namespaces = perCluster('namespaces', async (agent): Promise<KubeNamespace[]> =>
    (await client.namespaces(agent)).items.map((n) => ({ name: n.name, ...(n.status ? { status: n.status } : {}), ...(n.labels ? { labels: n.labels } : {}) })),
  );

  const deployments = perCluster('deployments', async (agent): Promise<KubeDeployment[]> =>
    (await client.deployments(agent)).items.map(({ createdAtIso8601, ...d }) => ({ ...d, ...(createdAtIso8601 ? { createdAt: createdAtIso8601 } : {}) })),
  );

  const replicaSets = perCluster('replicasets', async (agent): Promise<KubeReplicaSet[]> => {
    // The running deployments' statuses are read while the replica sets load, not after.
    const running = ledger.listAll().catch((): LedgerEntry[] => []).then((entries) =>
      mapLimit(entries.filter((e) => mayBeRunningOn(e, agent)), limit, async (entry) => {
        try {
          return [{ entry, pipeline: await pipeline(entry.pipelineId) }];
        } catch {
          // A status that cannot be read now only costs that deployment its traffic column.
          return [];
        }
      }),
    );
    const answer = await client.replicaSets(agent).catch(async (err: unknown) => {
      await running; // no read left running after the answer
      throw err;
    });
    const items = answer.items.map(({ createdAtIso8601, ownerReferences, deployment, ...rs }) => {
      const owner = ownerReferences?.find((o) => o.kind === 'Deployment')?.name ?? deployment;
      return {
        ...rs,
        ...(owner ? { deployment: owner } : {}),
        ...(ownerReferences ? { ownerReferences: ownerReferences.map((o) => ({ kind: o.kind, name: o.name })) } : {}),
        ...(createdAtIso8601 ? { createdAt: createdAtIso8601 } : {}),
      };
    });
    const traffic = trafficByReplicaSet(agent, items, (await running).flat());
    if (!traffic.size) return items;
    return items.map((rs) => {
      const t = traffic.get(`${rs.namespace}/${rs.name}`);
      return t ? { ...rs, traffic: t } : rs;
    });
  });

  // A namespace is a DNS label; anything else is refused before it reaches the cache key or CDaaS.
  const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
  const services = (agent: string, query: URLSearchParams) => {
    const namespace = query.get('namespace') ?? undefined;
    if (namespace !== undefined && !NAMESPACE.test(namespace)) {
      throw httpError(400, `namespace "${namespace.slice(0, 70)}" is not a Kubernetes namespace name (lowercase letters, digits and "-", at most 63 characters)`, 'namespace');
    }
    return cached(`services:${agent}:${namespace ?? ''}`, async () => {
      const base = { cluster: agent, ...(namespace ? { namespace } : {}) };
      try {
        const items = (await client.services(agent, namespace)).items.map((svc): KubeService => ({ ...svc }));
        return json({ ...base, offered: true, items, errors: [] } satisfies ServicesAnswer);
      } catch (err) {
        // A cache without Services is what that agent offers, not a failure of this read; but a
        // 404 for an agent CDaaS does not know (a typed account) must not read as "not offered".
        if (err instanceof UpstreamError && err.kind === 'status' && err.status === 404) {
          const connected = await client.connectedAgents().then((list) => list.some((a) => a.agentIdentifier === agent), () => true);
          if (connected) return json({ ...base, offered: false, items: [], errors: [] } satisfies ServicesAnswer);
          const notConnected: ClusterError = { kind: 'status', status: 404, message: `${agent} is not a connected agent of CD-as-a-Service` };
          return json({ ...base, offered: true, items: [], errors: [notConnected] } satisfies ServicesAnswer);
        }
        return json({ ...base, offered: true, items: [], errors: [toClusterError(err)] } satisfies ServicesAnswer);
      }
    });
  };

  const status = (pipelineId: string) =>
    cached(`deployment:${pipelineId}`, async () => {
      const p = await pipeline(pipelineId);
      return json(toStatusAnswer(p, consoleUrl(deps.consoleBaseUrl, p.id, deps.envId())));
    });

  const applicationDeployment = async (e: LedgerEntry): Promise<ApplicationDeployment> => {
    const common = {
      pipelineId: e.pipelineId,
      executionId: e.executionId,
      stageRefId: e.stageRefId,
      ...(e.pipelineName ? { pipelineName: e.pipelineName } : {}),
      ...(e.user ? { startedBy: e.user } : {}),
      consoleUrl: consoleUrl(deps.consoleBaseUrl, e.pipelineId, deps.envId()),
      targets: e.targets.map((t) => ({ ...t })),
      resources: e.resources.map((r) => ({ ...r })),
    };
    const fromPipeline = (p: UpstreamPipeline, at: number, errors: ClusterError[]): ApplicationDeployment => ({
      ...common,
      status: p.status,
      startedAt: p.startedAtIso8601 ?? iso(e.startedAt),
      ...(p.completedAtIso8601 ? { completedAt: p.completedAtIso8601 } : {}),
      updatedAt: iso(at),
      steps: p.steps.map(mapStep),
      errors,
    });
    try {
      const p = await pipeline(e.pipelineId);
      return fromPipeline(p, lastKnown.get(e.pipelineId)?.at ?? now(), []);
    } catch (err) {
      const known = lastKnown.get(e.pipelineId);
      if (known) return fromPipeline(known.pipeline, known.at, [toClusterError(err)]);
      return {
        ...common,
        // Never read yet: CD-as-a-Service accepted the start, so it is at least queued.
        status: e.lastStatus ?? 'QUEUED',
        startedAt: iso(e.startedAt),
        ...(e.lastStatus ? { updatedAt: iso(e.updatedAt) } : {}),
        steps: [],
        errors: [toClusterError(err)],
      };
    }
  };

  const applicationDeployments = (application: string) =>
    cached(`application:${application}`, async () => {
      const entries = await ledger.listByApplication(application).catch((err: unknown) => {
        throw httpError(503, `the bridge could not read its record of the deployments it started: ${err instanceof Error ? err.message : String(err)}`);
      });
      entries.sort((a, b) => b.startedAt - a.startedAt);
      const answer: ApplicationDeploymentsAnswer = { application, deployments: await mapLimit(entries, limit, applicationDeployment) };
      return json(answer);
    });

  const r = readRoutes;
  return [
    routeFrom('agents', r.agents, agents),
    routeFrom('clusters', r.clusters, clusters),
    routeFrom('namespaces', r.namespaces, (c) => namespaces(c.params.agent)),
    routeFrom('deployments', r.deployments, (c) => deployments(c.params.agent)),
    routeFrom('replicasets', r.replicaSets, (c) => replicaSets(c.params.agent)),
    routeFrom('services', r.services, (c) => services(c.params.agent, c.query)),
    routeFrom('deploymentStatus', r.deploymentStatus, (c) => status(c.params.pipelineId)),
    routeFrom('applicationDeployments', r.applicationDeployments, (c) => applicationDeployments(c.params.application)),
  ];
}
