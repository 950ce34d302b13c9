/**
 * What the bridge remembers about the deployments it started, behind one interface with two
 * implementations: in memory (one replica, the sandbox, tests) and Redis (any number of replicas,
 * kept across restarts). Orca runs a stage's start, retries and cancel from whichever Orca
 * instance polls its queue next, so every replica must see the same state.
 */
import type { PipelineStatus } from '@cdaas/contract/deploy';

// The read listener's view of the store.
import type { DeploymentLedger, LedgerEntry } from '../read/ledger';
export type { DeploymentLedger, LedgerEntry };

/** One (execution id, stage refId): what the deploy listener records when CDaaS accepted a start. */
export interface DeploymentRecord extends LedgerEntry {
  warnings: string[];
}

/**
 * A start whose answer was lost (the connection dropped after the request was sent): CDaaS may
 * or may not have created a pipeline, and offers no idempotency key to find out. Held for a while
 * so Orca's retries of that start do not deploy a second time.
 */
export interface UnknownOutcome {
  executionId: string;
  stageRefId: string;
  application: string;
  at: number;
  /** Until when further starts for the stage are refused (epoch ms). */
  until: number;
  reason: string;
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface StoreHealth {
  kind: 'memory' | 'redis';
  ok: boolean;
  reason?: string;
}

export interface StateStore extends DeploymentLedger {
  readonly kind: 'memory' | 'redis';
  /**
   * Atomically claims the right to start the deployment for a key, for `ttlMs` (a replica that
   * dies holding it releases it by expiry). Returns a token for `release`, or undefined when
   * another caller holds the claim.
   */
  claim(executionId: string, stageRefId: string, ttlMs: number): Promise<string | undefined>;
  /** Releases a claim, only if `token` still holds it. */
  release(executionId: string, stageRefId: string, token: string): Promise<void>;
  /** Whether anybody holds the claim for a key (a start in flight somewhere). */
  claimed(executionId: string, stageRefId: string): Promise<boolean>;
  get(executionId: string, stageRefId: string): Promise<DeploymentRecord | undefined>;
  /**
   * A start's first look, in one round trip: the lost-answer marker, the record, and, when there
   * is neither, the claim (taken atomically with seeing no record), or undefined if held elsewhere.
   */
  inspect(executionId: string, stageRefId: string, claimTtlMs: number): Promise<{ unknown?: UnknownOutcome; record?: DeploymentRecord; claim?: string }>;
  /**
   * Records a started deployment (replacing an earlier one for the key) and indexes it; with
   * `releaseClaim`, releases that claim in the same step.
   */
  put(record: DeploymentRecord, releaseClaim?: string): Promise<void>;
  /** Status seen on a status read; ignored for pipelines this store does not know. */
  recordStatus(pipelineId: string, status: PipelineStatus, at: number): Promise<void>;
  getUnknown(executionId: string, stageRefId: string): Promise<UnknownOutcome | undefined>;
  putUnknown(outcome: UnknownOutcome, ttlMs: number): Promise<void>;
  /** Append-only audit per pipeline (approvals: one entry per attempt), readable by any replica. */
  appendAudit(pipelineId: string, entry: Json): Promise<void>;
  listAudit(pipelineId: string): Promise<Json[]>;
  /** Connection state without a round trip (readiness, metrics). */
  health(): StoreHealth;
  close(): Promise<void>;
}

/** The store could not be reached: callers answer 503 (Orca retries) rather than act blind. */
export class StoreUnavailableError extends Error {
  constructor(operation: string, cause: unknown) {
    super(`the bridge's state store (Redis) is unreachable for ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StoreUnavailableError';
  }
}

/** A day: longer than any Orca stage timeout default. */
export const DEFAULT_ENTRY_TTL_MS = 24 * 3600_000;
