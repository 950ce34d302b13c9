/**
 * The read contract between Deck and the bridge's read listener, reached through Gate's
 * `proxies:` entry (`/proxies/cdaas/**`). GET only. Both sides import this module.
 *
 * Answers that cover several clusters carry per-cluster `errors` as data: one agent's failure
 * never blanks a view.
 */
import * as v from 'valibot';

import { PIPELINE_STATUSES, stepSchema } from './deploy';
import { route } from './routes';

/** The Gate proxy id admins configure (gate-local.yml `proxies: - id: cdaas`). */
export const READ_PROXY_ID = 'cdaas';

/**
 * Every read-listener route, served by the bridge (its router is built from these) and called by
 * Deck's read client (it builds its URLs from these). GET only.
 */
export const readRoutes = {
  agents: route('GET', '/v1/agents'),
  clusters: route('GET', '/v1/clusters'),
  namespaces: route('GET', '/v1/clusters/:agent/namespaces'),
  deployments: route('GET', '/v1/clusters/:agent/deployments'),
  replicaSets: route('GET', '/v1/clusters/:agent/replicasets'),
  /** One cluster's Services (`?namespace=` for one namespace): blue/green's service pickers. */
  services: route('GET', '/v1/clusters/:agent/services'),
  deploymentStatus: route('GET', '/v1/deployments/:pipelineId'),
  /** The CDaaS deployments this bridge started for one Spinnaker application. */
  applicationDeployments: route('GET', '/v1/applications/:application/deployments'),
  health: route('GET', '/healthz'),
} as const;

/** A connected Remote Network Agent. `agentIdentifier` is the account name deploy targets use. */
export const agentSchema = v.object({
  agentIdentifier: v.string(),
  agentVersion: v.optional(v.string()),
  connectedAt: v.optional(v.string()),
  lastHeartbeatAt: v.optional(v.string()),
  /** Whether the agent runs with a ClusterRole (it can see every namespace), when CDaaS says. */
  clusterRoleSupport: v.optional(v.boolean()),
});
export type Agent = v.InferOutput<typeof agentSchema>;

/**
 * An account this bridge's deployments targeted whose agent is not connected now: listed as
 * disconnected rather than silently missing from the agents page.
 */
export const disconnectedAgentSchema = v.object({
  agentIdentifier: v.string(),
  /** When this bridge last started a deployment to it. */
  lastDeployedAt: v.optional(v.string()),
});
export type DisconnectedAgent = v.InferOutput<typeof disconnectedAgentSchema>;

/** How long after the last heartbeat an agent counts as stale (shown with the flag). */
export const HEARTBEAT_STALE_AFTER_SECONDS = 120;

export const agentsAnswerSchema = v.object({
  /** Connected agents only: the stages offer exactly these as accounts. */
  agents: v.array(agentSchema),
  disconnected: v.optional(v.array(disconnectedAgentSchema)),
  heartbeatStaleAfterSeconds: v.optional(v.number()),
});
export type AgentsAnswer = v.InferOutput<typeof agentsAnswerSchema>;

/** Why one cluster's data is missing: an upstream HTTP status, or no answer at all. */
export const clusterErrorSchema = v.variant('kind', [
  v.object({ kind: v.literal('status'), status: v.number(), message: v.string() }),
  v.object({ kind: v.literal('network'), message: v.string() }),
  v.object({ kind: v.literal('invalid'), message: v.string() }),
]);
export type ClusterError = v.InferOutput<typeof clusterErrorSchema>;

export const clusterSummarySchema = v.object({
  cluster: v.string(),
  kubernetesVersion: v.optional(v.string()),
  /** False when the cluster runs Kubernetes older than MIN_KUBERNETES_VERSION (./kubernetes). */
  supported: v.optional(v.boolean()),
  errors: v.array(clusterErrorSchema),
});
export type ClusterSummary = v.InferOutput<typeof clusterSummarySchema>;

export const clustersAnswerSchema = v.object({ clusters: v.array(clusterSummarySchema) });
export type ClustersAnswer = v.InferOutput<typeof clustersAnswerSchema>;

const labelsSchema = v.record(v.string(), v.string());

export const namespaceSchema = v.object({
  name: v.string(),
  status: v.optional(v.string()),
  labels: v.optional(labelsSchema),
});
export const deploymentSchema = v.object({
  namespace: v.string(),
  name: v.string(),
  replicas: v.number(),
  readyReplicas: v.number(),
  availableReplicas: v.number(),
  updatedReplicas: v.optional(v.number()),
  images: v.array(v.string()),
  /** `deployment.kubernetes.io/revision` of the current ReplicaSet. */
  revision: v.optional(v.string()),
  createdAt: v.optional(v.string()),
  labels: v.optional(labelsSchema),
});

