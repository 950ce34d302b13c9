/**
 * Bridge <-> emulator over real loopback sockets: token exchange, start, status through a whole
 * canary with approval, cancel, 401 refresh, auth server down and 429 storms.
 */
import * as v from 'valibot';

import { statusAnswerSchema, startAnswerSchema } from '@cdaas/contract/deploy';
import { agentsAnswerSchema, clustersAnswerSchema, deploymentsAnswerSchema, namespacesAnswerSchema, replicaSetsAnswerSchema } from '@cdaas/contract/read';
import { SANDBOX_CLIENT, startEmulator } from '../emulator/index';
import { waitFor } from '../../test/support/waitFor';
import { type Harness, deployRequest, getJson, postJson, startHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await waitFor(async () => ((await getJson(`${h.bridge.readUrl}/readyz`)).status === 200 ? true : undefined), 'readiness');
});
afterAll(async () => h?.close());
afterEach(() => h.emu.faults.clear());

const startUrl = (exec: string, ref: string) => `${h.bridge.deployUrl}/v1/executions/${exec}/stages/${ref}/deployment`;

describe('token', () => {
  it('is ready after one token exchange, and the secret never shows in logs', async () => {
    expect((await getJson(`${h.bridge.deployUrl}/readyz`)).status).toBe(200);
    expect(h.emu.stats.tokenRequests).toBe(1);
    expect(h.logs.join('\n')).not.toContain(h.secret);
  });
});

describe('issuer discovery', () => {
  it('finds the token endpoint in the emulator’s OIDC discovery document', async () => {
    const viaIssuer = await startHarness({}, { CDAAS_TOKEN_URL: '', CDAAS_ISSUER_URL: h.emu.issuer }, {}, h.emu);
    try {
      await waitFor(async () => ((await getJson(`${viaIssuer.bridge.readUrl}/readyz`)).status === 200 ? true : undefined), 'readiness via issuer');
      expect((await getJson(`${viaIssuer.bridge.readUrl}/v1/agents`)).status).toBe(200);
      expect(h.emu.stats.requestsByPath.get('/.well-known/openid-configuration')).toBeGreaterThanOrEqual(1);
    } finally {
      await viaIssuer.close();
    }
  });
});

