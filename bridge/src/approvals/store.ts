/**
 * What approvals need from the bridge's state: an audit per CDaaS pipeline, and which pipeline this
 * bridge started for an execution's stage, for which Spinnaker application. A small interface so
 * tests can give a fake: `sharedApprovalStore` below adapts the bridge's state store (memory or
 * Redis, so any replica answers) with its `get(executionId, stageRefId)`, `appendAudit` and
 * `listAudit`.
 */
import * as v from 'valibot';

import { type AuditEntry, auditEntrySchema } from '@cdaas/contract/approvals';

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

/** The shared state store as approvals use it (bridge/src/state StateStore has these three). */
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
