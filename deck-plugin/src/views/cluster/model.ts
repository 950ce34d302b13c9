/**
 * One agent's drill-down, without React: namespaces with their counts, replica sets grouped under
 * their Deployment (newest revision first), and how a replica set's traffic reads.
 */
import type { KubeDeployment, KubeNamespace, KubeReplicaSet, Traffic } from '@cdaas/contract/read';
import { clusterErrorText } from '../../api/readErrors';
import type { CdaasReadError } from '../../api/readErrors';
import type { PartialError } from '../common/ViewStates';
import type { ClusterItems } from '../api/CdaasViewsClient';

export interface ClusterData {
  agent: string;
  namespaces: KubeNamespace[];
  deployments: KubeDeployment[];
  replicaSets: KubeReplicaSet[];
  errors: PartialError[];
}

/** The group a replica set sits under: its Deployment, from the bridge's join or its owners. */
export function owningDeployment(rs: KubeReplicaSet): string | undefined {
  return rs.deployment ?? rs.ownerReferences?.find((o) => o.kind === 'Deployment')?.name;
}

/** `namespace/deployment`: Deployments of the same name in two namespaces are two groups. */
export function groupKey(rs: KubeReplicaSet): string {
  return `${rs.namespace}/${owningDeployment(rs) ?? ''}`;
}

export const rsKey = (rs: KubeReplicaSet) => `${rs.namespace}/${rs.name}`;

export function revisionNumber(revision: string | undefined): number | undefined {
  const n = revision === undefined ? NaN : Number(revision);
  return isNaN(n) ? undefined : n;
}

/**
 * Joins the three lists (each of which may have failed on its own) into the view's data. The
 * clusters' errors and the requests that failed become partial errors; a request failure only
 * blanks the view when all three failed (the caller throws the first then).
 */
export function joinClusterData(
  agent: string,
  results: [
    PromiseSettledResult<ClusterItems<KubeNamespace>>,
    PromiseSettledResult<ClusterItems<KubeDeployment>>,
    PromiseSettledResult<ClusterItems<KubeReplicaSet>>,
  ],
): ClusterData | { failed: CdaasReadError | unknown } {
  if (results.every((r) => r.status === 'rejected')) return { failed: (results[0] as PromiseRejectedResult).reason };
  const errors: PartialError[] = [];
  const seen = new Set<string>();
  const add = (e: PartialError) => {
    const k = `${e.cluster}:${e.text}`;
    if (!seen.has(k)) {
      seen.add(k);
      errors.push(e);
    }
  };
  const names = ['namespaces', 'deployments', 'replica sets'];
  const lists = results.map((r, i) => {
    if (r.status === 'rejected') {
      add({ cluster: agent, text: `The ${names[i]} could not be loaded: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}` });
      return undefined;
    }
    for (const e of r.value.errors) add({ cluster: r.value.cluster, text: clusterErrorText(e) });
    for (const s of r.value.skipped) add({ cluster: r.value.cluster, text: s });
    return r.value.items;
  });
  return {
    agent,
    namespaces: (lists[0] as KubeNamespace[] | undefined) ?? [],
    deployments: (lists[1] as KubeDeployment[] | undefined) ?? [],
    replicaSets: (lists[2] as KubeReplicaSet[] | undefined) ?? [],
    errors,
  };
}

export interface NamespaceRow {
  name: string;
  status?: string;
  deployments: number;
  replicaSets: number;
}

export function namespaceRows(data: ClusterData): NamespaceRow[] {
  const names = new Map<string, NamespaceRow>();
  for (const ns of data.namespaces) names.set(ns.name, { name: ns.name, status: ns.status, deployments: 0, replicaSets: 0 });
  // Objects in a namespace the namespace list lacks (cut short by an error) still get a row.
  const row = (name: string) => names.get(name) ?? names.set(name, { name, deployments: 0, replicaSets: 0 }).get(name)!;
  for (const d of data.deployments) row(d.namespace).deployments++;
  for (const rs of data.replicaSets) row(rs.namespace).replicaSets++;
  return [...names.values()];
}

/** The Deployment a group heading stands for (undefined when the replica sets have no owner). */
export function deploymentOf(data: ClusterData, key: string): KubeDeployment | undefined {
  const [namespace, name] = splitGroupKey(key);
  return data.deployments.find((d) => d.namespace === namespace && d.name === name);
}

export function splitGroupKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** "Canary 25% · step 2 of 5", "Stable 75%", "Preview": what a replica set's traffic reads. */
export function trafficText(t: Traffic | undefined): string | undefined {
  if (!t) return undefined;
  const step = t.step !== undefined ? ` · step ${t.step}${t.totalSteps ? ` of ${t.totalSteps}` : ''}` : '';
  switch (t.role) {
    case 'canary':
      return `Canary ${t.weight ?? 0}%${step}`;
    case 'stable':
      return `Stable ${t.weight !== undefined ? `${100 - t.weight}%` : ''}`.trim() + step;
    case 'active':
      return `Active${step}`;
    case 'preview':
      return `Preview${step}`;
  }
}
