/**
 * The read side of the infrastructure views, bridge <-> emulator over real loopback sockets, on the
 * emulator's default seed: the 1.15 cluster, the agent whose cache answers 500, an account deployed
 * to whose agent went away, a canary started through the deploy listener whose traffic moves, and
 * the application's deployments. Every answer is read with the contract's valibot schemas.
 */
import * as v from 'valibot';

import {
  agentsAnswerSchema,
  applicationDeploymentsAnswerSchema,
  clustersAnswerSchema,
  namespacesAnswerSchema,
  readRoutes,
  replicaSetsAnswerSchema,
} from '@cdaas/contract/read';
import { waitFor } from '../../test/support/waitFor';
import { SANDBOX_CLIENT, startEmulator } from '../emulator/index';
import { type Harness, PAYMENTS_PLACES, canaryDeployment, deployRequest, getJson, postJson, startHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  // TTL 0: every read goes upstream, so movement shows on the next read (coalescing stays on).
  h = await startHarness({}, { BRIDGE_READ_CACHE_TTL_MS: '0' });
  await waitFor(async () => ((await getJson(`${h.bridge.readUrl}/readyz`)).status === 200 ? true : undefined), 'readiness');
});
afterAll(async () => h?.close());

const read = (path: string) => getJson(h.bridge.readUrl + path);
const startUrl = (exec: string, ref: string) => `${h.bridge.deployUrl}/v1/executions/${exec}/stages/${ref}/deployment`;

