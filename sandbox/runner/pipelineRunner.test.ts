// The sandbox's Orca stand-in, end to end over loopback: Deck's trigger call on the Gate stand-in
// starts the run, the bridge's Orca player drives the CDaaS stage against the bridge + emulator,
// and Gate's /pipelines/{id} shows the progress Deck polls for.
import { webhookStageFields } from '@cdaas/contract/deploy';
import type { CanaryStep } from '@cdaas/contract/deployYaml';
import { DEMO_APP, defaultFixtures, type PipelineConfig, type PipelineExecution } from '../gate/fixtures';
import { type Sandbox, startSandbox } from '../start';
import { stageOrder, ulid } from './pipelineRunner';
import { potatoFacts } from '../../test/support/potatoFacts';
import { waitFor } from '../../test/support/waitFor';

let sandbox: Sandbox;
const logs: string[] = [];

function cdaasPipeline(bridgeUrl: string, name: string, steps: CanaryStep[]): PipelineConfig {
  const demo = potatoFacts({ steps });
  return {
    id: `pipeline-${name}`,
    application: DEMO_APP,
    name,
    stages: [
      { refId: '1', type: 'wait', name: 'Wait', waitTime: 0, requisiteStageRefIds: [] },
      { refId: '3', type: 'jenkins', name: 'Build', requisiteStageRefIds: ['1'] },
      {
        refId: '2',
        type: 'cdaasDeploy',
        name: 'Deploy to staging',
        requisiteStageRefIds: ['3'],
        ...webhookStageFields({
          bridgeUrl,
          stageRefId: '2',
          application: DEMO_APP,
          pipelineName: name,
          deployment: demo.deployment,
          files: demo.files,
          artifacts: [],
        }),
      },
    ],
    triggers: [],
  };
}

