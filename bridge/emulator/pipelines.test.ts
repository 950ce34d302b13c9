import { startPipelineAnswerSchema, upstreamRoutes, upstreamPipelineSchema } from '../src/cdaas/upstream.js';
import type { Emulator } from './index.js';
import { waitFor } from '../../test/support/waitFor';
import { ApiClient, canaryDeployment, DEPLOYMENT_MANIFEST, token, type ApiErrorJson, type PipelineJson, useEmulator } from './testkit.js';

const STEP_MS = 50;

describe('pipelines', () => {
  let emu: Emulator;
  let api: ApiClient;
  useEmulator({ stepIntervalMs: STEP_MS }, (e, a) => ((emu = e), (api = a)));

  // Each test deploys its own application, so that in-progress checks never see another test's pipeline.
  let n = 0;
  const app = (prefix = 'app') => `${prefix}-${++n}`;

  async function start(body: Record<string, unknown>): Promise<string> {
    const res = await api.start(body);
    const text = await res.text();
    expect(res.status, text).toBe(202);
    return startPipelineAnswerSchema.parse(JSON.parse(text)).pipelineId;
  }
  const get = async (id: string) => {
    const res = await api.get(upstreamRoutes.pipeline.path({ id: id }));
    expect(res.status).toBe(200);
    const json = (await res.json()) as PipelineJson;
    upstreamPipelineSchema.parse(json); // the bridge's own schema accepts it
    return json;
  };
  const until = (id: string, pred: (p: PipelineJson) => boolean, what: string) =>
    waitFor(async () => {
      const p = await get(id);
      return pred(p) ? p : undefined;
    }, what);

  it('runs a canary step by step, waits for approval, then succeeds', async () => {
    const id = await start(canaryDeployment({ application: app() }));
    const first = await get(id);
    expect(['RUNNING', 'AWAITING_APPROVAL']).toContain(first.status);
    expect(first.steps.map((s) => [s.ref, s.type, s.deployment?.weight, s.deployment?.step, s.deployment?.totalSteps])).toEqual([
      ['staging-1', 'deployment', 25, 1, 5],
      ['staging-2', 'pause', undefined, 2, 5],
      ['staging-3', 'deployment', 75, 3, 5],
      ['staging-4', 'pause', undefined, 4, 5],
      // The service goes to 100 % after the last step.
      ['staging-5', 'deployment', 100, 5, 5],
    ]);
    expect(first.steps[1]!.pause).toEqual({ untilApproved: true });
    expect(first.steps[3]!.pause).toEqual({ duration: 10, unit: 'minutes' });
    expect(first.steps.map((s) => s.dependsOn)).toEqual([[], ['staging-1'], ['staging-2'], ['staging-3'], ['staging-4']]);

    const paused = await until(id, (p) => p.status === 'AWAITING_APPROVAL', 'the approval step');
    expect(paused.steps.map((s) => s.status)).toEqual(['SUCCEEDED', 'AWAITING_APPROVAL', 'QUEUED', 'QUEUED', 'QUEUED']);
    expect(paused.steps[0]!.completedAtIso8601).toBeDefined();
    expect(paused.completedAtIso8601).toBeUndefined();

    // Still waiting several step intervals later: only an approval moves it on.
    await new Promise((r) => setTimeout(r, STEP_MS * 3));
    expect((await get(id)).status).toBe('AWAITING_APPROVAL');

    const approved = await api.post(upstreamRoutes.approveStep.path({ id: id, ref: 'staging-2' }));
    expect(approved.status).toBe(200);
    const running = await get(id);
    expect(running.steps[1]!.status).toBe('SUCCEEDED');
    expect(running.status).toBe('RUNNING');

    // The 10-minute pause is scaled down to one step interval.
    const done = await until(id, (p) => p.status === 'SUCCEEDED', 'success');
    expect(done.steps.every((s) => s.status === 'SUCCEEDED')).toBe(true);
    expect(Date.parse(done.completedAtIso8601!)).toBeGreaterThanOrEqual(Date.parse(done.startedAtIso8601!));
  });

  it('rolls back at the step awaiting approval: that step and the pipeline end REJECTED, the rest CANCELLED', async () => {
    const id = await start(canaryDeployment({ application: app() }));
    await until(id, (p) => p.status === 'AWAITING_APPROVAL', 'the approval step');
    // Only the step that waits can be rolled back.
    expect((await api.post(upstreamRoutes.rollbackStep.path({ id, ref: 'staging-3' }))).status).toBe(409);
    const rolled = await api.post(upstreamRoutes.rollbackStep.path({ id, ref: 'staging-2' }));
    expect(rolled.status).toBe(200);
    const ended = await get(id);
    expect(ended.status).toBe('REJECTED');
    expect(ended.steps.map((s) => s.status)).toEqual(['SUCCEEDED', 'REJECTED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(ended.completedAtIso8601).toBeDefined();
    // It stays ended: no approval, no second roll back.
    expect((await api.post(upstreamRoutes.approveStep.path({ id, ref: 'staging-2' }))).status).toBe(409);
    expect((await api.post(upstreamRoutes.rollbackStep.path({ id, ref: 'staging-2' }))).status).toBe(409);
    await new Promise((r) => setTimeout(r, STEP_MS * 2));
    expect((await get(id)).status).toBe('REJECTED');
  });

  it('approves through Emulator.approve() without a ref (the current step)', async () => {
    const id = await start(canaryDeployment({ application: app() }));
    await until(id, (p) => p.status === 'AWAITING_APPROVAL', 'the approval step');
    emu.approve(id);
    await until(id, (p) => p.status === 'SUCCEEDED', 'success');
  });

  it('refuses to approve a step that is not awaiting approval (409) or does not exist (404)', async () => {
    const id = await start(canaryDeployment({ application: app() }));
    const early = await api.post(upstreamRoutes.approveStep.path({ id: id, ref: 'staging-4' }));
    expect(early.status).toBe(409);
    expect(((await early.json()) as ApiErrorJson).errors[0]!.message).toContain('not AWAITING_APPROVAL');
    const unknown = await api.post(upstreamRoutes.approveStep.path({ id: id, ref: 'nope' }));
    expect(unknown.status).toBe(404);
    expect(() => emu.approve(id, 'staging-5')).toThrow(/not AWAITING_APPROVAL/);
  });

  it('cancels a running pipeline, idempotently, and the steps stop', async () => {
    const id = await start(canaryDeployment({ application: app() }));
    await until(id, (p) => p.status === 'AWAITING_APPROVAL', 'the approval step');
    const res = await api.post(upstreamRoutes.cancelPipeline.path({ id: id }));
    expect(res.status).toBe(200);
    const cancelled = await get(id);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.completedAtIso8601).toBeDefined();
    expect(cancelled.steps.map((s) => s.status)).toEqual(['SUCCEEDED', 'CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
    const again = await api.post(upstreamRoutes.cancelPipeline.path({ id: id }));
    expect(again.status).toBe(200);
    expect((await get(id)).completedAtIso8601).toBe(cancelled.completedAtIso8601);
    // A cancelled pipeline cannot be approved any more.
    expect((await api.post(upstreamRoutes.approveStep.path({ id: id, ref: 'staging-2' }))).status).toBe(409);
  });

  it('leaves a finished pipeline as it is when cancelled', async () => {
    const id = await start(canaryDeployment({ application: app(), strategies: { 'canary-approve': { canary: { steps: [{ setWeight: { weight: 100 } }] } } } }));
    await until(id, (p) => p.status === 'SUCCEEDED', 'success');
    await api.post(upstreamRoutes.cancelPipeline.path({ id: id }));
    expect((await get(id)).status).toBe('SUCCEEDED');
  });

  it('answers 409 when ifDeploymentInProgress is reject and the same app+target is running', async () => {
    const application = app();
    const body = canaryDeployment({ application, deploymentConfig: { ifDeploymentInProgress: { strategy: 'reject' } } });
    const first = await start(body);
    const res = await api.start(body);
    expect(res.status).toBe(409);
    expect(((await res.json()) as ApiErrorJson).errors[0]!.message).toContain(first);
    // Another application is not in the way.
    await start({ ...body, application: app() });
    // Once the first ended, the same deployment is accepted again.
    await api.post(upstreamRoutes.cancelPipeline.path({ id: first }));
    await start(body);
  });

  it('rejects by default (Armory documents reject as the default) and whatever the targets', async () => {
    const application = app();
    await start(canaryDeployment({ application }));
    const res = await api.start(
      canaryDeployment({ application, targets: { prod: { account: 'prod-us-east', namespace: 'potato', strategy: 'canary-approve' } } }),
    );
    expect(res.status).toBe(409);
    expect(((await res.json()) as ApiErrorJson).errors[0]!.message).toContain('strategy is reject (the default); use enqueueOne');
  });

  it('queues a deployment behind the running one with enqueueOne (the newer queued one replaces the older)', async () => {
    const application = app();
    const body = canaryDeployment({ application, deploymentConfig: { ifDeploymentInProgress: { strategy: 'enqueueOne' } } });
    const first = await start(body);
    const second = await start(body);
    expect((await get(second)).status).toBe('QUEUED');
    const third = await start(body);
    expect((await get(second)).status).toBe('CANCELLED');
    expect((await get(third)).status).toBe('QUEUED');
    await until(first, (p) => p.status === 'AWAITING_APPROVAL', 'the first approval');
    emu.approve(first);
    await until(first, (p) => p.status === 'SUCCEEDED', 'the first to succeed');
    const thirdRunning = await until(third, (p) => p.status !== 'QUEUED', 'the queued one to start');
    expect(Date.parse(thirdRunning.startedAtIso8601!)).toBeGreaterThanOrEqual(Date.parse((await get(first)).completedAtIso8601!));
  });

  it('orders targets by constraints.dependsOn and adds before/after-deployment pauses', async () => {
    const id = await start(
      canaryDeployment({
        application: app(),
        targets: {
          staging: { account: 'staging', namespace: 'potato', strategy: 'quick' },
          prod: {
            account: 'prod-us-east',
            namespace: 'potato',
            strategy: 'quick',
            constraints: { dependsOn: ['staging'], beforeDeployment: [{ pause: { untilApproved: true } }], afterDeployment: [{ pause: { duration: 1, unit: 'hours' } }] },
          },
        },
        strategies: { quick: { canary: { steps: [{ setWeight: { weight: 50 } }] } } },
      }),
    );
    const p = await get(id);
    expect(p.steps.map((s) => `${s.ref}:${s.type}:${s.dependsOn.join('+')}`)).toEqual([
      'staging-1:deployment:',
      'staging-2:deployment:staging-1',
      'prod-1:pause:staging-2',
      'prod-2:deployment:prod-1',
      'prod-3:deployment:prod-2',
      'prod-4:pause:prod-3',
    ]);
    const waiting = await until(id, (q) => q.status === 'AWAITING_APPROVAL', 'prod approval');
    expect(waiting.steps.find((s) => s.status === 'AWAITING_APPROVAL')!.ref).toBe('prod-1');
    emu.approve(id);
    await until(id, (q) => q.status === 'SUCCEEDED', 'success');
  });

  it('plans a blue/green strategy as deploy preview, redirect and shutdown with their conditions', async () => {
    const id = await start(
      canaryDeployment({
        application: app(),
        targets: { staging: { account: 'staging', namespace: 'potato', strategy: 'bg' } },
        strategies: {
          bg: {
            blueGreen: {
              activeService: 'potato-facts',
              previewService: 'potato-facts-preview',
              redirectTrafficAfter: [{ pause: { untilApproved: true } }],
              shutDownOldVersionAfter: [{ pause: { duration: 30, unit: 'seconds' } }],
            },
          },
        },
      }),
    );
    const p = await get(id);
    expect(p.steps.map((s) => [s.type, s.deployment?.phase ?? s.pause])).toEqual([
      ['deployment', 'deployPreview'],
      ['pause', { untilApproved: true }],
      ['deployment', 'redirectTraffic'],
      ['pause', { duration: 30, unit: 'seconds' }],
      ['deployment', 'shutDownOldVersion'],
    ]);
    await until(id, (q) => q.status === 'AWAITING_APPROVAL', 'approval before redirect');
    emu.approve(id);
    await until(id, (q) => q.status === 'SUCCEEDED', 'success');
  });

  it('answers 404 for an unknown pipeline', async () => {
    const res = await api.get(upstreamRoutes.pipeline.path({ id: '00000000-0000-4000-8000-000000000000' }));
    expect(res.status).toBe(404);
  });
});

describe('start validation', () => {
  let emu: Emulator;
  let api: ApiClient;
  useEmulator({ stepIntervalMs: STEP_MS }, (e, a) => ((emu = e), (api = a)));

  async function rejected(body: unknown, status = 400): Promise<string[]> {
    const res = await api.start(body);
    expect(res.status).toBe(status);
    return ((await res.json()) as ApiErrorJson).errors.map((e) => e.message);
  }

  it('answers 415 unless the body is sent as the v2 start media type', async () => {
    const res = await api.post(upstreamRoutes.startPipeline.path(), canaryDeployment(), 'application/json');
    expect(res.status).toBe(415);
    expect(((await res.json()) as ApiErrorJson).errors[0]!.message).toContain('application/vnd.start.kubernetes.pipeline.v2+json');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await fetch(`${emu.apiUrl}${upstreamRoutes.startPipeline.path()}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await token(emu)}`, 'Content-Type': 'application/vnd.start.kubernetes.pipeline.v2+json' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiErrorJson).errors[0]!.message).toMatch(/^body: not valid JSON/);
  });

  it('names every problem with its field path', async () => {
    const messages = await rejected({
      version: 'v2',
      kind: 'ecs',
      targets: {
        prod: { account: 'nowhere', strategy: 'missing', constraints: { dependsOn: ['qa'] } },
        dr: { account: 'dr-eu-west' },
      },
      manifests: [{ path: 'manifests/absent.yaml' }],
      strategies: { bad: { canary: { steps: [{ setWeight: { weight: 150 } }, { pause: { duration: 5, unit: 'days' } }, { runWebhook: { name: 'slack' } }] } } },
      files: {},
    });
    expect(messages).toEqual(
      expect.arrayContaining([
        'version: expected "v1", got "v2"',
        'kind: expected "kubernetes", got "ecs"',
        'application: required, a non-empty string',
        'targets.prod.account: agent "nowhere" is not connected (connected agents: prod-us-east, staging, legacy-onprem, edge-eu-central)',
        'targets.dr.account: agent "dr-eu-west" is not connected (connected agents: prod-us-east, staging, legacy-onprem, edge-eu-central)',
        'targets.prod.strategy: strategy "missing" is not defined in strategies (defined: bad)',
        'targets.prod.constraints.dependsOn[0]: target "qa" is not defined (targets: prod, dr)',
        'manifests[0].path: "manifests/absent.yaml" is not in files (files: none)',
        'strategies.bad.canary.steps[0].setWeight.weight: expected an integer from 0 to 100, got 150',
        'strategies.bad.canary.steps[1].pause.unit: expected one of seconds, minutes, hours, got "days"',
        'strategies.bad.canary.steps[2].runWebhook.name: webhook "slack" is not defined in webhooks (defined: none)',
      ]),
    );
  });

  it('refuses ReplicaSets and Pods, manifests without kind/name, and YAML errors with line:column', async () => {
    const messages = await rejected(
      canaryDeployment({
        files: {
          'manifests/potato-facts.yaml': [
            'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: rs\n---\nkind: ConfigMap\nmetadata: {}\n',
            'kind: Deployment\nmetadata:\n  name: [unclosed\n',
          ],
        },
      }),
    );
    expect(messages).toEqual([
      'manifests[0] ("manifests/potato-facts.yaml")[0]: ReplicaSet "rs" cannot be deployed; ReplicaSets and Pods are not accepted as manifests (use a Deployment)',
      'manifests[0] ("manifests/potato-facts.yaml")[0]: a Kubernetes manifest needs kind and metadata.name',
      expect.stringMatching(/^manifests\[0\] \("manifests\/potato-facts.yaml"\)\[1\] line 4:1: invalid YAML: [^\n]+[^:]$/),
    ]);
  });

  it('refuses a dependsOn cycle and a blue/green strategy without an active service', async () => {
    const messages = await rejected(
      canaryDeployment({
        targets: {
          a: { account: 'staging', strategy: 'bg', constraints: { dependsOn: ['b'] } },
          b: { account: 'staging', strategy: 'bg', constraints: { dependsOn: ['a'] } },
        },
        strategies: { bg: { blueGreen: { redirectTrafficAfter: [{ pause: { untilApproved: true } }] } } },
      }),
    );
    expect(messages).toEqual([
      'strategies.bg.blueGreen.activeService: required (or a trafficManagement.kubernetes entry with activeService)',
      'targets: constraints.dependsOn forms a cycle (a, b)',
    ]);
  });

  it('refuses a deployment timeout under the documented 60-second minimum', async () => {
    expect(await rejected(canaryDeployment({ deploymentConfig: { timeout: { duration: 30, unit: 'seconds' } } }))).toEqual([
      'deploymentConfig.timeout: the minimum timeout is 60 seconds (1 minute)',
    ]);
  });

  it('accepts a manifest path that is a URL without files (the service fetches it)', async () => {
    const res = await api.start(canaryDeployment({ application: 'url-app', manifests: [{ path: 'https://example.com/manifests/app.yaml' }], files: {} }));
    expect(res.status).toBe(202);
  });

  it('warns (but deploys) when a target cluster runs Kubernetes below 1.16', async () => {
    const res = await api.start(
      canaryDeployment({ application: 'legacy-app', targets: { onprem: { account: 'legacy-onprem', namespace: 'billing', strategy: 'canary-approve' } } }),
    );
    expect(res.status).toBe(202);
    const answer = startPipelineAnswerSchema.parse(await res.json());
    expect(answer.warnings).toEqual([
      'Target "onprem" (agent legacy-onprem) runs Kubernetes 1.15.12; CD-as-a-Service supports Kubernetes 1.16 or later, so this deployment may fail.',
    ]);
    const ok = startPipelineAnswerSchema.parse(await (await api.start(canaryDeployment({ application: 'modern-app' }))).json());
    expect(ok.warnings).toEqual([]);
  });

  it('accepts inline manifests and manifests limited to some targets', async () => {
    const res = await api.start(
      canaryDeployment({
        application: 'inline-app',
        targets: { staging: { account: 'staging', namespace: 'potato' }, prod: { account: 'prod-us-east', namespace: 'potato' } },
        strategies: undefined,
        manifests: [{ inline: DEPLOYMENT_MANIFEST, targets: ['staging'] }, { path: 'manifests/potato-facts.yaml', targets: ['prod'] }],
      }),
    );
    expect(res.status).toBe(202);
  });

  // Regression: the Deck validator accepted `inline: {value: ...}` (the form Armory's deploy file
  // reference shows) while the emulator took only a string, so a deploy.yml Deck called valid ran
  // TERMINAL with "requires path or inline".
  it('accepts an inline manifest written as {value: ...}', async () => {
    const res = await api.start(
      canaryDeployment({ application: 'inline-value-app', manifests: [{ inline: { value: DEPLOYMENT_MANIFEST } }] }),
    );
    expect(res.status).toBe(202);
  });
});

describe('failure injection', () => {
  let emu: Emulator;
  let api: ApiClient;
  useEmulator({ stepIntervalMs: STEP_MS }, (e, a) => ((emu = e), (api = a)));

  const run = async (body: Record<string, unknown>) => {
    const { pipelineId } = startPipelineAnswerSchema.parse(await (await api.start(body)).json());
    return waitFor(async () => {
      const p = (await (await api.get(upstreamRoutes.pipeline.path({ id: pipelineId }))).json()) as PipelineJson;
      if (p.status === 'AWAITING_APPROVAL') emu.approve(pipelineId);
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(p.status) ? p : undefined;
    }, 'a final status');
  };

  it('fails at the step named by context emulator.failAtStep', async () => {
    const p = await run(canaryDeployment({ application: 'inject-a', context: { emulator: { failAtStep: 3 } } }));
    expect(p.status).toBe('FAILED');
    expect(p.steps.map((s) => s.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'CANCELLED']);
    expect(p.steps[2]!.statusReason).toContain('failAtStep');
    expect(p.completedAtIso8601).toBe(p.steps[2]!.completedAtIso8601);
  });

  it('accepts the string form of the context key (CDaaS context values are strings)', async () => {
    const p = await run(canaryDeployment({ application: 'inject-b', context: { 'emulator.failAtStep': '1' } }));
    expect(p.status).toBe('FAILED');
    expect(p.steps[0]!.status).toBe('FAILED');
  });

  it('fails an application named fail-* at its last step', async () => {
    const p = await run(canaryDeployment({ application: 'fail-checkout' }));
    expect(p.status).toBe('FAILED');
    expect(p.steps.map((s) => s.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED']);
  });

  it('does not fail other pipelines', async () => {
    const p = await run(canaryDeployment({ application: 'healthy' }));
    expect(p.status).toBe('SUCCEEDED');
  });
});