describe('deploy listener against the emulator', () => {
  it('runs a canary: start, status with progress, approval, success; a restarted stage deploys again', async () => {
    const exec = '01JEXEC0000000000000000001';
    const start = await postJson(startUrl(exec, '3'), deployRequest(exec, '3'));
    expect(start.status).toBe(202);
    const answer = v.parse(startAnswerSchema, start.body);
    expect(answer.reused).toBe(false);
    expect(answer.statusUrl).toBe(`${h.bridge.deployUrl}/v1/deployments/${answer.pipelineId}`);
    expect(answer.consoleUrl).toBe(`https://console.cloud.armory.io/deployments/pipeline/${answer.pipelineId}?environmentId=${SANDBOX_CLIENT.envId}`);

    const awaiting = await waitFor(async () => {
      const s = await getJson(answer.statusUrl);
      return s.body.status === 'AWAITING_APPROVAL' ? s : undefined;
    }, 'approval step');
    expect(awaiting.headers.get('content-type')).toBe('application/json');
    const status = v.parse(statusAnswerSchema, awaiting.body);
    expect(status.progress).toBe('Canary step 2/5: 25% traffic, waiting for approval');
    expect(status.steps.filter((s) => s.awaitingApproval).map((s) => s.type)).toEqual(['pause']);

    h.emu.approve(answer.pipelineId);
    const done = await waitFor(async () => {
      const s = await getJson(answer.statusUrl);
      return s.body.status === 'SUCCEEDED' ? s : undefined;
    }, 'success');
    expect(v.parse(statusAnswerSchema, done.body).progress).toBe('Succeeded (5/5 steps done)');

    // The same execution and stage after the first deployment finished: a restarted stage.
    const again = await postJson(startUrl(exec, '3'), deployRequest(exec, '3'));
    expect(again.status).toBe(202);
    expect(again.body.reused).toBe(false);
    expect(again.body.pipelineId).not.toBe(answer.pipelineId);
    await postJson(`${startUrl(exec, '3')}/cancel`, {});
  });

  it('never starts twice for a retried start: concurrent and later duplicates reuse the running one', async () => {
    const exec = '01JEXEC0000000000000000002';
    const before = h.emu.stats.requestsByPath.get('/pipelines/kubernetes') ?? 0;
    const answers = await Promise.all(Array.from({ length: 5 }, () => postJson(startUrl(exec, '1'), deployRequest(exec, '1'))));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.pipelineId)).size).toBe(1);
    expect(answers.filter((a) => a.body.reused === false)).toHaveLength(1);
    const later = await postJson(startUrl(exec, '1'), deployRequest(exec, '1'));
    expect(later.body).toMatchObject({ pipelineId: answers[0].body.pipelineId, reused: true });
    expect((h.emu.stats.requestsByPath.get('/pipelines/kubernetes') ?? 0) - before).toBe(1);
    await postJson(`${startUrl(exec, '1')}/cancel`, {});
  });

  it('cancels by execution and stage, idempotently', async () => {
    const exec = '01JEXEC0000000000000000003';
    const start = await postJson(startUrl(exec, '2'), deployRequest(exec, '2'));
    const first = await postJson(`${startUrl(exec, '2')}/cancel`, {});
    expect(first).toMatchObject({ status: 200, body: { pipelineId: start.body.pipelineId, status: 'CANCELLED', cancelled: true } });
    const second = await postJson(`${startUrl(exec, '2')}/cancel`, {});
    expect(second).toMatchObject({ status: 200, body: { status: 'CANCELLED', cancelled: false } });
    expect((await getJson(start.body.statusUrl)).body.progress).toMatch(/^Cancelled/);
  });

  it('answers 404 to a cancel for a stage it never started', async () => {
    const res = await postJson(`${startUrl('01JNEVER', '9')}/cancel`, {});
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/no deployment known for execution 01JNEVER stage 9/);
  });

  it('passes the API refusal of a bad deploy.yml on as a 400 naming the problem', async () => {
    const exec = '01JEXEC0000000000000000004';
    const req = deployRequest(exec, '1');
    (req.deployment as { targets: unknown }).targets = { prod: { account: 'no-such-agent', namespace: 'payments', strategy: 'canary' } };
    const res = await postJson(startUrl(exec, '1'), req);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/targets.prod.account: agent "no-such-agent" is not connected/);
  });

  it('answers 409 when CD-as-a-Service rejects a start because a deployment is in progress', async () => {
    const reject = { deploymentConfig: { ifDeploymentInProgress: { strategy: 'reject' } } };
    const mk = (exec: string) => {
      const r = deployRequest(exec, '1');
      Object.assign(r.deployment as object, { application: 'conflicted' }, reject);
      return r;
    };
    const a = await postJson(startUrl('01JCONFLICTA', '1'), mk('01JCONFLICTA'));
    expect(a.status).toBe(202);
    const b = await postJson(startUrl('01JCONFLICTB', '1'), mk('01JCONFLICTB'));
    expect(b.status).toBe(409);
    expect(b.body.error).toMatch(/in progress/);
    await postJson(`${startUrl('01JCONFLICTA', '1')}/cancel`, {});
  });

  it('survives an expired token: one refresh, one retry, the call succeeds', async () => {
    const tokensBefore = h.emu.stats.tokenRequests;
    h.emu.faults.add({ target: 'api', kind: 'expiredToken', times: 1 });
    const res = await getJson(`${h.bridge.readUrl}/v1/clusters/staging/namespaces`);
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([]);
    expect(h.emu.stats.tokenRequests - tokensBefore).toBe(1);
  });

  it('rides out a 429 storm by honouring Retry-After', async () => {
    const path = '/agents/legacy-onprem/kubernetes/deployments';
    h.emu.faults.add({ target: 'api', path, kind: 'rateLimit', retryAfterSeconds: 1, times: 2 });
    const before = h.emu.stats.requestsByPath.get(path) ?? 0;
    const t0 = Date.now();
    const res = await getJson(`${h.bridge.readUrl}/v1/clusters/legacy-onprem/deployments`);
    expect(res.status).toBe(200);
    expect(v.parse(deploymentsAnswerSchema, res.body).items.map((d) => d.name)).toEqual(['billing-batch', 'invoice-renderer']);
    expect((h.emu.stats.requestsByPath.get(path) ?? 0) - before).toBe(3);
    // A lower bound, not a speed check: two waits of at least Retry-After (1 s) each.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
  });

  it('reports a storm that outlasts its retries as the cluster error, not a failed answer', async () => {
    h.emu.faults.add({ target: 'api', path: '/agents/staging/kubernetes/replicasets', kind: 'status', status: 429 });
    const res = await getJson(`${h.bridge.readUrl}/v1/clusters/staging/replicasets`);
    expect(res.status).toBe(200);
    expect(v.parse(replicaSetsAnswerSchema, res.body).errors).toEqual([{ kind: 'status', status: 429, message: expect.stringMatching(/HTTP 429/) }]);
  });
});

