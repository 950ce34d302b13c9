/**
 * The read listener over a real loopback socket, its CD-as-a-Service client against msw
 * (fail-closed: an upstream call no handler expects fails the test). Answers are checked with the
 * contract's valibot schemas, as Deck reads them.
 */
import type { Server } from 'node:http';

import axios from 'axios';
import { http, HttpResponse, passthrough } from 'msw';
import * as v from 'valibot';

import { statusAnswerSchema } from '@cdaas/contract/deploy';
import {
  agentsAnswerSchema,
  applicationDeploymentsAnswerSchema,
  clustersAnswerSchema,
  deploymentsAnswerSchema,
  namespacesAnswerSchema,
  readRoutes,
  replicaSetsAnswerSchema,
} from '@cdaas/contract/read';
import { failClosedServer, fakeJwt } from '../../test/msw';
import type { TokenSource } from '../auth/tokenSource';
import { HttpCdaasClient } from '../cdaas/client';
import type { UpstreamPipeline } from '../cdaas/upstream';
import { type Reply, createListener, listen } from '../http/server';
import { silentLogger } from '../observability/log';
import { BridgeMetrics } from '../observability/metrics';
import { TtlCache } from './cache';
import { MemoryStateStore } from '../state/memoryStore';
import type { DeploymentLedger, LedgerEntry } from './ledger';
import { readListenerRoutes } from './listener';
import { PAYMENTS_PLACES } from '../../test/payments';

const API = 'https://api.test';
const server = failClosedServer();

const tokens: TokenSource = { getToken: async () => fakeJwt(1), invalidate: () => undefined, principal: () => undefined };

/** Shaped like GET /identity/connected-agents (see shared/reference/cdaas-api.md). */
const agent = (agentIdentifier: string, k8sClusterRoleSupport: unknown = true) => ({
  agentIdentifier,
  agentInstanceUuid: 'b0f5c1de-0000-4000-8000-000000000001',
  agentVersion: '1.0.83',
  clientId: 'rna-client-secret-ish-id',
  connectedAtIso8601: '2026-11-24T08:00:00Z',
  envId: 'env-1',
  hubInstanceUuid: 'h1',
  ipAddress: '10.1.2.3',
  k8sClusterRoleSupport,
  lastHeartbeatAtIso8601: '2026-11-24T21:00:00Z',
  nodeIp: '10.0.0.5',
  orgId: 'org-1',
  streamId: 's1',
});

const owner = (name: string) => [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: '5d3c2b1a-0000-4000-a000-000000000001', controller: true, blockOwnerDeletion: true }];
const rs = (name: string, revision: string, replicas: number, images: string[]) => ({
  namespace: 'payments',
  name,
  deployment: 'payments-api',
  ownerReferences: owner('payments-api'),
  replicas,
  readyReplicas: replicas,
  availableReplicas: replicas,
  images,
  revision,
  createdAtIso8601: `2026-11-${revision}T09:00:00Z`,
  labels: { app: 'payments-api', 'pod-template-hash': name.split('-').pop()! },
});
const REPLICA_SETS = {
  items: [
    rs('payments-api-7c9f8d6b5x', '13', 0, ['registry.example.com/payments/api:2.13.0']),
    rs('payments-api-5b8c7d9f4q', '14', 3, ['registry.example.com/payments/api:2.14.1']),
    rs('payments-api-9d7f6c5b8z', '15', 1, ['registry.example.com/payments/api:2.15.0']),
  ],
};

/** Shaped like GET /pipelines/{id} in the middle of a canary: 25 % reached, waiting for approval. */
function pipelineAnswer(id: string, status: UpstreamPipeline['status'] = 'AWAITING_APPROVAL'): UpstreamPipeline {
  const step = (n: number, type: string, s: UpstreamPipeline['status'], extra: Record<string, unknown> = {}) => ({
    status: s,
    ref: `prod-${n}`,
    dependsOn: n > 1 ? [`prod-${n - 1}`] : [],
    type,
    deployment: { id: 'd-1', environment: 'prod', step: n, totalSteps: 3, ...extra },
    ...(type === 'pause' ? { pause: { untilApproved: true } } : {}),
    ...(s !== 'QUEUED' ? { startedAtIso8601: `2026-11-25T10:0${n}:00Z` } : {}),
    ...(s === 'SUCCEEDED' ? { completedAtIso8601: `2026-11-25T10:0${n}:30Z` } : {}),
  });
  const done = status === 'SUCCEEDED';
  return {
    id,
    startedAtIso8601: '2026-11-25T10:00:00Z',
    ...(done ? { completedAtIso8601: '2026-11-25T10:09:00Z' } : {}),
    application: 'payments',
    status,
    steps: [
      step(1, 'deployment', 'SUCCEEDED', { weight: 25 }),
      step(2, 'pause', done ? 'SUCCEEDED' : 'AWAITING_APPROVAL'),
      step(3, 'deployment', done ? 'SUCCEEDED' : 'QUEUED', { weight: 100 }),
    ],
  };
}

