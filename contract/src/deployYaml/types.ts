/**
 * deploy.yml as CD-as-a-Service reads it (armory-cli's schema, see docs/reference cdaas-api.md).
 * These types describe a document that passed `validateDeployYaml`; any scalar may still be a
 * Spinnaker expression (`${...}`) that Orca evaluates at stage start, hence the `| string`s.
 */
import type { DurationUnit } from '../durations';

/** A value Orca replaces at stage start, e.g. `${parameters.weight}`. */
export type Expression = string;

export interface Duration {
  duration: number | Expression;
  unit: DurationUnit | Expression;
}

export interface DeploymentConfig {
  timeout?: Duration;
  keepDeploymentObject?: boolean | Expression;
  ifDeploymentInProgress?: { strategy: 'reject' | 'enqueueOne' | Expression };
}

export interface PauseStep {
  pause: { untilApproved?: boolean | Expression; requiresRoles?: string[]; duration?: number | Expression; unit?: DurationUnit | Expression };
}
export interface SetWeightStep {
  setWeight: { weight: number | Expression };
}
export interface RunWebhookStep {
  runWebhook: { name: string; context?: Record<string, unknown> };
}
export interface AnalysisStep {
  analysis: {
    metricProviderName?: string;
    context?: Record<string, unknown>;
    interval?: number | Expression;
    units?: DurationUnit | Expression;
    numberOfJudgmentRuns?: number | Expression;
    rollBackMode?: 'manual' | 'automatic' | Expression;
    rollForwardMode?: 'manual' | 'automatic' | Expression;
    lookbackMethod?: 'growing' | 'sliding' | Expression;
    queries: string[];
  };
}
export interface ExposeServicesStep {
  exposeServices: { services: string[]; ttl?: Duration };
}
export type CanaryStep = SetWeightStep | PauseStep | RunWebhookStep | AnalysisStep | ExposeServicesStep;
export type ConstraintStep = PauseStep | RunWebhookStep | AnalysisStep;

export interface Target {
  account: string;
  namespace?: string;
  strategy: string;
  constraints?: {
    dependsOn?: string[];
    beforeDeployment?: ConstraintStep[];
    afterDeployment?: ConstraintStep[];
  };
}

export interface ManifestSource {
  /** A file or directory in the repository; in Spinnaker, bound to a pipeline artifact. */
  path?: string;
  /** Manifest text written inside deploy.yml. */
  inline?: { value: string } | string;
  /** Targets to deploy to; all targets when absent. */
  targets?: string[];
}

export interface CanaryStrategy {
  canary: { steps: CanaryStep[] };
}
export interface BlueGreenStrategy {
  blueGreen: {
    activeService?: string;
    previewService?: string;
    redirectTrafficAfter?: Array<PauseStep | AnalysisStep | ExposeServicesStep | RunWebhookStep>;
    shutDownOldVersionAfter?: Array<PauseStep | AnalysisStep | RunWebhookStep>;
  };
}
export type Strategy = CanaryStrategy | BlueGreenStrategy;

export interface AnalysisConfig {
  defaultMetricProviderName?: string;
  queries: Array<{ name: string; queryTemplate: string; upperLimit?: number; lowerLimit?: number }>;
}

export interface Webhook {
  name: string;
  method: string;
  uriTemplate: string;
  networkMode: 'direct' | 'remoteNetworkAgent';
  agentIdentifier?: string;
  headers?: Array<{ key: string; value: string }>;
  bodyTemplate?: { inline: string };
  retryCount?: number;
}

export interface TrafficManagement {
  targets?: string[];
  smi?: Array<{ rootServiceName: string; canaryServiceName?: string; trafficSplitName?: string }>;
  kubernetes?: Array<{ activeService: string; previewService?: string }>;
  istio?: Array<{
    virtualService: { name: string; httpRouteName?: string };
    destinationRule?: { name: string; activeSubsetName?: string; canarySubsetName?: string };
  }>;
}

export interface DeployYml {
  version: 'v1';
  kind: 'kubernetes';
  application: string;
  deploymentConfig?: DeploymentConfig;
  targets: Record<string, Target>;
  manifests: ManifestSource[];
  strategies?: Record<string, Strategy>;
  analysis?: AnalysisConfig;
  webhooks?: Webhook[];
  trafficManagement?: TrafficManagement[];
}
