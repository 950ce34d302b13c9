/**
 * The embedded store: one process's memory. Right for one replica (the sandbox, tests, a
 * single-pod install); with more replicas each would keep its own map, so the manifests pair it
 * with `replicas: 1` only.
 */
import { randomUUID } from 'node:crypto';

import type { PipelineStatus } from '@cdaas/contract/deploy';
import { type DeploymentRecord, type Json, type LedgerEntry, type StateStore, type StoreHealth, type UnknownOutcome, DEFAULT_ENTRY_TTL_MS } from './types';

export interface MemoryStoreOptions {
  entryTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

const keyOf = (executionId: string, stageRefId: string) => `${executionId}/${stageRefId}`;
const ledgerEntry = ({ warnings: _w, ...entry }: DeploymentRecord): LedgerEntry => entry;

export class MemoryStateStore implements StateStore {
  readonly kind = 'memory' as const;
  private readonly records = new Map<string, { record: DeploymentRecord; expiresAt: number }>();
  private readonly byPipeline = new Map<string, string>();
  private readonly claims = new Map<string, { token: string; expiresAt: number }>();
  private readonly unknown = new Map<string, { outcome: UnknownOutcome; expiresAt: number }>();
  private readonly audits = new Map<string, { entries: Json[]; expiresAt: number }>();
  private readonly now: () => number;
  private readonly ttl: number;

  constructor(private readonly opts: MemoryStoreOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.ttl = opts.entryTtlMs ?? DEFAULT_ENTRY_TTL_MS;
  }

  async claim(executionId: string, stageRefId: string, ttlMs: number): Promise<string | undefined> {
    const key = keyOf(executionId, stageRefId);
    const held = this.claims.get(key);
    if (held && held.expiresAt > this.now()) return undefined;
    const token = randomUUID();
    this.claims.set(key, { token, expiresAt: this.now() + ttlMs });
    return token;
  }

  async release(executionId: string, stageRefId: string, token: string): Promise<void> {
    const key = keyOf(executionId, stageRefId);
    if (this.claims.get(key)?.token === token) this.claims.delete(key);
  }

  async claimed(executionId: string, stageRefId: string): Promise<boolean> {
    const held = this.claims.get(keyOf(executionId, stageRefId));
    return !!held && held.expiresAt > this.now();
  }

  async get(executionId: string, stageRefId: string): Promise<DeploymentRecord | undefined> {
    const e = this.records.get(keyOf(executionId, stageRefId));
    return e && e.expiresAt > this.now() ? structuredClone(e.record) : undefined;
  }

  async inspect(executionId: string, stageRefId: string, claimTtlMs: number): Promise<{ unknown?: UnknownOutcome; record?: DeploymentRecord; claim?: string }> {
    const unknown = await this.getUnknown(executionId, stageRefId);
    if (unknown) return { unknown };
    const record = await this.get(executionId, stageRefId);
    if (record) return { record };
    return { claim: await this.claim(executionId, stageRefId, claimTtlMs) };
  }

  async put(record: DeploymentRecord, releaseClaim?: string): Promise<void> {
    if (releaseClaim) await this.release(record.executionId, record.stageRefId, releaseClaim);
    this.evict();
    const key = keyOf(record.executionId, record.stageRefId);
    const previous = this.records.get(key);
    if (previous) this.byPipeline.delete(previous.record.pipelineId);
    // Re-inserted so the Map's order stays oldest-first for eviction.
    this.records.delete(key);
    this.records.set(key, { record: structuredClone(record), expiresAt: this.now() + this.ttl });
    this.byPipeline.set(record.pipelineId, key);
  }

  async recordStatus(pipelineId: string, status: PipelineStatus, at: number): Promise<void> {
    const key = this.byPipeline.get(pipelineId);
    const e = key ? this.records.get(key) : undefined;
    if (!e || e.record.pipelineId !== pipelineId) return;
    e.record.lastStatus = status;
    e.record.updatedAt = at;
    e.expiresAt = this.now() + this.ttl;
  }

  async getUnknown(executionId: string, stageRefId: string): Promise<UnknownOutcome | undefined> {
    const e = this.unknown.get(keyOf(executionId, stageRefId));
    return e && e.expiresAt > this.now() ? { ...e.outcome } : undefined;
  }

  async putUnknown(outcome: UnknownOutcome, ttlMs: number): Promise<void> {
    this.unknown.set(keyOf(outcome.executionId, outcome.stageRefId), { outcome: { ...outcome }, expiresAt: this.now() + ttlMs });
  }

  async appendAudit(pipelineId: string, entry: Json): Promise<void> {
    const e = this.audits.get(pipelineId);
    const live = e && e.expiresAt > this.now() ? e.entries : [];
    live.push(structuredClone(entry));
    this.audits.set(pipelineId, { entries: live, expiresAt: this.now() + this.ttl });
  }

  async listAudit(pipelineId: string): Promise<Json[]> {
    const e = this.audits.get(pipelineId);
    return e && e.expiresAt > this.now() ? structuredClone(e.entries) : [];
  }

  async listByApplication(application: string): Promise<LedgerEntry[]> {
    return (await this.listAll()).filter((e) => e.application === application);
  }

  async listAll(): Promise<LedgerEntry[]> {
    const now = this.now();
    return [...this.records.values()].filter((e) => e.expiresAt > now).map((e) => ledgerEntry(structuredClone(e.record))).sort((a, b) => b.startedAt - a.startedAt);
  }

  health(): StoreHealth {
    return { kind: 'memory', ok: true };
  }

  async close(): Promise<void> {}

  get size(): number {
    return this.records.size;
  }

  private evict(): void {
    const maxEntries = this.opts.maxEntries ?? 10_000;
    const now = this.now();
    for (const [key, e] of this.records) {
      if (this.records.size < maxEntries && e.expiresAt > now) break;
      this.records.delete(key);
      this.byPipeline.delete(e.record.pipelineId);
    }
    for (const [key, c] of this.claims) if (c.expiresAt <= now) this.claims.delete(key);
    for (const [key, u] of this.unknown) if (u.expiresAt <= now) this.unknown.delete(key);
    for (const [key, a] of this.audits) if (a.expiresAt <= now) this.audits.delete(key);
  }
}
