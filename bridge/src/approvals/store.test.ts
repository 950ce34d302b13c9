import type { AuditEntry } from '@cdaas/contract/approvals';
import { DeploymentRegistry, deploymentKey } from '../deploy/registry';
import { InMemoryApprovalStore, type SharedState, sharedApprovalStore } from './store';

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

describe('InMemoryApprovalStore', () => {
  it("knows what the registry started for an execution's stage, and nothing else", async () => {
    const registry = new DeploymentRegistry();
    await registry.start(deploymentKey('E1', '1'), async () => ({ pipelineId: 'p-1', warnings: [], application: 'shop' }), async () => false);
    const store = new InMemoryApprovalStore(registry);
    expect(await store.startedFor('E1', '1')).toEqual({ pipelineId: 'p-1', application: 'shop' });
    expect(await store.startedFor('E1', '2')).toBeUndefined();
    expect(await store.startedFor('E2', '1')).toBeUndefined();
  });

  it('keeps the first and the latest attempts of a pipeline when there are too many', async () => {
    const store = new InMemoryApprovalStore({ startedFor: () => undefined }, { maxEntriesPerPipeline: 4 });
    for (let i = 0; i < 10; i++) await store.appendAudit('p-1', { ...entry, at: String(i) });
    expect((await store.listAudit('p-1')).map((e) => e.at)).toEqual(['0', '1', '8', '9']);
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