describe('read listener against the emulator', () => {
  it('lists agents without client ids or addresses', async () => {
    const res = await getJson(`${h.bridge.readUrl}/v1/agents`);
    const answer = v.parse(agentsAnswerSchema, res.body);
    expect(answer.agents.map((a) => a.agentIdentifier).sort()).toEqual(['edge-eu-central', 'legacy-onprem', 'prod-us-east', 'staging']);
    expect(JSON.stringify(res.body)).not.toMatch(/clientId|ipAddress|nodeIp|streamId|orgId/);
  });

  it('summarises clusters with versions, support below 1.16, and per-cluster errors as data', async () => {
    h.emu.faults.add({ target: 'api', path: '/agents/staging/kubernetes/cluster', kind: 'status', status: 404 });
    // A second bridge on the same emulator, so the first bridge's cached /v1/clusters answer is not reused.
    const fresh = await startHarness({}, {}, {}, h.emu);
    try {
      const res = await getJson(`${fresh.bridge.readUrl}/v1/clusters`);
      expect(res.status).toBe(200);
      const byName = Object.fromEntries(v.parse(clustersAnswerSchema, res.body).clusters.map((c) => [c.cluster, c]));
      expect(byName['prod-us-east']).toEqual({ cluster: 'prod-us-east', kubernetesVersion: '1.29.4', supported: true, errors: [] });
      expect(byName['legacy-onprem']).toMatchObject({ kubernetesVersion: '1.15.12', supported: false, errors: [] });
      expect(byName.staging.errors).toEqual([{ kind: 'status', status: 404, message: expect.stringMatching(/HTTP 404/) }]);
    } finally {
      await fresh.close();
    }
  });

  it('serves namespaces and deployments per cluster in the read contract shape', async () => {
    const ns = await getJson(`${h.bridge.readUrl}/v1/clusters/prod-us-east/namespaces`);
    expect(v.parse(namespacesAnswerSchema, ns.body).items.map((n) => n.name)).toContain('payments');
    const deps = await getJson(`${h.bridge.readUrl}/v1/clusters/prod-us-east/deployments`);
    const parsed = v.parse(deploymentsAnswerSchema, deps.body);
    expect(parsed.items.find((d) => d.name === 'checkout-web')).toMatchObject({ namespace: 'checkout', replicas: 4, readyReplicas: 3 });
  });

  it('an unknown cluster is an error in the answer, not a failed request', async () => {
    const res = await getJson(`${h.bridge.readUrl}/v1/clusters/nowhere/namespaces`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ cluster: 'nowhere', items: [], errors: [{ kind: 'status', status: 404, message: expect.stringMatching(/not known/) }] });
  });

  it('serves a deployment’s status to Deck, and an unknown one as 404', async () => {
    const exec = '01JREADSTATUS';
    const start = await postJson(startUrl(exec, '1'), deployRequest(exec, '1'));
    const res = await getJson(`${h.bridge.readUrl}/v1/deployments/${start.body.pipelineId}`);
    expect(res.status).toBe(200);
    expect(v.parse(statusAnswerSchema, res.body).pipelineId).toBe(start.body.pipelineId);
    const missing = await getJson(`${h.bridge.readUrl}/v1/deployments/00000000-0000-0000-0000-000000000000`);
    expect(missing.status).toBe(404);
    await postJson(`${startUrl(exec, '1')}/cancel`, {});
  });

  it('reports a dropped connection as a network error of that cluster', async () => {
    h.emu.faults.add({ target: 'api', path: '/agents/prod-us-east/kubernetes/replicasets', kind: 'drop' });
    const res = await getJson(`${h.bridge.readUrl}/v1/clusters/prod-us-east/replicasets`);
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([{ kind: 'network', message: expect.stringMatching(/^CD-as-a-Service unreachable for cacheReplicaSets: /) }]);
  });

  it('coalesces 50 concurrent polls of one resource into one upstream call', async () => {
    const before = h.emu.stats.requestsByPath.get('/agents/staging/kubernetes/deployments') ?? 0;
    const all = await Promise.all(Array.from({ length: 50 }, () => getJson(`${h.bridge.readUrl}/v1/clusters/staging/deployments`)));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect((h.emu.stats.requestsByPath.get('/agents/staging/kubernetes/deployments') ?? 0) - before).toBe(1);
  });
});

