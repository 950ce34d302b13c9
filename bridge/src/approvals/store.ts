/**
 * What approvals need from the bridge's state: an audit per CDaaS pipeline, and which Spinnaker
 * application, execution and stage this bridge started a pipeline for. A small interface so the
 * shared store (memory or Redis, any replica answers) can replace the in-memory one below: its
 * `appendAudit` / `listAudit` and its origin lookup fit these three methods one to one.
 */
import type { AuditEntry } from '@cdaas/contract/approvals';
import type { DeploymentOrigin } from '../deploy/registry';

export interface ApprovalStore {
  appendAudit(pipelineId: string, entry: AuditEntry): Promise<void>;
  /** Oldest first. */
  listAudit(pipelineId: string): Promise<AuditEntry[]>;
  /** Undefined when this bridge did not start the pipeline (or no longer remembers it). */
  originOf(pipelineId: string): Promise<DeploymentOrigin | undefined>;
}

export interface InMemoryApprovalStoreOptions {
  /** Pipelines whose audit is kept (oldest forgotten first). */
  maxPipelines?: number;
  /** Attempts kept per pipeline (a stuck double-clicker cannot grow it without bound). */
  maxEntriesPerPipeline?: number;
}

/**
 * Over today's in-memory DeploymentRegistry: one replica's memory, lost on restart (after which
 * `originOf` knows nothing and every attempt is refused as unknownDeployment, never allowed).
 */
export class InMemoryApprovalStore implements ApprovalStore {
  private readonly audit = new Map<string, AuditEntry[]>();

  constructor(
    private readonly registry: { originOf(pipelineId: string): DeploymentOrigin | undefined },
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

  async originOf(pipelineId: string): Promise<DeploymentOrigin | undefined> {
    return this.registry.originOf(pipelineId);
  }
}
