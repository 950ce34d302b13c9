/**
 * Idempotent starts. Orca retries a start that got a 5xx/429 or no answer for up to 300 s, so the
 * same (executionId, stageRefId) can arrive several times; it must never start a second
 * deployment. The map lives in memory: with two replicas the Service's `sessionAffinity: ClientIP`
 * sends Orca's retries to the replica that saw the first call (an Orca pod keeps its IP for the
 * life of the stage). A restart of the bridge forgets the map; see the README.
 *
 * - A start in flight for the key: later callers wait for it and get its answer with reused: true.
 * - A started deployment that has not finished: returned with reused: true.
 * - A finished one (or a failed start): a new start, because a restarted stage must deploy again.
 */
import type { PipelineStatus } from '@cdaas/contract/deploy';
import { FINAL_STATUSES } from '@cdaas/contract/deploy';

export interface StartedDeployment {
  pipelineId: string;
  warnings: string[];
  /** The Spinnaker application it was started for: approvals check a request names it. */
  application?: string;
}

interface Entry {
  inFlight?: Promise<StartedDeployment>;
  started?: StartedDeployment;
  lastStatus?: PipelineStatus;
  touchedAt: number;
}

export interface RegistryOptions {
  /** Entries older than this are forgotten (a day: longer than any Orca stage timeout default). */
  maxAgeMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export const deploymentKey = (executionId: string, stageRefId: string) => `${executionId}\u0000${stageRefId}`;

export class DeploymentRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly byPipeline = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly opts: RegistryOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  /**
   * Starts once per key. `isRunning` asks the API whether an earlier deployment is still going;
   * when it cannot tell (it throws), the earlier one is reused: a duplicate deploy is worse than
   * a retried status call.
   */
  async start(
    key: string,
    doStart: () => Promise<StartedDeployment>,
    isRunning: (pipelineId: string) => Promise<boolean>,
  ): Promise<StartedDeployment & { reused: boolean }> {
    this.evict();
    const existing = this.entries.get(key);
    // Everything for one key is single-flighted: duplicates wait for the first caller's decision.
    if (existing?.inFlight) return { ...(await existing.inFlight), reused: true };
    const entry: Entry = existing ?? { touchedAt: this.now() };
    const previous = entry.started;
    const decide = async (): Promise<{ d: StartedDeployment; reused: boolean }> => {
      if (previous) {
        const finished = entry.lastStatus !== undefined && FINAL_STATUSES.includes(entry.lastStatus);
        const running = !finished && (await isRunning(previous.pipelineId).catch(() => true));
        if (running) return { d: previous, reused: true };
      }
      return { d: await doStart(), reused: false };
    };
    const decision = decide();
    entry.inFlight = decision.then((r) => r.d);
    entry.inFlight.catch(() => undefined);
    this.entries.set(key, entry);
    try {
      const { d, reused } = await decision;
      entry.touchedAt = this.now();
      if (!reused) {
        entry.started = d;
        entry.lastStatus = undefined;
        this.byPipeline.set(d.pipelineId, key);
      }
      return { ...d, reused };
    } catch (err) {
      // A failed start leaves nothing behind: Orca's retry starts afresh.
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw err;
    } finally {
      entry.inFlight = undefined;
    }
  }

  /** The pipeline started for a key, if this replica started one. */
  pipelineFor(key: string): string | undefined {
    return this.entries.get(key)?.started?.pipelineId;
  }

  /** The pipeline this replica last started for a key, with its Spinnaker application. */
  startedFor(key: string): { pipelineId: string; application: string } | undefined {
    const started = this.entries.get(key)?.started;
    return started?.application ? { pipelineId: started.pipelineId, application: started.application } : undefined;
  }

  /** Waits for a start in flight for the key (cancel arriving during the start). */
  async settled(key: string): Promise<string | undefined> {
    const e = this.entries.get(key);
    if (e?.inFlight) await e.inFlight.catch(() => undefined);
    return this.pipelineFor(key);
  }

  recordStatus(pipelineId: string, status: PipelineStatus): void {
    const key = this.byPipeline.get(pipelineId);
    const e = key ? this.entries.get(key) : undefined;
    if (e) {
      e.lastStatus = status;
      e.touchedAt = this.now();
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    const maxAge = this.opts.maxAgeMs ?? 24 * 3600_000;
    const maxEntries = this.opts.maxEntries ?? 10_000;
    const cutoff = this.now() - maxAge;
    for (const [key, e] of this.entries) {
      if (this.entries.size <= maxEntries && e.touchedAt >= cutoff) break;
      if (e.inFlight) continue;
      this.entries.delete(key);
      if (e.started) this.byPipeline.delete(e.started.pipelineId);
    }
  }
}
