/**
 * Orca's part, played faithfully (sandbox/orca/webhookPlayer) on the stage JSON the Deck stage saves, against the
 * bridge and the emulator over loopback: the whole Webhook stage lifecycle.
 */
import { webhookStageFields } from '@cdaas/contract/deploy';
import type { ArtifactManifest } from '@cdaas/contract/deploy';
import { artifactExpression, inlineArtifactEntry } from '@cdaas/contract/deploy';
import { type Harness, DEPLOYMENT_YAML, PAYMENTS, canaryDeployment, startHarness } from './harness';
import { potatoFacts } from '../../test/support/potatoFacts';
import { type SavedWebhookStage, playWebhookStage } from '../../sandbox/orca/webhookPlayer';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ stepIntervalMs: 40 });
});
afterAll(async () => h?.close());
afterEach(() => h.emu.faults.clear());

const b64 = (s: string) => Buffer.from(s).toString('base64');
let n = 0;
const execId = () => `01JORCA${String(++n).padStart(19, '0')}`;

/** The stage as Deck saves it (then stored as JSON in Front50). */
function savedStage(over: { deployment?: Record<string, unknown>; files?: Record<string, string[]>; artifacts?: ArtifactManifest[] } = {}): SavedWebhookStage {
  const stage = {
    refId: '2',
    requisiteStageRefIds: ['1'],
    type: 'cdaasDeploy',
    name: 'Deploy to prod (CD-as-a-Service)',
    ...webhookStageFields({
      bridgeUrl: h.bridge.deployUrl + '/',
      stageRefId: '2',
      application: 'payments',
      pipelineName: '${execution.name}',
      deployment: over.deployment ?? canaryDeployment(),
      files: over.files ?? PAYMENTS.files,
      artifacts: over.artifacts ?? [],
    }),
  };
  return JSON.parse(JSON.stringify(stage)) as SavedWebhookStage;
}

/** A deploy.yml for the staging agent, as a git artifact would hold it; the options make mistakes. */
function stagingDeployYml(o: { strategy?: string; manifest: string; weight?: number }): string {
  return potatoFacts({
    application: 'payments',
    namespace: 'payments',
    target: 'staging',
    strategy: 'rolling',
    strategyRef: o.strategy,
    steps: [{ setWeight: { weight: o.weight ?? 100 } }],
    manifestPath: o.manifest,
  }).deployYaml;
}

const fast = { createRetryDelayMs: 30, createRetryWindowMs: 3000, pollIntervalMs: 20, monitorTimeoutMs: 20_000 };

