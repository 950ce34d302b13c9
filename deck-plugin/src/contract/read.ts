/**
 * The read contract between Deck and the bridge's read listener, reached through Gate's
 * `proxies:` entry (`/proxies/cdaas/**`). GET only. Both sides import this module.
 *
 * Answers that cover several clusters carry per-cluster `errors` as data: one agent's failure
 * never blanks a view.
 */
import * as z from 'zod/mini';

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
export const agentSchema = z.object({
  agentIdentifier: z.string(),
  agentVersion: z.optional(z.string()),
  connectedAt: z.optional(z.string()),
  lastHeartbeatAt: z.optional(z.string()),
});
export type Agent = z.infer<typeof agentSchema>;

export const agentsAnswerSchema = z.object({ agents: z.array(agentSchema) });
export type AgentsAnswer = z.infer<typeof agentsAnswerSchema>;

/** Why one cluster's data is missing: an upstream HTTP status, or no answer at all. */
export const clusterErrorSchema = z.union([
  z.object({ kind: z.literal('status'), status: z.number(), message: z.string() }),
  z.object({ kind: z.literal('network'), message: z.string() }),
  z.object({ kind: z.literal('invalid'), message: z.string() }),
]);
export type ClusterError = z.infer<typeof clusterErrorSchema>;

/** The oldest Kubernetes version CD-as-a-Service deploys to. */
export const MIN_KUBERNETES_VERSION = '1.16';

export const clusterSummarySchema = z.object({
  cluster: z.string(),
  kubernetesVersion: z.optional(z.string()),
  /** False when the cluster runs Kubernetes older than MIN_KUBERNETES_VERSION. */
  supported: z.optional(z.boolean()),
  errors: z.array(clusterErrorSchema),
});
export type ClusterSummary = z.infer<typeof clusterSummarySchema>;

export const clustersAnswerSchema = z.object({ clusters: z.array(clusterSummarySchema) });
export type ClustersAnswer = z.infer<typeof clustersAnswerSchema>;

export const namespaceSchema = z.object({ name: z.string(), status: z.optional(z.string()) });
export const deploymentSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  replicas: z.number(),
  readyReplicas: z.number(),
  availableReplicas: z.number(),
  images: z.array(z.string()),
  revision: z.optional(z.string()),
  createdAt: z.optional(z.string()),
});
export const replicaSetSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  deployment: z.optional(z.string()),
  replicas: z.number(),
  readyReplicas: z.number(),
  images: z.array(z.string()),
  revision: z.optional(z.string()),
  createdAt: z.optional(z.string()),
});
export type KubeNamespace = z.infer<typeof namespaceSchema>;
export type KubeDeployment = z.infer<typeof deploymentSchema>;
export type KubeReplicaSet = z.infer<typeof replicaSetSchema>;

/** One cluster's list of objects, with the errors that cut it short. */
export function clusterItemsSchema<T extends z.ZodMiniType>(item: T) {
  return z.object({ cluster: z.string(), items: z.array(item), errors: z.array(clusterErrorSchema) });
}
export const namespacesAnswerSchema = clusterItemsSchema(namespaceSchema);
export const deploymentsAnswerSchema = clusterItemsSchema(deploymentSchema);
export const replicaSetsAnswerSchema = clusterItemsSchema(replicaSetSchema);