const entry = (pipelineId: string, startedAt: number, over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  pipelineId,
  executionId: `01JEXEC${pipelineId}`,
  stageRefId: '3',
  application: 'payments',
  pipelineName: 'Deploy payments',
  user: 'alice@example.com',
  ...PAYMENTS_PLACES,
  startedAt,
  updatedAt: startedAt,
  ...over,
});

let listener: Server;
let base: string;
let store: MemoryStateStore;
// The deploy listener records starts in the state store; these tests record them directly.
const ledger = {
  record: (e: LedgerEntry) => void store.put({ ...e, warnings: [] }),
  recordStatus: (id: string, s: LedgerEntry['lastStatus'] & string) => store.recordStatus(id, s, NOW()),
  listByApplication: (application: string) => store.listByApplication(application),
};
const NOW = () => Date.parse('2026-11-25T12:00:00Z');

async function start(ttlMs = 0, ledgerOverride?: DeploymentLedger) {
  // The fixtures' clock: entries older than a day would be forgotten.
  store = new MemoryStateStore({ now: NOW });
  const retry = { retries: 0, baseMs: 1, maxDelayMs: 1 };
  const client = new HttpCdaasClient(axios.create({ baseURL: API }), tokens, { retry, timeoutMs: 2000 });
  listener = createListener({
    name: 'read',
    routes: readListenerRoutes({
      client,
      cache: new TtlCache<Reply>({ ttlMs }),
      pipelines: new TtlCache<UpstreamPipeline>({ ttlMs }),
      ledger: ledgerOverride ?? store,
      onStatus: (id, s) => ledger.recordStatus(id, s),
      consoleBaseUrl: 'https://console.cloud.armory.io',
      envId: () => 'env-1',
    }),
    logger: silentLogger,
    metrics: new BridgeMetrics(),
    maxBodyBytes: 1024,
    allowedCidrs: [],
    onlyMethods: ['GET'],
    ready: () => ({ ready: true }),
  });
  base = await listen(listener, '127.0.0.1', 0);
  // The test talks to the listener over loopback; only upstream calls go to msw.
  server.use(http.all(`${base}/*`, () => passthrough()));
}
afterEach(() => new Promise<void>((r) => listener.close(() => r())));

async function get(path: string, init?: RequestInit) {
  const res = await fetch(base + path, init);
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
}

describe('GET /v1/agents', () => {
  it('lists connected agents with only the contract fields, accounts deployed to that are gone as disconnected, and the heartbeat threshold', async () => {
    await start();
    server.use(http.get(`${API}/identity/connected-agents`, () => HttpResponse.json([agent('prod-us-east'), agent('legacy-onprem', false), agent('odd', 'yes')])));
    ledger.record(entry('p-1', Date.parse('2026-11-25T08:00:00Z'), { targets: [{ name: 'dr', account: 'dr-eu-west' }], resources: [] }));
    ledger.record(entry('p-2', Date.parse('2026-11-25T09:00:00Z'), { targets: [{ name: 'dr', account: 'dr-eu-west' }, { name: 'prod', account: 'prod-us-east' }] }));

    const res = await get(readRoutes.agents.path());
    expect(res.status).toBe(200);
    const answer = v.parse(agentsAnswerSchema, res.body);
    expect(answer.agents).toEqual([
      { agentIdentifier: 'prod-us-east', agentVersion: '1.0.83', connectedAt: '2026-11-24T08:00:00Z', lastHeartbeatAt: '2026-11-24T21:00:00Z', clusterRoleSupport: true },
      { agentIdentifier: 'legacy-onprem', agentVersion: '1.0.83', connectedAt: '2026-11-24T08:00:00Z', lastHeartbeatAt: '2026-11-24T21:00:00Z', clusterRoleSupport: false },
      // Not a boolean: no claim either way.
      { agentIdentifier: 'odd', agentVersion: '1.0.83', connectedAt: '2026-11-24T08:00:00Z', lastHeartbeatAt: '2026-11-24T21:00:00Z' },
    ]);
    expect(answer.disconnected).toEqual([{ agentIdentifier: 'dr-eu-west', lastDeployedAt: '2026-11-25T09:00:00.000Z' }]);
    expect(answer.heartbeatStaleAfterSeconds).toBe(120);
    expect(JSON.stringify(res.body)).not.toMatch(/clientId|ipAddress|nodeIp|streamId|orgId|rna-client/);
  });

  it('answers 503 with the upstream wording when connected-agents fails as a whole', async () => {
    await start();
    server.use(http.get(`${API}/identity/connected-agents`, () => HttpResponse.json({ error_id: 'e', errors: [{ message: 'hub down' }] }, { status: 502 })));
    const res = await get(readRoutes.agents.path());
    expect(res).toMatchObject({ status: 503, body: { error: expect.stringMatching(/HTTP 502 to connectedAgents: hub down/) } });
  });
});

