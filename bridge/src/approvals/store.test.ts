import type { AuditEntry } from '@cdaas/contract/approvals';
import { MemoryStateStore } from '../state/memoryStore';
import { type SharedState, sharedApprovalStore } from './store';

const entry: AuditEntry = {
  at: '2026-12-01T08:00:00.000Z',
  user: 'pat@example.com',
  action: 'approve',
  application: 'shop',
  executionId: 'E1',
  stageRefId: '1',
  pipelineId: 'p-1',
  stepRef: 'prod-2',
  result: 'approved',
};

describe('sharedApprovalStore over the memory state store', () => {
  it("knows what this bridge started for an execution's stage, and nothing else; keeps every attempt", async () => {
    const state = new MemoryStateStore();
    const now = Date.parse('2026-12-01T08:00:00Z');
    await state.put({ pipelineId: 'p-1', executionId: 'E1', stageRefId: '1', application: 'shop', targets: [], resources: [], startedAt: now, updatedAt: now, warnings: [] });
    const store = sharedApprovalStore(state);
    expect(await store.startedFor('E1', '1')).toEqual({ pipelineId: 'p-1', application: 'shop' });
    expect(await store.startedFor('E1', '2')).toBeUndefined();
    expect(await store.startedFor('E2', '1')).toBeUndefined();
    await store.appendAudit('p-1', entry);
    await store.appendAudit('p-1', { ...entry, at: '2026-12-01T08:01:00.000Z', result: 'refused' });
    expect((await store.listAudit('p-1')).map((e) => e.at)).toEqual([entry.at, '2026-12-01T08:01:00.000Z']);
  });
});

describe('sharedApprovalStore', () => {
  it('writes JSON values only, reads back only valid entries, and finds the deployment by execution and stage', async () => {
    const audit = new Map<string, unknown[]>();
    const state: SharedState = {
      get: async (e, s) => (e === 'E1' && s === '1' ? { pipelineId: 'p-1', application: 'shop' } : undefined),
      appendAudit: async (id, e) => void audit.set(id, [...(audit.get(id) ?? []), JSON.parse(JSON.stringify(e))]),
      listAudit: async (id) => audit.get(id) ?? [],
    };
    const store = sharedApprovalStore(state);
    const refused: AuditEntry = { ...entry, user: undefined, result: 'refused', reason: 'noUser' };
    await store.appendAudit('p-1', entry);
    await store.appendAudit('p-1', refused);
    audit.get('p-1')!.push({ written: 'by something else' });
    expect(audit.get('p-1')![1]).not.toHaveProperty('user');
    expect(await store.listAudit('p-1')).toEqual([entry, { ...refused, user: undefined }].map((e) => JSON.parse(JSON.stringify(e))));
    expect(await store.startedFor('E1', '1')).toEqual({ pipelineId: 'p-1', application: 'shop' });
    expect(await store.startedFor('E1', '2')).toBeUndefined();
  });
});
