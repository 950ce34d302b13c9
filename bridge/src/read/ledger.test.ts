import type { StartPipelineBody } from '../cdaas/client';
import type { Logger } from '../observability/log';
import { InMemoryLedger, type LedgerEntry, ledgerEntryFromStart, toLedger } from './ledger';

const body = (over: Partial<StartPipelineBody> = {}): StartPipelineBody => ({
  version: 'v1',
  kind: 'kubernetes',
  application: 'payments-cdaas',
  targets: {
    staging: { account: 'staging', namespace: 'payments', strategy: 'canary' },
    prod: { account: 'prod-us-east', strategy: 'canary', constraints: { dependsOn: ['staging'] } },
  },
  manifests: [{ path: 'manifests/app.yml' }, { path: 'manifests/prod-only.yml', targets: ['prod'] }, { inline: { value: 'kind: ConfigMap\nmetadata:\n  name: flags\n' } }],
  files: {
    'manifests/app.yml': [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments-api\n  namespace: payments-ns\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: payments-api\n---\nnot: [valid',
    ],
    'manifests/prod-only.yml': ['apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: payments-api\n'],
  },
  context: { spinnakerApplication: 'payments', spinnakerExecutionId: '01JEXEC1', spinnakerStageRefId: '3', spinnakerPipeline: 'Deploy', spinnakerUser: 'alice@example.com' },
  ...over,
});

describe('ledgerEntryFromStart', () => {
  it('records the Spinnaker application, execution and stage, the targets, and what each target’s manifests create', () => {
    const e = ledgerEntryFromStart(body(), 'p-1', 1_000);
    expect(e).toMatchObject({ pipelineId: 'p-1', executionId: '01JEXEC1', stageRefId: '3', application: 'payments', pipelineName: 'Deploy', user: 'alice@example.com', startedAt: 1_000, updatedAt: 1_000 });
    expect(e.targets).toEqual([{ name: 'staging', account: 'staging', namespace: 'payments' }, { name: 'prod', account: 'prod-us-east' }]);
    // The target's namespace wins over the manifest's; manifests limited to a target only count there;
    // an unreadable document is skipped, not fatal.
    expect(e.resources).toEqual([
      { account: 'staging', namespace: 'payments', kind: 'Deployment', name: 'payments-api' },
      { account: 'staging', namespace: 'payments', kind: 'Service', name: 'payments-api' },
      { account: 'prod-us-east', namespace: 'payments-ns', kind: 'Deployment', name: 'payments-api' },
      { account: 'prod-us-east', kind: 'Service', name: 'payments-api' },
      { account: 'prod-us-east', kind: 'PodDisruptionBudget', name: 'payments-api' },
      { account: 'staging', namespace: 'payments', kind: 'ConfigMap', name: 'flags' },
      { account: 'prod-us-east', kind: 'ConfigMap', name: 'flags' },
    ]);
  });

  it('leaves out the user and pipeline name the deploy listener dropped (unevaluated SpEL)', () => {
    const e = ledgerEntryFromStart(body({ context: { spinnakerApplication: 'payments', spinnakerExecutionId: 'x', spinnakerStageRefId: '1' } }), 'p-2', 0);
    expect(e.user).toBeUndefined();
    expect(e.pipelineName).toBeUndefined();
  });
});

describe('InMemoryLedger', () => {
  const entry = (pipelineId: string, application: string, startedAt: number): LedgerEntry => ({
    pipelineId, executionId: 'e', stageRefId: '1', application, targets: [], resources: [], startedAt, updatedAt: startedAt,
  });

  it('lists by Spinnaker application, keeps the last status, and forgets entries untouched for a day', async () => {
    let now = 0;
    const ledger = new InMemoryLedger({ now: () => now });
    ledger.record(entry('a', 'payments', 0));
    ledger.record(entry('b', 'checkout', 0));
    now = 23 * 3600_000;
    ledger.recordStatus('a', 'RUNNING');
    ledger.recordStatus('unknown', 'RUNNING');
    expect((await ledger.listByApplication('payments')).map((e) => [e.pipelineId, e.lastStatus])).toEqual([['a', 'RUNNING']]);
    now = 25 * 3600_000;
    expect((await ledger.listAll()).map((e) => e.pipelineId)).toEqual(['a']);
  });

  it('stays bounded, dropping the oldest start first', async () => {
    const ledger = new InMemoryLedger({ maxEntries: 2, now: () => 0 });
    for (const id of ['a', 'b', 'c']) ledger.record(entry(id, 'payments', 0));
    expect((await ledger.listAll()).map((e) => e.pipelineId)).toEqual(['b', 'c']);
  });
});

describe('toLedger', () => {
  it('logs a failed ledger write (thrown or rejected) instead of failing the deploy answer', async () => {
    const warnings: unknown[] = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: (msg, f) => void warnings.push([msg, f]), error: () => undefined };
    expect(() => toLedger(logger, () => { throw new Error('store gone'); })).not.toThrow();
    toLedger(logger, () => Promise.reject(new Error('redis timeout')));
    await new Promise((r) => setImmediate(r));
    expect(warnings).toEqual([
      ['ledger write failed; the read views may miss this deployment', { error: 'store gone' }],
      ['ledger write failed; the read views may miss this deployment', { error: 'redis timeout' }],
    ]);
  });
});
