/**
 * Idempotent starts across replicas. Orca retries a start that got a 5xx/429 or no answer for up
 * to 300 s, from whichever Orca instance polls next, so the same (executionId, stageRefId) can
 * reach any replica several times; it must never start a second deployment.
 *
 * - A recorded deployment that has not finished: returned with reused: true (any replica).
 * - A start in flight anywhere: the claim (atomic, expiring) is held; duplicates wait for the
 *   record, then reuse it. Within one process duplicates also share one promise.
 * - A finished deployment (or a failed start): a new start, because a restarted stage must deploy
 *   again.
 * - A start whose answer was lost: every start for the key answers the same 409 for a while
 *   (see UnknownOutcome), because CDaaS has no idempotency key to ask with.
 * - The store unreachable: its StoreUnavailableError (503) goes to Orca, never a blind start.
 */
import { FINAL_STATUSES } from '@cdaas/contract/deploy';
import type { DeploymentRecord, StateStore, UnknownOutcome } from './types';

export interface StartedDeployment {
  pipelineId: string;
  warnings: string[];
}

/** What the deploy listener knows about a start before it is made. */
export type StartFacts = Pick<DeploymentRecord, 'executionId' | 'stageRefId' | 'application' | 'pipelineName' | 'user'>;
/** What a start that CDaaS accepted adds: its answer, and what it deploys where (the ledger). */
export type StartResult = StartedDeployment & Pick<DeploymentRecord, 'targets' | 'resources'>;

export interface CoordinatorOptions {
  /** How long a claim lives: longer than the slowest start (retries included). */
  claimTtlMs: number;
  /** How long a duplicate waits for another replica's start before answering 503 (Orca retries). */
  waitMs: number;
  /** How long a lost start answer blocks further starts for the stage. */
  unknownHoldMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** A started deployment that could not be recorded (it still answers 202: Orca must not retry). */
  onRecordFailed?: (err: unknown, d: StartedDeployment) => void;
}

/** Thrown to the listener when a duplicate waited for another replica's start in vain. */
export class StartInProgressError extends Error {}
/** Thrown when an earlier start's answer was lost: the listener words it for the stage. */
export class UnknownOutcomeError extends Error {
  constructor(readonly outcome: UnknownOutcome) {
    super(outcome.reason);
  }
}
/** Marks an error from doStart as "CDaaS may have acted on it" (the answer was lost). */
export class AnswerLostError extends Error {
  constructor(readonly reason: string, readonly cause: unknown) {
    super(reason);
  }
}

export class DeploymentCoordinator {
  private readonly local = new Map<string, Promise<StartedDeployment & { reused: boolean }>>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly store: StateStore, private readonly opts: CoordinatorOptions) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * Starts once per key. `isRunning` asks the API whether an earlier deployment is still going;
   * when it cannot tell (it throws), the earlier one is reused: a duplicate deploy is worse than
   * a retried status call.
   */
  start(
    facts: StartFacts,
    doStart: () => Promise<StartResult>,
    isRunning: (pipelineId: string) => Promise<boolean>,
  ): Promise<StartedDeployment & { reused: boolean }> {
    const key = `${facts.executionId}/${facts.stageRefId}`;
    const inFlight = this.local.get(key);
    if (inFlight) return inFlight.then((r) => ({ ...r, reused: true }));
    const p = this.decide(facts, doStart, isRunning).finally(() => this.local.delete(key));
    this.local.set(key, p);
    return p;
  }

  private async decide(
    facts: StartFacts,
    doStart: () => Promise<StartResult>,
    isRunning: (pipelineId: string) => Promise<boolean>,
  ): Promise<StartedDeployment & { reused: boolean }> {
    const { executionId, stageRefId } = facts;
    const until = this.now() + this.opts.waitMs;
    const reusable = async (rec: DeploymentRecord | undefined) => {
      if (!rec) return false;
      if (rec.lastStatus !== undefined && FINAL_STATUSES.includes(rec.lastStatus)) return false;
      return isRunning(rec.pipelineId).catch(() => true);
    };
    for (let round = 0; ; round++) {
      const look = await this.store.inspect(executionId, stageRefId, this.opts.claimTtlMs);
      if (look.unknown) throw new UnknownOutcomeError(look.unknown);
      const existing = look.record;
      if (existing && (await reusable(existing))) return { pipelineId: existing.pipelineId, warnings: existing.warnings, reused: true };
      // No record: inspect claimed atomically (or found it held). A finished one: claim now.
      const token = existing ? await this.store.claim(executionId, stageRefId, this.opts.claimTtlMs) : look.claim;
      if (token) {
        let recorded = false;
        try {
          if (existing) {
            // Between our read and our claim another replica may have recorded a start.
            const fresh = await this.store.get(executionId, stageRefId);
            if (fresh && fresh.pipelineId !== existing.pipelineId && (await reusable(fresh))) {
              return { pipelineId: fresh.pipelineId, warnings: fresh.warnings, reused: true };
            }
          }
          const d = await this.startAndRecord(facts, doStart, token);
          recorded = d.recorded;
          return { pipelineId: d.pipelineId, warnings: d.warnings, reused: false };
        } finally {
          if (!recorded) await this.store.release(executionId, stageRefId, token).catch(() => undefined);
        }
      }
      if (this.now() >= until) {
        throw new StartInProgressError(`a start for execution ${executionId} stage ${stageRefId} is in progress on another bridge replica; retry`);
      }
      await this.sleep(Math.min(500, 20 * 2 ** Math.min(round, 5)));
    }
  }

  /** Starts, then records and releases the claim in one step (`recorded`: both done). */
  private async startAndRecord(facts: StartFacts, doStart: () => Promise<StartResult>, token: string): Promise<StartedDeployment & { recorded: boolean }> {
    let d: StartResult;
    try {
      d = await doStart();
    } catch (err) {
      if (err instanceof AnswerLostError) {
        const outcome: UnknownOutcome = { executionId: facts.executionId, stageRefId: facts.stageRefId, application: facts.application, at: this.now(), until: this.now() + this.opts.unknownHoldMs, reason: err.reason };
        await this.store.putUnknown(outcome, this.opts.unknownHoldMs).catch(() => undefined);
        throw new UnknownOutcomeError(outcome);
      }
      throw err;
    }
    const at = this.now();
    let recorded = false;
    try {
      await this.store.put({ ...facts, ...d, startedAt: at, updatedAt: at }, token);
      recorded = true;
    } catch (err) {
      // The deployment exists: answering an error would make Orca start it again.
      this.opts.onRecordFailed?.(err, d);
    }
    return { pipelineId: d.pipelineId, warnings: d.warnings, recorded };
  }

  /**
   * The pipeline started for a key, waiting for a start in flight anywhere (a cancel arriving
   * during the start). Throws StoreUnavailableError when the store cannot be read.
   */
  async settled(executionId: string, stageRefId: string): Promise<string | undefined> {
    const local = this.local.get(`${executionId}/${stageRefId}`);
    if (local) await local.catch(() => undefined);
    const until = this.now() + this.opts.waitMs;
    for (let round = 0; (await this.store.claimed(executionId, stageRefId)) && this.now() < until; round++) {
      await this.sleep(Math.min(500, 20 * 2 ** Math.min(round, 5)));
    }
    return (await this.store.get(executionId, stageRefId))?.pipelineId;
  }
}