describe('Orca Webhook stage against the bridge', () => {
  it('drives a canary with an approval to SUCCEEDED', async () => {
    const approved: string[] = [];
    const result = await playWebhookStage(savedStage(), {
      ...fast,
      executionId: execId(),
      pipelineName: 'Deploy payments',
      onPoll: (snap) => {
        const body = snap.body as { pipelineId: string; status: string };
        if (body.status === 'AWAITING_APPROVAL' && approved.length === 0) {
          approved.push(body.pipelineId);
          h.emu.approve(body.pipelineId);
        }
      },
    });
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    expect(result.createAttempts).toBe(1);
    expect(result.webhook.statusCode).toBe(202);
    expect(result.webhook.statusEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/deployments\/[0-9a-f-]+$/);
    expect(result.progress).toContain('Canary step 2/5: 25% traffic, waiting for approval');
    expect(result.progress[result.progress.length - 1]).toBe('Succeeded (5/5 steps done)');
    expect(approved).toHaveLength(1);
    expect(result.cancel).toBeUndefined();
  });

  it('retries a start that got 503 and still starts exactly one deployment', async () => {
    const starts = () => h.emu.stats.requestsByPath.get('/pipelines/kubernetes') ?? 0;
    const before = starts();
    // More 503s than the bridge retries: Orca sees a 503 and retries the whole start.
    h.emu.faults.add({ target: 'api', path: '/pipelines/kubernetes', kind: 'status', status: 503, times: 5 });
    const deployment = canaryDeployment('payments', { strategies: { canary: { canary: { steps: [{ setWeight: { weight: 50 } }] } } } });
    const result = await playWebhookStage(savedStage({ deployment }), { ...fast, executionId: execId() });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.createAttempts).toBe(2);
    // 4 bridge attempts on the first Orca call, 2 on the second (1 refused, 1 accepted).
    expect(starts() - before).toBe(6);
  });

  it('binds manifests from artifacts, and the whole deploy.yml from a deploy.yml artifact', async () => {
    const deployYml = stagingDeployYml({ manifest: 'manifests/artifact-1.yaml' });
    const artifacts: ArtifactManifest[] = [
      { path: 'deploy.yml', expectedArtifactId: 'ea-deploy', displayName: 'deploy.yml from git', artifact: artifactExpression('ea-deploy') },
      { path: 'manifests/artifact-1.yaml', expectedArtifactId: 'ea-manifest', displayName: 'api manifest', artifact: artifactExpression('ea-manifest') },
    ];
    const result = await playWebhookStage(savedStage({ deployment: {}, files: {}, artifacts }), {
      ...fast,
      executionId: execId(),
      boundArtifacts: {
        'ea-deploy': { type: 'embedded/base64', name: 'deploy.yml', reference: b64(deployYml) },
        'ea-manifest': { type: 'embedded/base64', name: 'api.yml', reference: b64(DEPLOYMENT_YAML) },
      },
    });
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
  });

  it('ends TERMINAL at start when the deploy.yml artifact has mistakes, with line:column, and starts nothing upstream', async () => {
    const starts = () => h.emu.stats.requestsByPath.get('/pipelines/kubernetes') ?? 0;
    const before = starts();
    // Two mistakes a pipeline author makes: a misspelt strategy name and a weight over 100.
    const deployYml = stagingDeployYml({ strategy: 'rollin', manifest: 'manifests/api.yml', weight: 150 });
    const artifacts: ArtifactManifest[] = [
      { path: 'deploy.yml', expectedArtifactId: 'ea-deploy', displayName: 'deploy.yml from git', artifact: artifactExpression('ea-deploy') },
    ];
    const result = await playWebhookStage(savedStage({ deployment: {}, artifacts }), {
      ...fast,
      executionId: execId(),
      boundArtifacts: { 'ea-deploy': { type: 'embedded/base64', name: 'deploy.yml', reference: b64(deployYml) } },
    });
    expect(result.status).toBe('TERMINAL');
    expect(result.createAttempts).toBe(1);
    expect(result.webhook.statusCode).toBe(400);
    const answer = JSON.parse(result.webhook.error as string) as { error: string; field: string; details: string[] };
    expect(answer.field).toBe('artifacts[0]');
    expect(answer.error).toMatch(/^deploy\.yml from artifact "deploy\.yml from git" for deploy\.yml has 2 problems; fix the file/);
    expect(answer.details).toEqual([
      "targets.staging.strategy (line 8, column 15): strategy 'rollin' is not defined (did you mean 'rolling'?); defined: rolling",
      'strategies.rolling.canary.steps[0].setWeight.weight (line 16, column 21): weight must be from 1 to 100, found 150',
    ]);
    expect(starts()).toBe(before);
  });

  it('ends TERMINAL at once, naming the expected artifact, when nothing bound it', async () => {
    const artifacts: ArtifactManifest[] = [
      { path: 'manifests/api.yml', expectedArtifactId: 'ea-42', displayName: 'payments-api manifest', artifact: artifactExpression('ea-42') },
    ];
    const result = await playWebhookStage(savedStage({ files: {}, artifacts }), { ...fast, executionId: execId() });
    expect(result.status).toBe('TERMINAL');
    expect(result.createAttempts).toBe(1);
    expect(result.webhook.statusCode).toBe(400);
    expect(JSON.parse(result.webhook.error as string)).toEqual({
      error: expect.stringMatching(/^expected artifact "payments-api manifest" \(ea-42\) for manifests\/api.yml was not bound: neither the pipeline trigger nor an upstream stage/),
      field: 'artifacts[0].artifact',
    });
  });

  it('deploys a manifest from an inline artifact, sent in the payload as the stage saved it', async () => {
    const artifacts: ArtifactManifest[] = [
      inlineArtifactEntry('manifests/api.yml', { type: 'embedded/base64', artifactAccount: 'embedded-artifact', reference: b64(DEPLOYMENT_YAML) }),
    ];
    const deployment = canaryDeployment('payments', { strategies: { canary: { canary: { steps: [{ setWeight: { weight: 100 } }] } } } });
    const result = await playWebhookStage(savedStage({ deployment, files: {}, artifacts }), { ...fast, executionId: execId() });
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
  });

  it('ends TERMINAL at once, naming the field, when an inline reference holds an expression Orca could not evaluate', async () => {
    const starts = () => h.emu.stats.requestsByPath.get('/pipelines/kubernetes') ?? 0;
    const before = starts();
    const artifacts: ArtifactManifest[] = [
      inlineArtifactEntry('manifests/api.yml', { type: 'http/file', reference: 'https://artifacts.example.com/${trigger.properties.tag}/api.yml' }),
    ];
    const result = await playWebhookStage(savedStage({ files: {}, artifacts }), { ...fast, executionId: execId() });
    expect(result.status).toBe('TERMINAL');
    expect(result.createAttempts).toBe(1);
    expect(JSON.parse(result.webhook.error as string)).toEqual({
      error: "inline artifact for manifests/api.yml: its reference still holds an expression Orca could not evaluate at stage start; fix the expression in the stage's inline artifact",
      field: 'artifacts[0].artifact.reference',
    });
    expect(starts()).toBe(before);
  });

  it('cancels the deployment when the user cancels the execution', async () => {
    const result = await playWebhookStage(savedStage(), {
      ...fast,
      executionId: execId(),
      onPoll: (snap) => ((snap.body as { status: string }).status === 'AWAITING_APPROVAL' ? 'cancel' : undefined),
    });
    expect(result.status).toBe('CANCELED');
    expect(result.cancel).toMatchObject({ statusCode: 200, body: { status: 'CANCELLED', cancelled: true } });
  });

  it('goes TERMINAL when the deployment fails, and the cancel call on TERMINAL is harmless', async () => {
    const deployment = canaryDeployment('fail-payments', { strategies: { canary: { canary: { steps: [{ setWeight: { weight: 50 } }] } } } });
    const result = await playWebhookStage(savedStage({ deployment }), { ...fast, executionId: execId() });
    expect(result.status).toBe('TERMINAL');
    expect(result.reason).toBe('status FAILED is in terminalStatuses');
    expect(result.progress[result.progress.length - 1]).toMatch(/^Failed at Canary step 2\/2: 100% traffic/);
    expect(result.cancel).toMatchObject({ statusCode: 200, body: { status: 'FAILED', cancelled: false } });
  });
});
