/**
 * The CD-as-a-Service REST API as the bridge calls it, and as the emulator serves it: paths, media
 * types and answer schemas, in one module, so that the bridge can be pointed at the real service's
 * paths without touching anything else.
 *
 * Confirmed by Armory's public sources (see shared/reference/cdaas-api.md): the token request,
 * connected agents, start pipeline (v2 media type), pipeline status.
 * This project's own contract (Armory does not publish these paths): cancel, approve, roll back,
 * and the agents' Kubernetes cache. They are marked `projectContract` below.
 */
import { PIPELINE_STATUSES } from '@cdaas/contract/deploy';
import { route, type HttpMethod, type RouteDef } from '@cdaas/contract/routes';
import { z } from 'zod';

export const START_PIPELINE_MEDIA_TYPE = 'application/vnd.start.kubernetes.pipeline.v2+json';
export const DEFAULT_AUDIENCE = 'https://api.cloud.armory.io';
export const DEFAULT_API_BASE_URL = 'https://api.cloud.armory.io';
export const DEFAULT_TOKEN_URL = 'https://auth.cloud.armory.io/oauth/token';
export const PRINCIPAL_CLAIM = 'https://cloud.armory.io/principal';
export const DEFAULT_CONSOLE_URL = 'https://console.cloud.armory.io';
/** Where Remote Network Agents hold their gRPC (HTTP/2) connections; the bridge itself never calls it. */
export const DEFAULT_AGENT_HUB_URL = 'https://agent-hub.cloud.armory.io';
/** Where Gate downloads the plugin from at startup. */
export const DEFAULT_GITHUB_URL = 'https://github.com';

/**
 * Every CDaaS path the bridge calls and the emulator serves, as `route()` definitions: renaming one
 * here is the whole change (the client and the emulator's router are both built from this table).
 */
export const upstreamRoutes = {
  connectedAgents: route('GET', '/identity/connected-agents'),
  startPipeline: route('POST', '/pipelines/kubernetes'),
  pipeline: route('GET', '/pipelines/:id'),
  /** projectContract */
  cancelPipeline: route('POST', '/pipelines/:id/cancel'),
  /** projectContract: approve the step `ref` of a pipeline paused until approved. */
  approveStep: route('POST', '/pipelines/:id/steps/:ref/approve'),
  /**
   * projectContract: roll back at the step `ref` paused until approved (the console's "Roll back"
   * of a manual judgment). The pipeline then ends REJECTED; the step itself reads REJECTED.
   */
  rollbackStep: route('POST', '/pipelines/:id/steps/:ref/rollback'),
  /** projectContract: the agents' Kubernetes cache, one agent (cluster) at a time. */
  cacheCluster: route('GET', '/agents/:agent/kubernetes/cluster'),
  cacheNamespaces: route('GET', '/agents/:agent/kubernetes/namespaces'),
  cacheDeployments: route('GET', '/agents/:agent/kubernetes/deployments'),
  cacheReplicaSets: route('GET', '/agents/:agent/kubernetes/replicasets'),
  /**
   * projectContract: the Services an agent sends, optionally of one namespace (`?namespace=`). An
   * agent whose cache has no Services answers 404 here: "not offered", not a failure.
   */
  cacheServices: route('GET', '/agents/:agent/kubernetes/services'),
} as const;
/**
 * The table's shape with the patterns widened (parameters kept), so a test can hand both sides a
 * renamed table and see them still talk.
 */
export type UpstreamRoutes = {
  [K in keyof typeof upstreamRoutes]: (typeof upstreamRoutes)[K] extends RouteDef<infer P>
    ? { method: HttpMethod; pattern: string; path: RouteDef<P>['path'] }
    : never;
};

export function consoleUrl(base: string, pipelineId: string, envId?: string): string {
  const url = `${base.replace(/\/+$/, '')}/deployments/pipeline/${encodeURIComponent(pipelineId)}`;
  return envId ? `${url}?environmentId=${encodeURIComponent(envId)}` : url;
}

export const tokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string(),
});
export type TokenAnswer = z.infer<typeof tokenAnswerSchema>;

export const oauthErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

export const connectedAgentSchema = z
  .object({
    agentIdentifier: z.string(),
    agentInstanceUuid: z.string().optional(),
    agentVersion: z.string().optional(),
    clientId: z.string().optional(),
    connectedAtIso8601: z.string().optional(),
    envId: z.string().optional(),
    hubInstanceUuid: z.string().optional(),
    ipAddress: z.string().optional(),
    k8sClusterRoleSupport: z.unknown().optional(),
    lastHeartbeatAtIso8601: z.string().optional(),
    nodeIp: z.string().optional(),
    orgId: z.string().optional(),
    streamId: z.string().optional(),
  })
  .passthrough();
