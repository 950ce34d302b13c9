/**
 * The read contract between Deck and the bridge's read listener, reached through Gate's
 * `proxies:` entry (`/proxies/cdaas/**`). GET only. Both sides import this module.
 *
 * Answers that cover several clusters carry per-cluster `errors` as data: one agent's failure
 * never blanks a view.
 */
import * as v from 'valibot';

/** The Gate proxy id admins configure (gate-local.yml `proxies: - id: cdaas`). */
export const READ_PROXY_ID = 'cdaas';

export const readPaths = {
  agents: '/v1/agents',
  clusters: '/v1/clusters',
  namespaces: (agent: string) => `/v1/clusters/${encodeURIComponent(agent)}/namespaces`,
  deployments: (agent: string) => `/v1/clusters/${encodeURIComponent(agent)}/deployments`,
  replicaSets: (agent: string) => `/v1/clusters/${encodeURIComponent(agent)}/replicasets`,
  deploymentStatus: (pipelineId: string) => `/v1/deployments/${encodeURIComponent(pipelineId)}`,
  health: '/healthz',
} as const;

/** A connected Remote Network Agent. `agentIdentifier` is the account name deploy targets use. */
export const agentSchema = v.object({
  agentIdentifier: v.string(),
  agentVersion: v.optional(v.string()),
  connectedAt: v.optional(v.string()),
  lastHeartbeatAt: v.optional(v.string()),
});
export type Agent = v.InferOutput<typeof agentSchema>;

export const agentsAnswerSchema = v.object({ agents: v.array(agentSchema) });
export type AgentsAnswer = v.InferOutput<typeof agentsAnswerSchema>;

/** Why one cluster's data is missing: an upstream HTTP status, or no answer at all. */
export const clusterErrorSchema = v.variant('kind', [
  v.object({ kind: v.literal('status'), status: v.number(), message: v.string() }),
  v.object({ kind: v.literal('network'), message: v.string() }),
  v.object({ kind: v.literal('invalid'), message: v.string() }),
]);
export type ClusterError = v.InferOutput<typeof clusterErrorSchema>;

/** The oldest Kubernetes version CD-as-a-Service deploys to. */
export const MIN_KUBERNETES_VERSION = '1.16';

export const clusterSummarySchema = v.object({
  cluster: v.string(),
  kubernetesVersion: v.optional(v.string()),
  /** False when the cluster runs Kubernetes older than MIN_KUBERNETES_VERSION. */
  supported: v.optional(v.boolean()),
  errors: v.array(clusterErrorSchema),
});
export type ClusterSummary = v.InferOutput<typeof clusterSummarySchema>;

export const clustersAnswerSchema = v.object({ clusters: v.array(clusterSummarySchema) });
export type ClustersAnswer = v.InferOutput<typeof clustersAnswerSchema>;

export const namespaceSchema = v.object({ name: v.string(), status: v.optional(v.string()) });
export const deploymentSchema = v.object({
  namespace: v.string(),
  name: v.string(),
  replicas: v.number(),
  readyReplicas: v.number(),
  availableReplicas: v.number(),
  images: v.array(v.string()),
  revision: v.optional(v.string()),
  createdAt: v.optional(v.string()),
});
export const replicaSetSchema = v.object({
  namespace: v.string(),
  name: v.string(),
  deployment: v.optional(v.string()),
  replicas: v.number(),
  readyReplicas: v.number(),
  images: v.array(v.string()),
  revision: v.optional(v.string()),
  createdAt: v.optional(v.string()),
});
export type KubeNamespace = v.InferOutput<typeof namespaceSchema>;
export type KubeDeployment = v.InferOutput<typeof deploymentSchema>;
export type KubeReplicaSet = v.InferOutput<typeof replicaSetSchema>;

/** One cluster's list of objects, with the errors that cut it short. */
export function clusterItemsSchema<T extends v.GenericSchema>(item: T) {
  return v.object({ cluster: v.string(), items: v.array(item), errors: v.array(clusterErrorSchema) });
}
export const namespacesAnswerSchema = clusterItemsSchema(namespaceSchema);
export const deploymentsAnswerSchema = clusterItemsSchema(deploymentSchema);
export const replicaSetsAnswerSchema = clusterItemsSchema(replicaSetSchema);
