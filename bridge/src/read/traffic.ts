/**
 * Which ReplicaSets a running CD-as-a-Service deployment is shifting traffic between, from what
 * the bridge recorded at start (the Deployments it created on which account) and the pipeline's
 * steps. CD-as-a-Service does not label the ReplicaSets it manages, so the join is by the owning
 * Deployment: its newest revision is the new version, the one before it the old.
 */
import { FINAL_STATUSES } from '@cdaas/contract/deploy';
import type { Traffic } from '@cdaas/contract/read';
import type { UpstreamPipeline } from '../cdaas/upstream';
import type { LedgerEntry } from './ledger';

type Step = UpstreamPipeline['steps'][number];

export interface TrafficReplicaSet {
  namespace: string;
  name: string;
  deployment?: string;
  revision?: string;
  createdAt?: string;
}

const revisionOf = (rs: TrafficReplicaSet) => {
  const n = Number(rs.revision);
  return Number.isFinite(n) ? n : -1;
};
const phaseOf = (s: Step) => {
  const p = (s.deployment as { phase?: unknown } | undefined)?.phase;
  return typeof p === 'string' ? p : undefined;
};

/** The entries that may be shifting traffic on `agent` now (not known to have ended). */
export function mayBeRunningOn(entry: LedgerEntry, agent: string): boolean {
  if (entry.lastStatus && FINAL_STATUSES.includes(entry.lastStatus)) return false;
  return entry.resources.some((r) => r.account === agent && r.kind === 'Deployment');
}

/**
 * Traffic by ReplicaSet (`namespace/name`) on one agent. `running` pairs each entry with its
 * pipeline as just read; pipelines that ended or have not deployed to the target yet add nothing.
 */
export function trafficByReplicaSet(
  agent: string,
  replicaSets: readonly TrafficReplicaSet[],
  running: readonly { entry: LedgerEntry; pipeline: UpstreamPipeline }[],
): Map<string, Traffic> {
  const out = new Map<string, Traffic>();
  const byDeployment = new Map<string, TrafficReplicaSet[]>();
  for (const rs of replicaSets) {
    if (!rs.deployment) continue;
    const key = `${rs.namespace}/${rs.deployment}`;
    byDeployment.set(key, [...(byDeployment.get(key) ?? []), rs]);
  }
  for (const { entry, pipeline } of running) {
    if (FINAL_STATUSES.includes(pipeline.status)) continue;
    for (const r of entry.resources) {
      if (r.account !== agent || r.kind !== 'Deployment') continue;
      const namespace = r.namespace ?? 'default';
      const sets = [...(byDeployment.get(`${namespace}/${r.name}`) ?? [])].sort(
        (a, b) => revisionOf(b) - revisionOf(a) || (b.createdAt ?? '').localeCompare(a.createdAt ?? ''),
      );
      if (!sets.length) continue;
      const envs = new Set(entry.targets.filter((t) => t.account === agent && (t.namespace ?? namespace) === namespace).map((t) => t.name));
      const steps = pipeline.steps.filter((s) => s.deployment?.environment !== undefined && envs.has(s.deployment.environment));
      // Until the first deployment step starts, the newest ReplicaSet is still the old version.
      if (!steps.some((s) => s.type === 'deployment' && s.status !== 'QUEUED')) continue;
      const current = steps.find((s) => s.status !== 'SUCCEEDED') ?? steps[steps.length - 1];
      const base = {
        pipelineId: pipeline.id,
        status: pipeline.status,
        ...(current?.deployment?.step !== undefined ? { step: current.deployment.step } : {}),
        ...(current?.deployment?.totalSteps !== undefined ? { totalSteps: current.deployment.totalSteps } : {}),
      };
      const [newest, previous] = sets;
      if (steps.some((s) => phaseOf(s) !== undefined)) {
        // Blue/green: the new version is the preview until traffic is redirected to it.
        const redirected = steps.some((s) => phaseOf(s) === 'redirectTraffic' && s.status === 'SUCCEEDED');
        out.set(`${newest!.namespace}/${newest!.name}`, { ...base, role: redirected ? 'active' : 'preview' });
        if (previous && !redirected) out.set(`${previous.namespace}/${previous.name}`, { ...base, role: 'active' });
        continue;
      }
      let weight = 0;
      for (const s of steps) if (s.type === 'deployment' && s.status === 'SUCCEEDED' && s.deployment?.weight !== undefined) weight = s.deployment.weight;
      out.set(`${newest!.namespace}/${newest!.name}`, { ...base, role: 'canary', weight });
      if (previous) out.set(`${previous.namespace}/${previous.name}`, { ...base, role: 'stable', weight });
    }
  }
  return out;
}
