/**
 * What approvals need from the bridge's state: an audit per CDaaS pipeline, and which pipeline this
 * bridge started for an execution's stage, for which Spinnaker application. A small interface so
 * the shared store (memory or Redis, any replica answers) can replace the in-memory one:
 * `sharedApprovalStore` below adapts a store offering `get(executionId, stageRefId)`,
 * `appendAudit` and `listAudit`.
 */
import * as v from 'valibot';

import { type AuditEntry, auditEntrySchema } from '@cdaas/contract/approvals';
import { deploymentKey } from '../deploy/registry';

/** The deployment this bridge started for one execution's stage. */
export interface StartedFor {
  pipelineId: string;
  application: string;
}

export interface ApprovalStore {
  appendAudit(pipelineId: string, entry: AuditEntry): Promise<void>;
  /** Oldest first. */
  listAudit(pipelineId: string): Promise<AuditEntry[]>;
  /** Undefined when this bridge started nothing for it (or no longer remembers). */
  startedFor(executionId: string, stageRefId: string): Promise<StartedFor | undefined>;
}

export interface InMemoryApprovalStoreOptions {
  /** Pipelines whose audit is kept (oldest forgotten first). */
  maxPipelines?: number;
  /** Attempts kept per pipeline (a stuck double-clicker cannot grow it without bound). */
  maxEntriesPerPipeline?: number;
}

/**
 * Over today's in-memory DeploymentRegistry: one replica's memory, lost on restart (after which
 * `startedFor` knows nothing and every attempt is refused as unknownDeployment, never allowed).
 */
export class InMemoryApprovalStore implements ApprovalStore {
  private readonly audit = new Map<string, AuditEntry[]>();

  constructor(
    private readonly registry: { startedFor(key: string): StartedFor | undefined },
    private readonly opts: InMemoryApprovalStoreOptions = {},
  ) {}

  async appendAudit(pipelineId: string, entry: AuditEntry): Promise<void> {
    let list = this.audit.get(pipelineId);
    if (!list) {
      const max = this.opts.maxPipelines ?? 10_000;
      if (this.audit.size >= max) this.audit.delete(this.audit.keys().next().value as string);
      list = [];
      this.audit.set(pipelineId, list);
    }
    list.push(entry);
    const maxEntries = this.opts.maxEntriesPerPipeline ?? 200;
    // Keep the first entries (who acted is among them) and the latest; drop the middle.
    if (list.length > maxEntries) list.splice(maxEntries / 2, list.length - maxEntries);
  }

  async listAudit(pipelineId: string): Promise<AuditEntry[]> {
    return [...(this.audit.get(pipelineId) ?? [])];
  }

  async startedFor(executionId: string, stageRefId: string): Promise<StartedFor | undefined> {
    return this.registry.startedFor(deploymentKey(executionId, stageRefId));
  }
}

/** The shared state store as approvals use it (branch `state`'s StateStore has these three). */
export interface SharedState {
  get(executionId: string, stageRefId: string): Promise<{ pipelineId: string; application: string } | undefined>;
  appendAudit(pipelineId: string, entry: Record<string, string>): Promise<void>;
  listAudit(pipelineId: string): Promise<unknown[]>;
}

/** Approvals over the shared store: any replica reads the audit and the deployment's origin. */
export function sharedApprovalStore(state: SharedState): ApprovalStore {
  return {
    appendAudit: (pipelineId, entry) =>
      // JSON values only: optional fields that are absent are left out, not written as null.
      state.appendAudit(pipelineId, Object.fromEntries(Object.entries(entry).filter((e): e is [string, string] => typeof e[1] === 'string'))),
    async listAudit(pipelineId) {
      // Written by this code, but read back from a shared store: checked like any input.
      return (await state.listAudit(pipelineId)).flatMap((e) => {
        const parsed = v.safeParse(auditEntrySchema, e);
        return parsed.success ? [parsed.output] : [];
      });
    },
    async startedFor(executionId, stageRefId) {
      const r = await state.get(executionId, stageRefId);
      return r ? { pipelineId: r.pipelineId, application: r.application } : undefined;
    },
  };
}