describe('agents and clusters on the default seed', () => {
  it('fails the 1.15 cluster’s requirement and shows the 500 agent’s error beside the healthy clusters', async () => {
    const res = await read(readRoutes.clusters.path());
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(v.parse(clustersAnswerSchema, res.body).clusters.map((c) => [c.cluster, c]));
    expect(byName['legacy-onprem']).toEqual({ cluster: 'legacy-onprem', kubernetesVersion: '1.15.12', supported: false, errors: [] });
    expect(byName['prod-us-east']).toMatchObject({ supported: true, errors: [] });
    expect(byName['edge-eu-central']!.errors).toEqual([{ kind: 'status', status: 500, message: expect.stringMatching(/HTTP 500 .*edge-eu-central/) }]);

    const flaky = v.parse(replicaSetsAnswerSchema, (await read(readRoutes.replicaSets.path({ agent: 'edge-eu-central' }))).body);
    expect(flaky).toEqual({ cluster: 'edge-eu-central', items: [], errors: [{ kind: 'status', status: 500, message: expect.any(String) }] });
    const healthy = v.parse(replicaSetsAnswerSchema, (await read(readRoutes.replicaSets.path({ agent: 'prod-us-east' }))).body);
    expect(healthy.errors).toEqual([]);
    expect(healthy.items.find((r) => r.deployment === 'checkout-api')).toMatchObject({
      ownerReferences: [{ kind: 'Deployment', name: 'checkout-api' }],
      labels: { app: 'checkout-api' },
    });
  });

  it('reports cluster-role support, and lists an account this bridge deployed to as disconnected once its agent goes', async () => {
    const exec = '01JREADVIEWSDISCONNECT0001';
    const req = deployRequest(exec, '1');
    Object.assign(req.deployment as object, { application: 'payments-staging', targets: { stg: { account: 'staging', namespace: 'payments', strategy: 'canary' } } });
    const start = await postJson(startUrl(exec, '1'), req);
    expect(start.status).toBe(202);
    h.emu.setConnected('staging', false);
    try {
      const answer = v.parse(agentsAnswerSchema, (await read(readRoutes.agents.path())).body);
      expect(answer.agents.map((a) => a.agentIdentifier)).not.toContain('staging');
      expect(answer.disconnected).toEqual([{ agentIdentifier: 'staging', lastDeployedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
      expect(answer.heartbeatStaleAfterSeconds).toBe(120);
      expect(answer.agents.find((a) => a.agentIdentifier === 'legacy-onprem')!.clusterRoleSupport).toBe(false);
      expect(answer.agents.find((a) => a.agentIdentifier === 'prod-us-east')!.clusterRoleSupport).toBe(true);
    } finally {
      h.emu.setConnected('staging', true);
      await postJson(`${startUrl(exec, '1')}/cancel`, {});
    }
    const back = v.parse(agentsAnswerSchema, (await read(readRoutes.agents.path())).body);
    expect(back.disconnected).toEqual([]);
  });
});

describe('credentials without the cache scope', () => {
  it('says per cluster that reading the agents’ cache needs read:infrastructure:data', async () => {
    const emu = await startEmulator({ clients: [{ ...SANDBOX_CLIENT, scopes: ['api:deployment:full'] }] });
    const noScope = await startHarness({}, {}, {}, emu);
    try {
      await waitFor(async () => ((await getJson(`${noScope.bridge.readUrl}/readyz`)).status === 200 ? true : undefined), 'readiness');
      const res = await getJson(noScope.bridge.readUrl + readRoutes.namespaces.path({ agent: 'prod-us-east' }));
      expect(res.status).toBe(200);
      expect(v.parse(namespacesAnswerSchema, res.body).errors).toEqual([
        { kind: 'status', status: 403, message: expect.stringMatching(/HTTP 403.*; reading the agents' cache needs the read:infrastructure:data scope$/) },
      ]);
    } finally {
      await noScope.close();
      await emu.close();
    }
  });
});

describe('a canary started through the deploy listener', () => {
  it('moves its replica sets’ traffic weight between two reads, and shows in the application’s deployments', async () => {
    const exec = '01JREADVIEWSCANARY00000001';
    const req = deployRequest(exec, '4', {
      deployment: canaryDeployment('payments', {
        strategies: {
          canary: {
            canary: { steps: [{ setWeight: { weight: 25 } }, { pause: { untilApproved: true } }, { setWeight: { weight: 50 } }, { pause: { untilApproved: true } }] },
          },
        },
      }),
    });
    const start = await postJson(startUrl(exec, '4'), req);
    expect(start.status).toBe(202);
    const pipelineId = start.body.pipelineId as string;
    try {
      const trafficOf = async () => {
        const answer = v.parse(replicaSetsAnswerSchema, (await read(readRoutes.replicaSets.path({ agent: 'prod-us-east' }))).body);
        return answer.items.filter((r) => r.deployment === 'payments-api' && r.namespace === 'payments' && r.traffic?.pipelineId === pipelineId);
      };
      const first = await waitFor(async () => {
        const sets = await trafficOf();
        return sets.some((r) => r.traffic?.role === 'canary' && r.traffic.weight === 25 && r.traffic.status === 'AWAITING_APPROVAL') ? sets : undefined;
      }, 'the canary at 25 %');
      const canary = first.find((r) => r.traffic?.role === 'canary')!;
      expect(canary.images).toEqual(['registry.example.com/payments/api:2.15.0']);
      expect(canary.traffic).toMatchObject({ step: 2, totalSteps: 5 });
      expect(first.find((r) => r.traffic?.role === 'stable')!.images).toEqual(['registry.example.com/payments/api:2.14.1']);

      h.emu.approve(pipelineId);
      const second = await waitFor(async () => {
        const sets = await trafficOf();
        return sets.find((r) => r.traffic?.role === 'canary' && r.traffic.weight === 50 && r.traffic.status === 'AWAITING_APPROVAL');
      }, 'the canary at 50 %');
      expect(second.name).toBe(canary.name);
      expect(second.traffic).toMatchObject({ step: 4, totalSteps: 5 });

      const apps = v.parse(applicationDeploymentsAnswerSchema, (await read(readRoutes.applicationDeployments.path({ application: 'payments' }))).body);
      expect(apps.application).toBe('payments');
      const mine = apps.deployments.find((d) => d.pipelineId === pipelineId)!;
      expect(mine).toMatchObject({
        executionId: exec,
        stageRefId: '4',
        pipelineName: 'Deploy payments',
        startedBy: 'alice@example.com',
        status: 'AWAITING_APPROVAL',
        ...PAYMENTS_PLACES,
        consoleUrl: expect.stringContaining(`/deployments/pipeline/${pipelineId}?environmentId=`),
        errors: [],
      });
      expect(mine.steps.map((s) => s.type)).toEqual(['deployment', 'pause', 'deployment', 'pause', 'deployment']);
      // Newest first: the staging deployment of the earlier test started before this one.
      expect(apps.deployments[0]!.pipelineId).toBe(pipelineId);

      // Its status cannot be read for a moment: the last known one stays, with the error as data.
      const fault = h.emu.faults.add({ target: 'api', path: `/pipelines/${pipelineId}`, kind: 'status', status: 503 });
      try {
        const during = v.parse(applicationDeploymentsAnswerSchema, (await read(readRoutes.applicationDeployments.path({ application: 'payments' }))).body);
        const stale = during.deployments.find((d) => d.pipelineId === pipelineId)!;
        expect(stale.status).toBe('AWAITING_APPROVAL');
        expect(stale.steps).toHaveLength(5);
        expect(stale.errors).toEqual([{ kind: 'status', status: 503, message: expect.stringMatching(/HTTP 503/) }]);
      } finally {
        fault();
      }
    } finally {
      await postJson(`${startUrl(exec, '4')}/cancel`, {});
    }
  });
});