describe('GET /v1/clusters and /v1/deployments/:pipelineId', () => {
  it('summarises each connected cluster: below 1.16 unsupported, one agent’s 500 as its error beside the others', async () => {
    await start();
    server.use(
      http.get(`${API}/identity/connected-agents`, () => HttpResponse.json([agent('prod-us-east'), agent('legacy-onprem'), agent('edge-eu-central')])),
      http.get(`${API}/agents/prod-us-east/kubernetes/cluster`, () => HttpResponse.json({ agentIdentifier: 'prod-us-east', kubernetesVersion: 'v1.29.4' })),
      http.get(`${API}/agents/legacy-onprem/kubernetes/cluster`, () => HttpResponse.json({ agentIdentifier: 'legacy-onprem', kubernetesVersion: '1.15.12' })),
      http.get(`${API}/agents/edge-eu-central/kubernetes/cluster`, () => HttpResponse.json({ error_id: 'e', errors: [{ message: 'cache down' }] }, { status: 500 })),
    );
    const answer = v.parse(clustersAnswerSchema, (await get(readRoutes.clusters.path())).body);
    expect(answer.clusters).toEqual([
      { cluster: 'edge-eu-central', errors: [{ kind: 'status', status: 500, message: 'CD-as-a-Service answered HTTP 500 to cacheCluster: cache down' }] },
      { cluster: 'legacy-onprem', kubernetesVersion: '1.15.12', supported: false, errors: [] },
      { cluster: 'prod-us-east', kubernetesVersion: 'v1.29.4', supported: true, errors: [] },
    ]);
  });

  it('serves a deployment’s status from the shared pipeline cache, and an unknown one as 404', async () => {
    await start(5000);
    let reads = 0;
    server.use(
      http.get(`${API}/pipelines/p-run`, () => (reads++, HttpResponse.json(pipelineAnswer('p-run')))),
      http.get(`${API}/pipelines/p-none`, () => HttpResponse.json({ error_id: 'e', errors: [{ message: 'pipeline p-none not found' }] }, { status: 404 })),
    );
    ledger.record(entry('p-run', Date.parse('2026-11-25T10:00:00Z')));
    const status = v.parse(statusAnswerSchema, (await get(readRoutes.deploymentStatus.path({ pipelineId: 'p-run' }))).body);
    expect(status).toMatchObject({ pipelineId: 'p-run', status: 'AWAITING_APPROVAL' });
    // The application answer reuses the status just read.
    expect((await get(readRoutes.applicationDeployments.path({ application: 'payments' }))).status).toBe(200);
    expect(reads).toBe(1);
    expect(await get(readRoutes.deploymentStatus.path({ pipelineId: 'p-none' }))).toMatchObject({ status: 404, body: { error: expect.stringContaining('not found') } });
  });
});

