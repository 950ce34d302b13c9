/**
 * What the read side needs to know about the deployments this bridge started: the application
 * tab lists them, the agents page names accounts deployed to whose agent is gone, and replica
 * sets get their `traffic` from the ones still running. CD-as-a-Service has no lookup by
 * Spinnaker application or execution, so only the bridge's own record can answer.
 *
 * The interface is what the shared state store (in memory or Redis) implements as well; the
 * in-memory ledger below serves until it is swapped in.
 */
import { parseAllDocuments } from 'yaml';

import type { PipelineStatus } from '@cdaas/contract/deploy';
import type { StartPipelineBody } from '../cdaas/client';
import type { Logger } from '../observability/log';

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

/** How the deploy side feeds a ledger; a shared store may answer with a promise. */
export interface LedgerSink {
  record(entry: LedgerEntry): void | Promise<void>;
  recordStatus(pipelineId: string, status: PipelineStatus): void | Promise<void>;
}

/** Feeds the ledger without holding up or failing the deploy answer Orca waits for. */
export function toLedger(logger: Logger, write: () => void | Promise<void> | undefined): void {
  const warn = (err: unknown) => logger.warn('ledger write failed; the read views may miss this deployment', { error: err instanceof Error ? err.message : String(err) });
  try {
    void Promise.resolve(write()).catch(warn);
  } catch (err) {
    warn(err);
  }
}

export interface InMemoryLedgerOptions {
  /** Entries not updated for this long are dropped (a day, as the deploy registry keeps them). */
  maxAgeMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/** A bounded in-memory ledger, fed by the deploy listener (`record` on start, `recordStatus` on reads). */
export class InMemoryLedger implements DeploymentLedger, LedgerSink {
  // Insertion order is start order: eviction drops the oldest first.
  private readonly entries = new Map<string, LedgerEntry>();
  private readonly now: () => number;

  constructor(private readonly opts: InMemoryLedgerOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  record(entry: LedgerEntry): void {
    this.entries.delete(entry.pipelineId);
    this.entries.set(entry.pipelineId, entry);
    this.evict();
  }

  recordStatus(pipelineId: string, status: PipelineStatus): void {
    const e = this.entries.get(pipelineId);
    if (e) this.entries.set(pipelineId, { ...e, lastStatus: status, updatedAt: this.now() });
  }

  async listByApplication(application: string): Promise<LedgerEntry[]> {
    return (await this.listAll()).filter((e) => e.application === application);
  }

  async listAll(): Promise<LedgerEntry[]> {
    this.evict();
    return [...this.entries.values()];
  }

  private evict(): void {
    const cutoff = this.now() - (this.opts.maxAgeMs ?? 24 * 3600_000);
    const max = this.opts.maxEntries ?? 10_000;
    for (const [id, e] of this.entries) {
      if (this.entries.size <= max && Math.max(e.startedAt, e.updatedAt) >= cutoff) continue;
      this.entries.delete(id);
    }
  }
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown) => (typeof x === 'string' && x ? x : undefined);

/** kind, name and namespace of each YAML document of a manifest text; unreadable documents are skipped. */
function manifestObjects(text: string): { kind: string; name: string; namespace?: string }[] {
  const out: { kind: string; name: string; namespace?: string }[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) continue;
    const js: unknown = doc.toJS();
    if (!isRecord(js) || !isRecord(js.metadata)) continue;
    const kind = str(js.kind);
    const name = str(js.metadata.name);
    if (kind && name) out.push({ kind, name, ...(str(js.metadata.namespace) ? { namespace: str(js.metadata.namespace) } : {}) });
  }
  return out;
}

/**
 * The ledger entry for a start, from the body the bridge sent: the deploy.yml targets, and the
 * objects each target's manifests create (the target's namespace wins over the manifest's, as
 * CD-as-a-Service applies it). Built from what was sent, so it never needs another upstream call.
 */
export function ledgerEntryFromStart(body: StartPipelineBody, pipelineId: string, now: number): LedgerEntry {
  const c = body.context;
  const targets = Object.entries(isRecord(body.targets) ? body.targets : {}).flatMap(([name, t]) =>
    isRecord(t) && str(t.account) ? [{ name, account: str(t.account)!, ...(str(t.namespace) ? { namespace: str(t.namespace) } : {}) }] : [],
  );
  const resources: LedgerEntry['resources'] = [];
  const seen = new Set<string>();
  for (const m of Array.isArray(body.manifests) ? body.manifests : []) {
    if (!isRecord(m)) continue;
    const inline = isRecord(m.inline) ? str(m.inline.value) : str(m.inline);
    const path = str(m.path);
    const texts = inline !== undefined ? [inline] : path ? (body.files[path] ?? []) : [];
    const only = Array.isArray(m.targets) ? new Set(m.targets.filter((x): x is string => typeof x === 'string')) : undefined;
    const objects = texts.flatMap(manifestObjects);
    for (const t of targets) {
      if (only && !only.has(t.name)) continue;
      for (const o of objects) {
        const namespace = t.namespace ?? o.namespace;
        const key = `${t.account}\u0000${namespace ?? ''}\u0000${o.kind}\u0000${o.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        resources.push({ account: t.account, ...(namespace ? { namespace } : {}), kind: o.kind, name: o.name });
      }
    }
  }
  return {
    pipelineId,
    executionId: c.spinnakerExecutionId ?? '',
    stageRefId: c.spinnakerStageRefId ?? '',
    application: c.spinnakerApplication ?? body.application,
    ...(c.spinnakerPipeline ? { pipelineName: c.spinnakerPipeline } : {}),
    ...(c.spinnakerUser ? { user: c.spinnakerUser } : {}),
    targets,
    resources,
    startedAt: now,
    updatedAt: now,
  };
}