describe('auth server trouble', () => {
  it('is not ready and answers 503 naming the token exchange while the auth server is down', async () => {
    const emu = await startEmulator({ stepIntervalMs: 60 });
    emu.faults.add({ target: 'auth', kind: 'drop' });
    const down = await startHarness({}, { CDAAS_RETRIES: '1' }, { warmupRetryMs: 60_000 }, emu);
    try {
      const ready = await waitFor(async () => {
        const r = await getJson(`${down.bridge.deployUrl}/readyz`);
        return r.body.error !== 'not ready: no token exchange yet' ? r : undefined;
      }, 'first token failure');
      expect(ready.status).toBe(503);
      expect(ready.body.error).toMatch(/^not ready: token exchange at http:\/\/127\.0\.0\.1:\d+\/oauth\/token failed: /);
      const exec = '01JAUTHDOWN';
      const res = await postJson(`${down.bridge.deployUrl}/v1/executions/${exec}/stages/1/deployment`, deployRequest(exec, '1'));
      expect(res.status).toBe(503);
      expect(res.body.error).toMatch(/could not get a CD-as-a-Service token: token exchange at .* failed/);
      // Back up: once the token backoff has passed, Orca's retry succeeds without restarting the bridge.
      emu.faults.clear();
      const ok = await waitFor(async () => {
        const r = await postJson(`${down.bridge.deployUrl}/v1/executions/${exec}/stages/1/deployment`, deployRequest(exec, '1'));
        return r.status === 503 ? undefined : r;
      }, 'a start after the auth server is back', { timeoutMs: 15_000, everyMs: 100 });
      expect(ok.status).toBe(202);
      expect((await getJson(`${down.bridge.deployUrl}/readyz`)).status).toBe(200);
      expect(down.logs.join('\n')).not.toContain(down.secret);
    } finally {
      await down.close();
      await emu.close();
    }
  });

  it('names the OAuth error when the client secret is wrong', async () => {
    const wrong = await startHarness({}, { CDAAS_CLIENT_SECRET: 'wrong-secret-value' }, { warmupRetryMs: 60_000 }, h.emu);
    try {
      const ready = await waitFor(async () => {
        const r = await getJson(`${wrong.bridge.readUrl}/readyz`);
        return r.body.error !== 'not ready: no token exchange yet' ? r : undefined;
      }, 'token failure');
      expect(ready.body.error).toMatch(/HTTP 401: invalid_client/);
      expect(JSON.stringify(ready.body) + wrong.logs.join('\n')).not.toContain('wrong-secret-value');
    } finally {
      await wrong.close();
    }
  });
});