describe('GET /v1/clusters/:agent/{namespaces,deployments}', () => {
  it('passes labels and replica counts through in the contract shape', async () => {
    await start();
    server.use(
      http.get(`${API}/agents/prod-us-east/kubernetes/namespaces`, () =>
        HttpResponse.json({ items: [{ name: 'payments', status: 'Active', labels: { 'kubernetes.io/metadata.name': 'payments' } }] }),
      ),
      http.get(`${API}/agents/prod-us-east/kubernetes/deployments`, () =>
        HttpResponse.json({
          items: [
            {
              namespace: 'payments', name: 'payments-api', replicas: 4, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 1,
              images: ['registry.example.com/payments/api:2.15.0'], revision: '15', createdAtIso8601: '2026-08-01T09:00:00Z',
              labels: { app: 'payments-api', 'app.kubernetes.io/name': 'payments-api' },
            },
          ],
        }),
      ),
    );
    const ns = v.parse(namespacesAnswerSchema, (await get(readRoutes.namespaces.path({ agent: 'prod-us-east' }))).body);
    expect(ns).toEqual({ cluster: 'prod-us-east', items: [{ name: 'payments', status: 'Active', labels: { 'kubernetes.io/metadata.name': 'payments' } }], errors: [] });
    const deps = v.parse(deploymentsAnswerSchema, (await get(readRoutes.deployments.path({ agent: 'prod-us-east' }))).body);
    expect(deps.items).toEqual([
      {
        namespace: 'payments', name: 'payments-api', replicas: 4, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 1,
        images: ['registry.example.com/payments/api:2.15.0'], revision: '15', createdAt: '2026-08-01T09:00:00Z',
        labels: { app: 'payments-api', 'app.kubernetes.io/name': 'payments-api' },
      },
    ]);
  });

  it('turns one agent’s 5xx, unexpected shape and unknown agent into that cluster’s errors, never a failed answer', async () => {
    await start();
    server.use(
      http.get(`${API}/agents/flaky/kubernetes/deployments`, () => HttpResponse.json({ error_id: 'e', errors: [{ message: 'cache timeout' }] }, { status: 500 })),
      http.get(`${API}/agents/odd/kubernetes/deployments`, () => HttpResponse.json({ items: [{ name: 'no-namespace' }] })),
      http.get(`${API}/agents/nowhere/kubernetes/namespaces`, () => HttpResponse.json({ error_id: 'e', errors: [{ message: 'agent nowhere is not known' }] }, { status: 404 })),
    );
    const flaky = await get(readRoutes.deployments.path({ agent: 'flaky' }));
    expect(flaky.status).toBe(200);
    expect(v.parse(deploymentsAnswerSchema, flaky.body)).toEqual({
      cluster: 'flaky',
      items: [],
      errors: [{ kind: 'status', status: 500, message: 'CD-as-a-Service answered HTTP 500 to cacheDeployments: cache timeout' }],
    });
    const odd = v.parse(deploymentsAnswerSchema, (await get(readRoutes.deployments.path({ agent: 'odd' }))).body);
    expect(odd.errors).toEqual([{ kind: 'invalid', message: expect.stringMatching(/^CD-as-a-Service answered cacheDeployments with an unexpected shape: items\.0\.namespace/) }]);
    const unknown = v.parse(namespacesAnswerSchema, (await get(readRoutes.namespaces.path({ agent: 'nowhere' }))).body);
    expect(unknown.errors).toEqual([{ kind: 'status', status: 404, message: expect.stringContaining('not known') }]);
  });

  it('is GET only and refuses paths outside the contract', async () => {
    await start();
    const post = await get(readRoutes.namespaces.path({ agent: 'prod-us-east' }), { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect((await get('/v1/clusters/prod-us-east/secrets')).status).toBe(404);
    expect((await get('/v1/clusters/..%2Fidentity/namespaces')).status).toBe(400);
  });
});

describe('GET /v1/clusters/:agent/replicasets', () => {
  const replicaSets = () => server.use(http.get(`${API}/agents/prod-us-east/kubernetes/replicasets`, () => HttpResponse.json(REPLICA_SETS)));

  it('marks the canary and stable replica sets of a running deployment this bridge started, with the weight reached', async () => {
    await start();
    replicaSets();
    let pipelineReads = 0;
    server.use(http.get(`${API}/pipelines/p-run`, () => (pipelineReads++, HttpResponse.json(pipelineAnswer('p-run')))));
    ledger.record(entry('p-run', Date.parse('2026-11-25T10:00:00Z')));

    const answer = v.parse(replicaSetsAnswerSchema, (await get(readRoutes.replicaSets.path({ agent: 'prod-us-east' }))).body);
    const byName = Object.fromEntries(answer.items.map((r) => [r.name, r]));
    const traffic = { pipelineId: 'p-run', status: 'AWAITING_APPROVAL', weight: 25, step: 2, totalSteps: 3 };
    expect(byName['payments-api-9d7f6c5b8z']!.traffic).toEqual({ ...traffic, role: 'canary' });
    expect(byName['payments-api-5b8c7d9f4q']!.traffic).toEqual({ ...traffic, role: 'stable' });
    expect(byName['payments-api-7c9f8d6b5x']!.traffic).toBeUndefined();
    // Owners as the contract has them: kind and name, the owning Deployment named.
    expect(byName['payments-api-9d7f6c5b8z']).toMatchObject({
      deployment: 'payments-api',
      ownerReferences: [{ kind: 'Deployment', name: 'payments-api' }],
      availableReplicas: 1,
      createdAt: '2026-11-15T09:00:00Z',
      labels: { app: 'payments-api', 'pod-template-hash': '9d7f6c5b8z' },
    });
    expect(pipelineReads).toBe(1);
  });

  it('reads no status for deployments known to have ended, and adds no traffic for them', async () => {
    await start();
    replicaSets();
    ledger.record(entry('p-old', Date.parse('2026-11-25T08:00:00Z'), { lastStatus: 'SUCCEEDED' }));
    // No /pipelines handler: a status read would fail the test (fail-closed msw).
    const answer = v.parse(replicaSetsAnswerSchema, (await get(readRoutes.replicaSets.path({ agent: 'prod-us-east' }))).body);
    expect(answer.items.every((r) => r.traffic === undefined)).toBe(true);
    expect(answer.errors).toEqual([]);
  });

  it('still lists the replica sets when the running deployment’s status cannot be read', async () => {
    await start();
    replicaSets();
    server.use(http.get(`${API}/pipelines/p-run`, () => HttpResponse.json({ error_id: 'e', errors: [{ message: 'down' }] }, { status: 503 })));
    ledger.record(entry('p-run', Date.parse('2026-11-25T10:00:00Z')));
    const answer = v.parse(replicaSetsAnswerSchema, (await get(readRoutes.replicaSets.path({ agent: 'prod-us-east' }))).body);
    expect(answer.items).toHaveLength(3);
    expect(answer.items.every((r) => r.traffic === undefined)).toBe(true);
    expect(answer.errors).toEqual([]);
  });
});

describe('GET /v1/applications/:application/deployments', () => {
  it('lists this application’s deployments newest first with status, steps, links, targets and resources', async () => {
    await start();
    server.use(
      http.get(`${API}/pipelines/p-new`, () => HttpResponse.json(pipelineAnswer('p-new'))),
      http.get(`${API}/pipelines/p-old`, () => HttpResponse.json(pipelineAnswer('p-old', 'SUCCEEDED'))),
    );
    ledger.record(entry('p-old', Date.parse('2026-11-25T08:00:00Z')));
    ledger.record(entry('p-new', Date.parse('2026-11-25T10:00:00Z')));
    ledger.record(entry('p-other', Date.parse('2026-11-25T11:00:00Z'), { application: 'checkout' }));

    const res = await get(readRoutes.applicationDeployments.path({ application: 'payments' }));
    expect(res.status).toBe(200);
    const answer = v.parse(applicationDeploymentsAnswerSchema, res.body);
    expect(answer.application).toBe('payments');
    expect(answer.deployments.map((d) => [d.pipelineId, d.status])).toEqual([['p-new', 'AWAITING_APPROVAL'], ['p-old', 'SUCCEEDED']]);
    const [newest, oldest] = answer.deployments;
    expect(newest).toMatchObject({
      executionId: '01JEXECp-new',
      stageRefId: '3',
      pipelineName: 'Deploy payments',
      startedBy: 'alice@example.com',
      startedAt: '2026-11-25T10:00:00Z',
      consoleUrl: 'https://console.cloud.armory.io/deployments/pipeline/p-new?environmentId=env-1',
      ...PAYMENTS_PLACES,
      errors: [],
    });
    expect(newest!.steps.map((s) => [s.type, s.status, s.weight])).toEqual([['deployment', 'SUCCEEDED', 25], ['pause', 'AWAITING_APPROVAL', undefined], ['deployment', 'QUEUED', 100]]);
    expect(newest!.completedAt).toBeUndefined();
    expect(oldest!.completedAt).toBe('2026-11-25T10:09:00Z');
    // The status reads went into the ledger too.
    expect((await ledger.listByApplication('payments')).map((e) => e.lastStatus).sort()).toEqual(['AWAITING_APPROVAL', 'SUCCEEDED']);
  });

  it('keeps the last known status with the refresh error as data, and never re-reads a finished one', async () => {
    await start();
    let fail = false;
    const reads = { run: 0, done: 0 };
    server.use(
      http.get(`${API}/pipelines/p-run`, () => {
        reads.run++;
        return fail ? HttpResponse.json({ error_id: 'e', errors: [{ message: 'pipelines service down' }] }, { status: 503 }) : HttpResponse.json(pipelineAnswer('p-run'));
      }),
      http.get(`${API}/pipelines/p-done`, () => (reads.done++, HttpResponse.json(pipelineAnswer('p-done', 'SUCCEEDED')))),
    );
    ledger.record(entry('p-done', Date.parse('2026-11-25T08:00:00Z')));
    ledger.record(entry('p-run', Date.parse('2026-11-25T10:00:00Z')));
    ledger.record(entry('p-never', Date.parse('2026-11-25T11:00:00Z'), { lastStatus: 'RUNNING', updatedAt: Date.parse('2026-11-25T11:01:00Z') }));
    server.use(http.get(`${API}/pipelines/p-never`, () => HttpResponse.json({ error_id: 'e', errors: [{ message: 'down' }] }, { status: 503 })));

    const first = v.parse(applicationDeploymentsAnswerSchema, (await get(readRoutes.applicationDeployments.path({ application: 'payments' }))).body);
    expect(first.deployments.find((d) => d.pipelineId === 'p-run')!.errors).toEqual([]);
    fail = true;
    const second = v.parse(applicationDeploymentsAnswerSchema, (await get(readRoutes.applicationDeployments.path({ application: 'payments' }))).body);
    const run = second.deployments.find((d) => d.pipelineId === 'p-run')!;
    expect(run.status).toBe('AWAITING_APPROVAL');
    expect(run.steps).toHaveLength(3);
    expect(run.errors).toEqual([{ kind: 'status', status: 503, message: expect.stringContaining('pipelines service down') }]);
    // Never read successfully: the ledger's last status, no steps, the error.
    expect(second.deployments.find((d) => d.pipelineId === 'p-never')).toMatchObject({
      status: 'RUNNING',
      steps: [],
      startedAt: '2026-11-25T11:00:00.000Z',
      updatedAt: '2026-11-25T11:01:00.000Z',
      errors: [{ kind: 'status', status: 503 }],
    });
    expect(reads).toEqual({ run: 2, done: 1 });
  });

  it('coalesces concurrent polls of one application into one status read per deployment', async () => {
    await start(5000);
    let reads = 0;
    server.use(http.get(`${API}/pipelines/p-run`, async () => (reads++, HttpResponse.json(pipelineAnswer('p-run')))));
    ledger.record(entry('p-run', Date.parse('2026-11-25T10:00:00Z')));
    const all = await Promise.all(Array.from({ length: 20 }, () => get(readRoutes.applicationDeployments.path({ application: 'payments' }))));
    expect(all.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(reads).toBe(1);
  });

  it('answers an application with no deployments from this bridge with an empty list', async () => {
    await start();
    expect(v.parse(applicationDeploymentsAnswerSchema, (await get(readRoutes.applicationDeployments.path({ application: 'nothing-here' }))).body)).toEqual({ application: 'nothing-here', deployments: [] });
  });
});

describe('when the ledger cannot be read (a shared store is down)', () => {
  const broken: DeploymentLedger = {
    listAll: () => Promise.reject(new Error('redis: connection refused')),
    listByApplication: () => Promise.reject(new Error('redis: connection refused')),
  };

  it('still lists the connected agents and replica sets, leaving out only what the ledger adds', async () => {
    await start(0, broken);
    server.use(
      http.get(`${API}/identity/connected-agents`, () => HttpResponse.json([agent('prod-us-east')])),
      http.get(`${API}/agents/prod-us-east/kubernetes/replicasets`, () => HttpResponse.json(REPLICA_SETS)),
    );
    const agents = v.parse(agentsAnswerSchema, (await get(readRoutes.agents.path())).body);
    expect(agents.agents.map((a) => a.agentIdentifier)).toEqual(['prod-us-east']);
    expect(agents.disconnected).toBeUndefined();
    const sets = v.parse(replicaSetsAnswerSchema, (await get(readRoutes.replicaSets.path({ agent: 'prod-us-east' }))).body);
    expect(sets.items).toHaveLength(3);
    expect(sets.errors).toEqual([]);
  });

  it('answers the application’s deployments 503, naming the record it could not read', async () => {
    await start(0, broken);
    expect(await get(readRoutes.applicationDeployments.path({ application: 'payments' }))).toMatchObject({
      status: 503,
      body: { error: 'the bridge could not read its record of the deployments it started: redis: connection refused' },
    });
  });
});
