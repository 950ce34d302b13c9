import type { UpstreamPipeline } from '../cdaas/upstream';
import type { LedgerEntry } from './ledger';
import { trafficByReplicaSet } from './traffic';

const entry: LedgerEntry = {
  pipelineId: 'p', executionId: 'e', stageRefId: '1', application: 'payments',
  targets: [{ name: 'prod', account: 'prod', namespace: 'payments' }],
  resources: [{ account: 'prod', namespace: 'payments', kind: 'Deployment', name: 'api' }],
  startedAt: 0, updatedAt: 0,
};
const sets = [
  { namespace: 'payments', name: 'api-old', deployment: 'api', revision: '1' },
  { namespace: 'payments', name: 'api-new', deployment: 'api', revision: '2' },
  { namespace: 'other', name: 'api-x', deployment: 'api', revision: '3' },
];
const step = (n: number, status: UpstreamPipeline['status'], extra: Record<string, unknown> = {}) => ({
  status, type: 'deployment', deployment: { environment: 'prod', step: n, totalSteps: 3, ...extra },
});

describe('trafficByReplicaSet', () => {
  it('adds nothing before the first deployment step starts: the newest replica set is still the old version', () => {
    const pipeline: UpstreamPipeline = { id: 'p', status: 'RUNNING', steps: [step(1, 'QUEUED', { weight: 25 })] };
    expect(trafficByReplicaSet('prod', sets, [{ entry, pipeline }]).size).toBe(0);
  });

  it('gives the canary weight of the last completed setWeight step, only in the target namespace', () => {
    const pipeline: UpstreamPipeline = { id: 'p', status: 'RUNNING', steps: [step(1, 'SUCCEEDED', { weight: 25 }), step(2, 'SUCCEEDED', { weight: 50 }), step(3, 'RUNNING', { weight: 100 })] };
    const t = trafficByReplicaSet('prod', sets, [{ entry, pipeline }]);
    expect(Object.fromEntries(t)).toEqual({
      'payments/api-new': { pipelineId: 'p', status: 'RUNNING', role: 'canary', weight: 50, step: 3, totalSteps: 3 },
      'payments/api-old': { pipelineId: 'p', status: 'RUNNING', role: 'stable', weight: 50, step: 3, totalSteps: 3 },
    });
    expect(trafficByReplicaSet('staging', sets, [{ entry, pipeline }]).size).toBe(0);
  });

  it('names preview and active for blue/green until traffic is redirected', () => {
    const bg = (redirect: UpstreamPipeline['status']): UpstreamPipeline => ({
      id: 'p',
      status: 'RUNNING',
      steps: [step(1, 'SUCCEEDED', { phase: 'deployPreview' }), step(2, redirect, { phase: 'redirectTraffic' }), step(3, 'QUEUED', { phase: 'shutDownOldVersion' })],
    });
    const roles = (p: UpstreamPipeline) => Object.fromEntries([...trafficByReplicaSet('prod', sets, [{ entry, pipeline: p }])].map(([k, v]) => [k, v.role]));
    expect(roles(bg('RUNNING'))).toEqual({ 'payments/api-new': 'preview', 'payments/api-old': 'active' });
    expect(roles(bg('SUCCEEDED'))).toEqual({ 'payments/api-new': 'active' });
  });
});