async function trigger(name: string): Promise<string> {
  const res = await fetch(`${sandbox.urls.gate}/pipelines/v2/${DEMO_APP}/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'manual', user: 'pat@example.com' }),
  });
  expect(res.status).toBe(202);
  const { ref } = (await res.json()) as { ref: string };
  return ref.split('/').pop()!;
}

async function execution(id: string): Promise<PipelineExecution> {
  return (await (await fetch(`${sandbox.urls.gate}/pipelines/${id}`)).json()) as PipelineExecution;
}

/** The runner's logs go with a timeout: they say where the pipeline stopped. */
const until = <T>(what: string, check: () => Promise<T | undefined>) =>
  waitFor(check, what, { timeoutMs: 20_000, everyMs: 100, context: () => logs.join('\n') });

const monitorBody = (e: PipelineExecution) =>
  (e.stages.find((s) => s.type === 'cdaasDeploy')!.context.webhook as { monitor?: { body?: { pipelineId: string; status: string } } } | undefined)?.monitor?.body;

beforeAll(async () => {
  sandbox = await startSandbox({ build: false, stepIntervalMs: 100, pollIntervalMs: 100, log: (l) => logs.push(l) });
  const fixtures = sandbox.gate.pipelineConfigs;
  fixtures.push(cdaasPipeline(sandbox.urls.bridgeDeploy!, 'Canary with approval', [{ setWeight: { weight: 50 } }, { pause: { untilApproved: true } }, { setWeight: { weight: 100 } }]));
  fixtures.push(cdaasPipeline(sandbox.urls.bridgeDeploy!, 'Canary to cancel', [{ setWeight: { weight: 50 } }, { pause: { untilApproved: true } }]));
});

afterAll(async () => {
  await sandbox?.close();
});

test('a triggered pipeline runs its CDaaS stage to SUCCEEDED through the bridge, waiting for approval on the way', async () => {
  const id = await trigger('Canary with approval');
  const first = await execution(id);
  expect(first).toMatchObject({ id, application: DEMO_APP, status: 'RUNNING', trigger: { type: 'manual', user: 'pat@example.com' } });
  expect(first.stages.map((s) => [s.refId, s.type])).toEqual([['1', 'wait'], ['3', 'jenkins'], ['2', 'cdaasDeploy']]);

  const waiting = await until('approval', async () => {
    const e = await execution(id);
    return monitorBody(e)?.status === 'AWAITING_APPROVAL' ? e : undefined;
  });
  // What Deck reads while the stage runs: Orca's context with the evaluated URLs and the monitor body.
  expect(waiting.stages.map((s) => s.status)).toEqual(['SUCCEEDED', 'SKIPPED', 'RUNNING']);
  expect(waiting.stages[1].context.sandboxNote).toMatch(/only Webhook-based stages/);
  expect(waiting.stages[2]).toMatchObject({ status: 'RUNNING', context: { url: `${sandbox.urls.bridgeDeploy}/v1/executions/${id}/stages/2/deployment` } });
  expect(waiting.stages[2].tasks.map((t) => [t.name, t.status])).toEqual([['createWebhook', 'SUCCEEDED'], ['monitorWebhook', 'RUNNING']]);
  // The terminal points at Deck's execution details, where the pause is approved (no curl hint).
  expect(logs.some((l) => l.includes('waits for approval') && l.includes('execution details in Deck'))).toBe(true);

  sandbox.backend!.approve(monitorBody(waiting)!.pipelineId);
  const done = await until('success', async () => {
    const e = await execution(id);
    return e.status !== 'RUNNING' ? e : undefined;
  });
  expect(done.status).toBe('SUCCEEDED');
  expect(done.stages[2]).toMatchObject({ status: 'SUCCEEDED', context: { webhook: { statusCode: 202, body: { pipelineId: monitorBody(waiting)!.pipelineId } } } });
  expect(monitorBody(done)?.status).toBe('SUCCEEDED');
});

test("Deck's cancel stops the execution and the bridge gets the stage's cancel call", async () => {
  const id = await trigger('Canary to cancel');
  const waiting = await until('approval', async () => {
    const e = await execution(id);
    return monitorBody(e)?.status === 'AWAITING_APPROVAL' ? e : undefined;
  });
  const res = await fetch(`${sandbox.urls.gate}/pipelines/${id}/cancel?reason=changed%20my%20mind`, { method: 'PUT' });
  expect(res.status).toBe(202);
  const done = await until('cancel', async () => {
    const e = await execution(id);
    return e.status !== 'RUNNING' ? e : undefined;
  });
  expect(done).toMatchObject({ status: 'CANCELED', canceled: true, cancellationReason: 'changed my mind' });
  // The bridge cancelled the CDaaS pipeline: its status, read through Gate's proxy, says so.
  const pipelineId = monitorBody(waiting)!.pipelineId;
  const status = await until('CDaaS cancel', async () => {
    const r = await fetch(`${sandbox.urls.gate}/proxies/cdaas/v1/deployments/${pipelineId}`);
    const body = (await r.json()) as { status: string };
    return body.status === 'CANCELLED' ? body : undefined;
  });
  expect(status.status).toBe('CANCELLED');
});

test('stages run after the stages they depend on', () => {
  const order = stageOrder([
    { refId: '3', type: 'c', name: 'c', requisiteStageRefIds: ['2'] },
    { refId: '2', type: 'b', name: 'b', requisiteStageRefIds: ['1'] },
    { refId: '1', type: 'a', name: 'a', requisiteStageRefIds: [] },
  ]);
  expect(order.map((s) => s.refId)).toEqual(['1', '2', '3']);
});

test('execution ids are ULIDs, ordered by time', () => {
  const a = ulid(1_700_000_000_000);
  const b = ulid(1_700_000_000_001);
  expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  expect(a.slice(0, 10) < b.slice(0, 10)).toBe(true);
});

test('the default fixtures stay untouched by the runs', () => {
  expect(defaultFixtures().pipelineConfigs.map((p) => p.name)).toEqual(['Deploy potato-facts']);
});
