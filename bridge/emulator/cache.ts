/**
 * The agents' Kubernetes cache (this project's own contract: Armory does not publish these paths).
 * Seeded clusters, overlaid with what the emulator's pipelines deployed, computed at read time.
 */
import { createHash } from 'node:crypto';
import type { PipelineRecord, PipelineStore } from './pipelines.js';
import type { SeedAgent, SeedDeployment, SeedService } from './types.js';

export interface CacheDeployment {
  namespace: string;
  name: string;
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
  images: string[];
  revision: string;
  createdAtIso8601: string;
  labels: Record<string, string>;
}

export interface CacheService {
  namespace: string;
  name: string;
  type: string;
  selector: Record<string, string>;
  ports: NonNullable<SeedService['ports']>;
  labels: Record<string, string>;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

export interface CacheReplicaSet {
  namespace: string;
  name: string;
  deployment: string;
  ownerReferences: OwnerReference[];
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  images: string[];
  revision: string;
  createdAtIso8601: string;
  labels: Record<string, string>;
}

interface LiveDeployment {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  replicas: number;
  readyReplicas: number;
  images: string[];
  revision: number;
  createdAt: string;
  replicaSets: CacheReplicaSet[];
}

/** Pod-template-hash style suffix: 10 characters, stable for the same template. */
function templateHash(name: string, images: string[], revision: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha256').update(`${name}|${images.join(',')}|${revision}`).digest();
  return Array.from(digest.subarray(0, 10), (b) => alphabet[b % alphabet.length]).join('');
}

/** A stable UUID-shaped uid for an object, as the API server assigns one per object. */
function uid(...parts: string[]): string {
  const x = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-a${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

const deploymentLabels = (name: string, extra?: Record<string, string>) => ({ app: name, 'app.kubernetes.io/name': name, ...extra });

/** A ReplicaSet as the Deployment controller makes it: template-hash name and label, owner reference. */
function replicaSet(
  d: { namespace: string; name: string; labels: Record<string, string> },
  images: string[],
  revision: number,
  replicas: number,
  ready: number,
  createdAtIso8601: string,
): CacheReplicaSet {
  const hash = templateHash(d.name, images, revision);
  return {
    namespace: d.namespace,
    name: `${d.name}-${hash}`,
    deployment: d.name,
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: d.name, uid: uid(d.namespace, 'Deployment', d.name), controller: true, blockOwnerDeletion: true },
    ],
    replicas,
    readyReplicas: ready,
    availableReplicas: ready,
    images,
    revision: String(revision),
    createdAtIso8601,
    labels: { ...d.labels, 'pod-template-hash': hash },
  };
}

/** The seeded canary's share of the replicas at `now`: one step of `weights` per `stepMs`, looping. */
export function seededCanaryWeight(canary: NonNullable<SeedDeployment['canary']>, now: number): number {
  const weights = canary.weights?.length ? canary.weights : [25, 50, 75];
  return weights[Math.floor(now / (canary.stepMs ?? 10_000)) % weights.length]!;
}

function seededState(agent: SeedAgent, now: number): Map<string, LiveDeployment> {
  const out = new Map<string, LiveDeployment>();
  for (const d of agent.deployments ?? []) {
    const revision = d.revision ?? 1;
    const ready = d.readyReplicas ?? d.replicas;
    const createdAt = d.createdAtIso8601 ?? new Date(0).toISOString();
    const labels = deploymentLabels(d.name, d.labels);
    const meta = { namespace: d.namespace, name: d.name, labels };
    const replicaSets: CacheReplicaSet[] = [];
    const at = (r: number) => new Date(Date.parse(createdAt) + (r - 1) * 86_400_000).toISOString();
    // The current ReplicaSet, and older revisions scaled to zero (revisionHistoryLimit).
    for (let r = Math.max(1, revision - ((d.history ?? 3) - 1)); r <= revision; r++) {
      const current = r === revision;
      replicaSets.push(replicaSet(meta, d.images, r, current ? d.replicas : 0, current ? ready : 0, at(r)));
    }
    if (d.canary) {
      // The new version beside the current one, splitting the replicas by the canary's weight.
      const onNew = Math.max(1, Math.round((d.replicas * seededCanaryWeight(d.canary, now)) / 100));
      const stable = replicaSets[replicaSets.length - 1]!;
      replicaSets[replicaSets.length - 1] = { ...stable, replicas: d.replicas - onNew, readyReplicas: d.replicas - onNew, availableReplicas: d.replicas - onNew };
      // Its pod template is the new version's: a version label says so, as Helm charts set it.
      const tag = d.canary.images[0]?.split(':').pop();
      const canaryMeta = (labels as Record<string, string>)['app.kubernetes.io/version'] && tag ? { ...meta, labels: { ...labels, 'app.kubernetes.io/version': tag } } : meta;
      replicaSets.push(replicaSet(canaryMeta, d.canary.images, revision + 1, onNew, onNew, at(revision + 1)));
    }
    out.set(`${d.namespace}/${d.name}`, {
      namespace: d.namespace,
      name: d.name,
      labels,
      replicas: d.replicas,
      readyReplicas: ready,
      images: d.canary ? d.canary.images : d.images,
      revision: d.canary ? revision + 1 : revision,
      createdAt,
      replicaSets,
    });
  }
  return out;
}

export class ClusterCache {
  constructor(
    private readonly agent: SeedAgent,
    private readonly pipelines: PipelineStore,
  ) {}