export const connectedAgentsSchema = z.array(connectedAgentSchema);
export type ConnectedAgent = z.infer<typeof connectedAgentSchema>;

export const startPipelineAnswerSchema = z.object({
  pipelineId: z.string().min(1),
  warnings: z.array(z.string()).optional().default([]),
});
export type StartPipelineAnswer = z.infer<typeof startPipelineAnswerSchema>;

/** The statuses the deploy contract passes on to Orca, so the two lists cannot disagree. */
export const upstreamStatusSchema = z.enum(PIPELINE_STATUSES);

export const upstreamStepSchema = z
  .object({
    status: upstreamStatusSchema,
    ref: z.string().optional(),
    dependsOn: z.array(z.string()).optional(),
    type: z.string(),
    deployment: z
      .object({
        id: z.string().optional(),
        environment: z.string().optional(),
        step: z.number().optional(),
        totalSteps: z.number().optional(),
        /** projectContract: the weight a canary setWeight step reached. */
        weight: z.number().optional(),
      })
      .passthrough()
      .optional(),
    pause: z
      .object({
        duration: z.number().optional(),
        unit: z.string().optional(),
        untilApproved: z.boolean().optional(),
      })
      .passthrough()
      .optional(),
    /** projectContract */
    startedAtIso8601: z.string().optional(),
    completedAtIso8601: z.string().optional(),
  })
  .passthrough();

export const upstreamPipelineSchema = z
  .object({
    id: z.string(),
    startedAtIso8601: z.string().optional(),
    completedAtIso8601: z.string().optional(),
    application: z.string().optional(),
    description: z.string().optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    environments: z.array(z.unknown()).optional(),
    status: upstreamStatusSchema,
    initiatedBy: z.unknown().optional(),
    steps: z.array(upstreamStepSchema).default([]),
  })
  .passthrough();
export type UpstreamPipeline = z.infer<typeof upstreamPipelineSchema>;

/** projectContract: the cache answers, per agent, shaped like the Kubernetes objects they summarize. */
const labelsSchema = z.record(z.string(), z.string());
/** metadata.ownerReferences as Kubernetes writes them; the read side passes on kind and name only. */
const ownerReferenceSchema = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string(),
    name: z.string(),
    uid: z.string().optional(),
    controller: z.boolean().optional(),
    blockOwnerDeletion: z.boolean().optional(),
  })
  .passthrough();
export const cacheClusterSchema = z.object({ agentIdentifier: z.string(), kubernetesVersion: z.string() });
export const cacheNamespacesSchema = z.object({
  items: z.array(z.object({ name: z.string(), status: z.string().optional(), labels: labelsSchema.optional() })),
});
export const cacheDeploymentsSchema = z.object({
  items: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      replicas: z.number(),
      readyReplicas: z.number(),
      availableReplicas: z.number(),
      updatedReplicas: z.number().optional(),
      images: z.array(z.string()),
      revision: z.string().optional(),
      createdAtIso8601: z.string().optional(),
      labels: labelsSchema.optional(),
    }),
  ),
});
export const cacheReplicaSetsSchema = z.object({
  items: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      deployment: z.string().optional(),
      ownerReferences: z.array(ownerReferenceSchema).optional(),
      replicas: z.number(),
      readyReplicas: z.number(),
      availableReplicas: z.number().optional(),
      images: z.array(z.string()),
      revision: z.string().optional(),
      createdAtIso8601: z.string().optional(),
      labels: labelsSchema.optional(),
    }),
  ),
});

/** A Service as the agent summarizes it: enough to pick one for blue/green's active or preview. */
export const cacheServicesSchema = z.object({
  items: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      /** ClusterIP, NodePort, LoadBalancer or ExternalName, as Kubernetes spells them. */
      type: z.string(),
      selector: labelsSchema.optional(),
      ports: z
        .array(
          z.object({
            name: z.string().optional(),
            port: z.number(),
            targetPort: z.union([z.number(), z.string()]).optional(),
            protocol: z.string().optional(),
            nodePort: z.number().optional(),
          }),
        )
        .optional(),
      labels: labelsSchema.optional(),
    }),
  ),
});
