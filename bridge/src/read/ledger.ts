/**
 * What the read side needs to know about the deployments this bridge started: the application
 * tab lists them, the agents page names accounts deployed to whose agent is gone, and replica
 * sets get their `traffic` from the ones still running. CD-as-a-Service has no lookup by
 * Spinnaker application or execution, so only the bridge's own record can answer.
 *
 * The shared state store (bridge/src/state, in memory or Redis) implements it: the deploy listener
 * records each start there, so every replica lists the same deployments.
 */
import type { PipelineStatus } from '@cdaas/contract/deploy';

export interface LedgerEntry {
  pipelineId: string; executionId: string; stageRefId: string; application: string;
  pipelineName?: string; user?: string;
  targets: { name?: string; account: string; namespace?: string }[];
  resources: { account: string; namespace?: string; kind: string; name: string }[];
  startedAt: number; // epoch ms
  lastStatus?: PipelineStatus; updatedAt: number;
}
export interface DeploymentLedger {
  listByApplication(application: string): Promise<LedgerEntry[]>;
  /** Every entry still kept (a day), for the accounts deployed to and the traffic join. */
  listAll(): Promise<LedgerEntry[]>;
}