  /** The cluster as it is at `now`: the seed, then each deployment the pipelines made to it. */
  snapshot(now: number): { namespaces: { name: string; status: string }[]; deployments: LiveDeployment[] } {
    const state = seededState(this.agent, now);
    const namespaces = new Map<string, string>((this.agent.namespaces ?? []).map((n) => [n.name, n.status ?? 'Active']));
    const records = [...this.pipelines.byId.values()].sort((a, b) => a.createdAt - b.createdAt);
    for (const p of records) this.apply(p, now, state, namespaces);
    for (const d of state.values()) if (!namespaces.has(d.namespace)) namespaces.set(d.namespace, 'Active');
    return {
      namespaces: [...namespaces].map(([name, status]) => ({ name, status })).sort((a, b) => a.name.localeCompare(b.name)),
      deployments: [...state.values()].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)),
    };
  }

  private apply(p: PipelineRecord, now: number, state: Map<string, LiveDeployment>, namespaces: Map<string, string>): void {
    const ps = this.pipelines.state(p, now);
    for (const target of p.deployment.targets) {
      if (target.account !== this.agent.agentIdentifier) continue;
      const steps = ps.steps.filter((s) => s.plan.environment === target.name);
      const firstDeploy = steps.find((s) => s.plan.type === 'deployment');
      if (!firstDeploy?.startedAt) continue; // not deployed yet
      const done = steps.every((s) => s.status === 'SUCCEEDED');
      const rolledBack = steps.some((s) => s.status === 'FAILED' || s.status === 'CANCELLED');
      // The traffic weight reached so far: the last deployment step that started.
      const started = steps.filter((s) => s.plan.type === 'deployment' && s.startedAt !== undefined);
      const weight = done ? 100 : (started[started.length - 1]?.plan.weight ?? 0);
      const startedAt = new Date(firstDeploy.startedAt).toISOString();
      for (const m of target.manifests) {
        if (m.kind !== 'Deployment') continue;
        const namespace = target.namespace ?? m.namespace ?? 'default';
        if (!namespaces.has(namespace)) namespaces.set(namespace, 'Active');
        const key = `${namespace}/${m.name}`;
        const replicas = m.replicas ?? 1;
        const existing = state.get(key);
        const revision = (existing?.revision ?? 0) + 1;
        const newReplicas = rolledBack ? 0 : done ? replicas : Math.max(weight > 0 ? 1 : 0, Math.ceil((replicas * weight) / 100));
        const labels = existing?.labels ?? deploymentLabels(m.name);
        const newRs = replicaSet({ namespace, name: m.name, labels }, m.images, revision, newReplicas, newReplicas, startedAt);
        const oldSets = (existing?.replicaSets ?? []).map((rs) => {
          const current = existing && rs.revision === String(existing.revision);
          if (!current) return rs;
          const keep = rolledBack ? rs.replicas : done ? 0 : Math.max(0, rs.replicas - newReplicas);
          const ready = Math.min(rs.readyReplicas, keep);
          return { ...rs, replicas: keep, readyReplicas: ready, availableReplicas: ready };
        });
        if (rolledBack && existing) {
          // CDaaS rolls a failed or cancelled deployment back: the old version keeps serving.
          state.set(key, { ...existing, replicaSets: [...oldSets, newRs].slice(-3) });
          continue;
        }
        const total = oldSets.reduce((n, rs) => n + rs.replicas, 0) + newReplicas;
        state.set(key, {
          namespace,
          name: m.name,
          labels,
          replicas: done ? replicas : Math.max(replicas, total),
          readyReplicas: done ? replicas : oldSets.reduce((n, rs) => n + rs.readyReplicas, 0) + newReplicas,
          images: m.images,
          revision,
          createdAt: existing?.createdAt ?? startedAt,
          replicaSets: [...oldSets, newRs].slice(-3),
        });
      }
    }
  }

  cluster() {
    return {
      agentIdentifier: this.agent.agentIdentifier,
      kubernetesVersion: this.agent.kubernetesVersion,
      agentVersion: this.agent.agentVersion,
    };
  }

  namespaces(now: number) {
    const extra = new Map((this.agent.namespaces ?? []).map((n) => [n.name, n.labels]));
    return {
      items: this.snapshot(now).namespaces.map((n) => ({ ...n, labels: { 'kubernetes.io/metadata.name': n.name, ...extra.get(n.name) } })),
    };
  }

  deployments(now: number): { items: CacheDeployment[] } {
    return {
      items: this.snapshot(now).deployments.map((d) => ({
        namespace: d.namespace,
        name: d.name,
        replicas: d.replicas,
        readyReplicas: d.readyReplicas,
        availableReplicas: d.readyReplicas,
        updatedReplicas: d.replicaSets.find((rs) => rs.revision === String(d.revision))?.replicas ?? 0,
        images: d.images,
        revision: String(d.revision),
        createdAtIso8601: d.createdAt,
        labels: d.labels,
      })),
    };
  }

  replicaSets(now: number): { items: CacheReplicaSet[] } {
    return { items: this.snapshot(now).deployments.flatMap((d) => d.replicaSets) };
  }

  /** The seeded Services (the emulator's pipelines do not create any), of one namespace or all. */
  services(namespace?: string): { items: CacheService[] } {
    const items = (this.agent.services ?? [])
      .filter((s) => namespace === undefined || s.namespace === namespace)
      .map((s) => ({
        namespace: s.namespace,
        name: s.name,
        type: s.type ?? 'ClusterIP',
        selector: s.selector ?? { app: s.name },
        ports: s.ports ?? [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
        labels: { 'app.kubernetes.io/name': s.name, ...s.labels },
      }))
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
    return { items };
  }
}
