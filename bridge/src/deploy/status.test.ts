import type { UpstreamPipeline } from '../cdaas/upstream';
import { upstreamPipelineSchema } from '../cdaas/upstream';
import { describeProgress, toStatusAnswer } from './status';

/** Steps shaped like GET /pipelines/{id} answers (see cdaas-api.md). */
function pipeline(status: UpstreamPipeline['status'], steps: Array<Record<string, unknown>>): UpstreamPipeline {
  return upstreamPipelineSchema.parse({ id: 'p-1', status, application: 'payments', steps });
}
const dep = (step: number, total: number, extra: Record<string, unknown> = {}, env = 'prod') => ({ id: 'd1', environment: env, step, totalSteps: total, ...extra });

const canary = (statuses: string[]) =>
  pipeline('RUNNING', [
    { type: 'deployment', ref: 'prod-1', status: statuses[0], deployment: dep(1, 4, { weight: 25 }) },
    { type: 'pause', ref: 'prod-2', status: statuses[1], deployment: dep(2, 4), pause: { untilApproved: true } },
    { type: 'deployment', ref: 'prod-3', status: statuses[2], deployment: dep(3, 4, { weight: 50 }) },
    { type: 'pause', ref: 'prod-4', status: statuses[3], deployment: dep(4, 4), pause: { duration: 5, unit: 'MINUTES' } },
  ]);

describe('describeProgress', () => {
  it('names the canary step, the traffic reached and the approval wait', () => {
    expect(describeProgress(canary(['SUCCEEDED', 'AWAITING_APPROVAL', 'QUEUED', 'QUEUED']))).toBe('Canary step 2/4: 25% traffic, waiting for approval');
    expect(describeProgress(canary(['RUNNING', 'QUEUED', 'QUEUED', 'QUEUED']))).toBe('Canary step 1/4: 25% traffic');
    expect(describeProgress(canary(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'RUNNING']))).toBe('Canary step 4/4: 50% traffic, pausing 5 minutes');
  });

  it('words the final and queued states', () => {
    expect(describeProgress({ ...canary(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']), status: 'SUCCEEDED' })).toBe('Succeeded (4/4 steps done)');
    expect(describeProgress({ ...canary(['SUCCEEDED', 'SUCCEEDED', 'FAILED', 'CANCELLED']), status: 'FAILED' })).toBe('Failed at Canary step 3/4: 50% traffic');
    expect(describeProgress({ ...canary(['SUCCEEDED', 'REJECTED', 'CANCELLED', 'CANCELLED']), status: 'REJECTED' })).toBe('Rejected at Canary step 2/4: 25% traffic');
    expect(describeProgress(pipeline('QUEUED', []))).toBe('Queued: waiting for CD-as-a-Service to start the deployment');
    expect(describeProgress(pipeline('RUNNING', []))).toBe('Running');
  });

  it('prefixes the environment when there are several, and words blue/green phases', () => {
    const p = pipeline('RUNNING', [
      { type: 'deployment', status: 'SUCCEEDED', deployment: dep(1, 1, { weight: 100 }, 'staging') },
      { type: 'deployment', status: 'RUNNING', deployment: dep(1, 3, { phase: 'deployPreview', weight: 0 }) },
    ]);
    expect(describeProgress(p)).toBe('prod: Blue/green step 1/3: deployPreview');
  });
});

describe('toStatusAnswer', () => {
  it('keeps the status verbatim and maps steps', () => {
    const a = toStatusAnswer(canary(['SUCCEEDED', 'AWAITING_APPROVAL', 'QUEUED', 'QUEUED']), 'https://console/x');
    expect(a.status).toBe('RUNNING');
    expect(a.consoleUrl).toBe('https://console/x');
    expect(a.steps[1]).toEqual({ ref: 'prod-2', type: 'pause', status: 'AWAITING_APPROVAL', environment: 'prod', step: 2, totalSteps: 4, pause: { untilApproved: true }, awaitingApproval: true });
    expect(a.steps[0]).toMatchObject({ weight: 25, awaitingApproval: false });
  });
});
