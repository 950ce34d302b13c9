/**
 * Public types of the CD-as-a-Service emulator. The bridge's integration tests and the sandbox code
 * against these; extend them, never change what is here.
 */
import type { UpstreamRoutes } from '../src/cdaas/upstream.js';

export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  orgId?: string;
  envId?: string;
  /** Extension: the principal's display name (claim `name`). */
  name?: string;
  /** Extension: the principal's scopes; default `['api:deployment:full', 'read:infrastructure:data']`. */
  scopes?: string[];
}

export interface SeedNamespace {
  name: string;
  status?: string;
  /** Added to `kubernetes.io/metadata.name`, which every namespace carries. */
  labels?: Record<string, string>;
}

/**
 * A canary that never ends (sandbox scenery): a second ReplicaSet of the new images whose share of
 * the replicas walks through `weights`, one step every `stepMs`, in a loop.
 */
export interface SeedCanary {
  images: string[];
  /** Percent of the replicas on the new version at each step; default [25, 50, 75]. */
  weights?: number[];
  /** Default 10000. */
  stepMs?: number;
}

export interface SeedDeployment {
  namespace: string;
  name: string;
  replicas: number;
  /** Defaults to `replicas` (a healthy deployment). */
  readyReplicas?: number;
  images: string[];
  /** The deployment's current revision (`deployment.kubernetes.io/revision`); default 1. */
  revision?: number;
  createdAtIso8601?: string;
  /** Added to the default labels (`app`, `app.kubernetes.io/name`). */
  labels?: Record<string, string>;
  /** ReplicaSets kept (the current revision and older ones at 0, as revisionHistoryLimit); default 3. */
  history?: number;
  canary?: SeedCanary;
}

/** A Service the agent reports (blue/green's active and preview services are picked from these). */
export interface SeedService {
  namespace: string;
  name: string;
  /** Default ClusterIP. */
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** Default `{ app: name }`. */
  selector?: Record<string, string>;
  /** Default one port, 80 to 8080. */
  ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string; nodePort?: number }[];
  labels?: Record<string, string>;
}

export interface SeedAgent {
  /** The account name deploy targets use. */
  agentIdentifier: string;
  kubernetesVersion: string;
  /** A disconnected agent is absent from connected-agents and its cache answers 503. Default true. */
  connected?: boolean;
  /** The environment the agent belongs to; default: the first client's envId. */
  envId?: string;
  agentVersion?: string;
  /** `k8sClusterRoleSupport` in connected-agents; default true. */
  clusterRoleSupport?: boolean;
  /** A connected agent whose cache answers this HTTP status (a 5xx) to every read. */
  cacheStatus?: number;
  namespaces?: SeedNamespace[];
  deployments?: SeedDeployment[];
  services?: SeedService[];
  /**
   * False: an agent whose cache has no Services (an older agent): the services path answers 404
   * while its other cache paths answer. Default true.
   */
  servicesOffered?: boolean;
}

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = ephemeral (default). */
  authPort?: number;
  /** 0 = ephemeral (default). */
  apiPort?: number;
  /** Default: one sandbox client (see SANDBOX_CLIENT). */
  clients?: EmulatorClient[];
  /** Default 86400, as Armory's auth server. */
  tokenTtlSeconds?: number;
  /**
   * The clock the API judges a token's expiry by (ms since the epoch); default Date.now. Tokens are
   * still issued on the real clock, so a test can move this one past a token's exp instead of sleeping.
   */
  now?: () => number;
  /** How long each deploy/weight step and each timed pause takes; default 2000. */
  stepIntervalMs?: number;
  /** Default: the seeded clusters of DEFAULT_AGENTS (or of `seed`). */
  agents?: SeedAgent[];
  /** Which built-in seed when `agents` is not given: `default`, or `scale` (10,000 replica sets across 50 agents). */
  seed?: 'default' | 'scale';
  /** Extension: the token audience the API accepts; default https://api.cloud.armory.io. */
  audience?: string;
  /** The CDaaS paths served (bridge/src/cdaas/upstream.ts's table unless a test renames one). */
  routes?: UpstreamRoutes;
}

export type FaultRule = {
  target: 'auth' | 'api';
  /** Path prefix; default every path. */
  path?: string;
  method?: string;
  /** How many requests the rule applies to; default until removed. */
  times?: number;
} & (
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number }
  | { kind: 'rateLimit'; retryAfterSeconds: number }
  | { kind: 'expiredToken' }
  | { kind: 'drop' /* destroy the socket without answering */ }
);

export interface EmulatorStats {
  tokenRequests: number;
  apiRequests: number;
  requestsByPath: Map<string, number>;
}

export interface Emulator {
  issuer: string;
  tokenUrl: string;
  apiUrl: string;
  audience: string;
  clients: { clientId: string; clientSecret: string }[];
  faults: { add(rule: FaultRule): () => void; clear(): void };
  stats: EmulatorStats;
  /** Connect or disconnect a seeded agent (it drops out of connected-agents; its cache answers 503). */
  setConnected(agentIdentifier: string, connected: boolean): void;
  /** Approve the (given or current) step awaiting approval. Throws when there is none. */
  approve(pipelineId: string, ref?: string): void;
  close(): Promise<void>;
}
