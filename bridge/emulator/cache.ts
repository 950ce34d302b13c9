/**
 * The agents' Kubernetes cache (this project's own contract: Armory does not publish these paths).
 * Seeded clusters, overlaid with what the emulator's pipelines deployed, computed at read time.
 */
import { createHash } from 'node:crypto';
import type { PipelineRecord, PipelineStore } from './pipelines.js';
import type { SeedAgent } from './types.js';

export interface CacheDeployment {
  namespace: string;
  name: string;
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  images: string[];
  revision: string;
  createdAtIso8601: string;
}

export interface CacheReplicaSet {
  namespace: string;
  name: string;
  deployment: string;
  replicas: number;
  readyReplicas: number;
  images: string[];
  revision: string;
  createdAtIso8601: string;
}

interface LiveDeployment {
  namespace: string;
  name: string;
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

function seededState(agent: SeedAgent): Map<string, LiveDeployment> {
  const out = new Map<string, LiveDeployment>();
  for (const d of agent.deployments ?? []) {
    const revision = d.revision ?? 1;
    const ready = d.readyReplicas ?? d.replicas;
    const createdAt = d.createdAtIso8601 ?? new Date(0).toISOString();
    const replicaSets: CacheReplicaSet[] = [];
    // The current ReplicaSet, and up to two older revisions scaled to zero (revisionHistoryLimit).
    for (let r = Math.max(1, revision - 2); r <= revision; r++) {
      const current = r === revision;
      replicaSets.push({
        namespace: d.namespace,
        name: `${d.name}-${templateHash(d.name, d.images, r)}`,
        deployment: d.name,
        replicas: current ? d.replicas : 0,
        readyReplicas: current ? ready : 0,
        images: d.images,
        revision: String(r),
        createdAtIso8601: new Date(Date.parse(createdAt) + (r - 1) * 86_400_000).toISOString(),
      });
    }
    out.set(`${d.namespace}/${d.name}`, {
      namespace: d.namespace,
      name: d.name,
      replicas: d.replicas,
      readyReplicas: ready,
      images: d.images,
      revision,
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
    const state = seededState(this.agent);
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
        const newRs: CacheReplicaSet = {
          namespace,
          name: `${m.name}-${templateHash(m.name, m.images, revision)}`,
          deployment: m.name,
          replicas: newReplicas,
          readyReplicas: newReplicas,
          images: m.images,
          revision: String(revision),
          createdAtIso8601: startedAt,
        };
        const oldSets = (existing?.replicaSets ?? []).map((rs) => {
          const current = existing && rs.revision === String(existing.revision);
          if (!current) return rs;
          const keep = rolledBack ? rs.replicas : done ? 0 : Math.max(0, rs.replicas - newReplicas);
          return { ...rs, replicas: keep, readyReplicas: Math.min(rs.readyReplicas, keep) };
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
    return { items: this.snapshot(now).namespaces };
  }

  deployments(now: number): { items: CacheDeployment[] } {
    return {
      items: this.snapshot(now).deployments.map((d) => ({
        namespace: d.namespace,
        name: d.name,
        replicas: d.replicas,
        readyReplicas: d.readyReplicas,
        availableReplicas: d.readyReplicas,
        images: d.images,
        revision: String(d.revision),
        createdAtIso8601: d.createdAt,
      })),
    };
  }

  replicaSets(now: number): { items: CacheReplicaSet[] } {
    return { items: this.snapshot(now).deployments.flatMap((d) => d.replicaSets) };
  }
}
