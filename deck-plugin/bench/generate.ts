/** The table benchmark's fixture: replica sets shaped like the bridge's answers. */
import type { KubeReplicaSet } from '@cdaas/contract/read';

export interface BenchRow extends KubeReplicaSet {
  agent: string;
}

/** 50 agents x 4 namespaces x 10 Deployments x 5 revisions = 10,000 replica sets. */
export function generateReplicaSets(agents = 50): BenchRow[] {
  const rows: BenchRow[] = [];
  const t0 = Date.parse('2026-11-01T00:00:00Z');
  for (let a = 0; a < agents; a++) {
    for (const ns of ['web', 'api', 'jobs', 'data']) {
      for (let d = 0; d < 10; d++) {
        const deployment = `${ns}-service-${String(d + 1).padStart(2, '0')}`;
        for (let r = 1; r <= 5; r++) {
          const current = r === 5;
          rows.push({
            agent: `scale-${String(a + 1).padStart(2, '0')}`,
            namespace: ns,
            name: `${deployment}-${(a * 1e6 + d * 1e3 + r).toString(36).padStart(9, 'x')}`,
            deployment,
            replicas: current ? 3 : 0,
            readyReplicas: current ? 3 : 0,
            images: [`registry.example.com/${ns}/${deployment}:1.${r}.0`, ...(d % 3 === 0 ? ['registry.example.com/sidecars/otel:0.98.0'] : [])],
            revision: String(r),
            createdAt: new Date(t0 + (a * 40 + d) * 3_600_000 + r * 60_000).toISOString(),
            labels: { app: deployment, 'pod-template-hash': String(r) },
          });
        }
      }
    }
  }
  return rows;
}