/** Which part a ReplicaSet plays in a CDaaS deployment that is shifting traffic now. */
export const trafficSchema = v.object({
  pipelineId: v.string(),
  /** canary: the new version; stable: the old one; active/preview: blue/green. */
  role: v.picklist(['canary', 'stable', 'active', 'preview']),
  /** Percent of traffic the canary gets now (setWeight reached so far). */
  weight: v.optional(v.number()),
  step: v.optional(v.number()),
  totalSteps: v.optional(v.number()),
  status: v.optional(v.picklist(PIPELINE_STATUSES)),
});
export type Traffic = v.InferOutput<typeof trafficSchema>;

export const ownerReferenceSchema = v.object({ kind: v.string(), name: v.string() });

export const replicaSetSchema = v.object({
  namespace: v.string(),
  name: v.string(),
  /** The owning Deployment's name (from ownerReferences), when it has one. */
  deployment: v.optional(v.string()),
  ownerReferences: v.optional(v.array(ownerReferenceSchema)),
  replicas: v.number(),
  readyReplicas: v.number(),
  availableReplicas: v.optional(v.number()),
  images: v.array(v.string()),
  revision: v.optional(v.string()),
  createdAt: v.optional(v.string()),
  labels: v.optional(labelsSchema),
  /** Present while a CDaaS deployment that this bridge started shifts traffic to or from it. */
  traffic: v.optional(trafficSchema),
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

export const servicePortSchema = v.object({
  name: v.optional(v.string()),
  port: v.number(),
  targetPort: v.optional(v.union([v.number(), v.string()])),
  protocol: v.optional(v.string()),
  nodePort: v.optional(v.number()),
});

export const serviceSchema = v.object({
  namespace: v.string(),
  name: v.string(),
  /** ClusterIP, NodePort, LoadBalancer or ExternalName. */
  type: v.string(),
  selector: v.optional(labelsSchema),
  ports: v.optional(v.array(servicePortSchema)),
  labels: v.optional(labelsSchema),
});
export type KubeService = v.InferOutput<typeof serviceSchema>;

export const servicesAnswerSchema = v.object({
  cluster: v.string(),
  /** The namespace asked for; absent: every namespace. */
  namespace: v.optional(v.string()),
  /**
   * False when the cluster's agent cache has no Services at all (an agent that does not send
   * them): data, not an error, so Deck says "not offered" rather than a failure.
   */
  offered: v.boolean(),
  items: v.array(serviceSchema),
  errors: v.array(clusterErrorSchema),
});
export type ServicesAnswer = v.InferOutput<typeof servicesAnswerSchema>;

/** A Kubernetes object a CDaaS deployment created or updated. */
export const deployedResourceSchema = v.object({
  account: v.string(),
  namespace: v.optional(v.string()),
  kind: v.string(),
  name: v.string(),
});

/** One CDaaS deployment a pipeline of this application started through this bridge. */
export const applicationDeploymentSchema = v.object({
  pipelineId: v.string(),
  /** The Spinnaker execution and stage that started it (Deck links to the execution). */
  executionId: v.string(),
  stageRefId: v.string(),
  pipelineName: v.optional(v.string()),
  /** The Spinnaker user who started the execution, when Orca knew one. */
  startedBy: v.optional(v.string()),
  status: v.picklist(PIPELINE_STATUSES),
  startedAt: v.optional(v.string()),
  completedAt: v.optional(v.string()),
  /** When the bridge last read the status from CDaaS. */
  updatedAt: v.optional(v.string()),
  consoleUrl: v.optional(v.string()),
  targets: v.array(v.object({ name: v.optional(v.string()), account: v.string(), namespace: v.optional(v.string()) })),
  steps: v.array(stepSchema),
  resources: v.array(deployedResourceSchema),
  /** Why the status could not be refreshed now (the last known one is shown). */
  errors: v.array(clusterErrorSchema),
});
export type ApplicationDeployment = v.InferOutput<typeof applicationDeploymentSchema>;

export const applicationDeploymentsAnswerSchema = v.object({
  application: v.string(),
  /** Newest first. */
  deployments: v.array(applicationDeploymentSchema),
});
export type ApplicationDeploymentsAnswer = v.InferOutput<typeof applicationDeploymentsAnswerSchema>;
