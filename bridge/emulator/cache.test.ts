import {
  cacheClusterSchema,
  cacheDeploymentsSchema,
  cacheNamespacesSchema,
  cacheReplicaSetsSchema,
  cacheServicesSchema,
  startPipelineAnswerSchema,
  upstreamRoutes,
} from '../src/cdaas/upstream.js';
import { ClusterCache, seededCanaryWeight } from './cache.js';
import { CONTROL_PREFIX, DEFAULT_AGENTS, scaleAgents, seedFromEnv, startEmulator, type Emulator } from './index.js';
import { PipelineStore } from './pipelines.js';
import { waitFor } from '../../test/support/waitFor';
import { potatoFacts } from './potatoFacts.js';
import { ApiClient, canaryDeployment, POTATO, POTATO_OPTIONS, token, type ApiErrorJson, useEmulator } from './testkit.js';

describe('agents\' Kubernetes cache', () => {
  let emu: Emulator;
  let api: ApiClient;
  useEmulator({ stepIntervalMs: 40 }, (e, a) => ((emu = e), (api = a)));

  it('serves each seeded cluster\'s Kubernetes version, one of them below 1.16', async () => {
    const versions: Record<string, string> = {};
    for (const agent of ['prod-us-east', 'staging', 'legacy-onprem']) {
      const res = await api.get(upstreamRoutes.cacheCluster.path({ agent: agent }));
      expect(res.status).toBe(200);
      const cluster = cacheClusterSchema.parse(await res.json());
      expect(cluster.agentIdentifier).toBe(agent);
      versions[agent] = cluster.kubernetesVersion;
    }
    expect(versions).toEqual({ 'prod-us-east': '1.29.4', staging: '1.27.3', 'legacy-onprem': '1.15.12' });
  });

  it('serves namespaces, deployments and the replica sets they own, consistently', async () => {
    const namespaces = cacheNamespacesSchema.parse(await api.json(api.get(upstreamRoutes.cacheNamespaces.path({ agent: 'prod-us-east' }))));
    expect(namespaces.items.map((n) => n.name)).toEqual(['checkout', 'default', 'kube-system', 'monitoring', 'payments']);
    expect(namespaces.items.every((n) => n.status === 'Active')).toBe(true);

    const deployments = cacheDeploymentsSchema.parse(await api.json(api.get(upstreamRoutes.cacheDeployments.path({ agent: 'prod-us-east' }))));
    const checkout = deployments.items.find((d) => d.name === 'checkout-web')!;
    expect(checkout).toMatchObject({ namespace: 'checkout', replicas: 4, readyReplicas: 3, revision: '31', images: ['registry.example.com/checkout/web:5.2.0'] });
    const worker = deployments.items.find((d) => d.name === 'payments-worker')!;
    expect(worker.images).toHaveLength(2);

    const replicaSets = cacheReplicaSetsSchema.parse(await api.json(api.get(upstreamRoutes.cacheReplicaSets.path({ agent: 'prod-us-east' }))));
    // checkout-api is the seeded canary: two live replica sets (tested below).
    for (const d of deployments.items.filter((x) => x.name !== 'checkout-api')) {
      const owned = replicaSets.items.filter((rs) => rs.deployment === d.name && rs.namespace === d.namespace);
      expect(owned.length, d.name).toBeGreaterThanOrEqual(1);
      const current = owned.find((rs) => rs.revision === d.revision)!;
      expect(current.replicas, d.name).toBe(d.replicas);
      expect(current.name).toMatch(new RegExp(`^${d.name}-[a-z0-9]{10}$`));
      expect(owned.filter((rs) => rs !== current).every((rs) => rs.replicas === 0 && Number(rs.revision) < Number(d.revision))).toBe(true);
    }
  });

  it("serves an agent's Services, of one namespace on ?namespace=, and 404 for an agent that sends none", async () => {
    const all = cacheServicesSchema.parse(await api.json(api.get(upstreamRoutes.cacheServices.path({ agent: 'staging' }))));
    expect(all.items.map((s) => `${s.namespace}/${s.name}`)).toEqual([
      'payments/payments-api',
      'potato-facts/potato-facts',
      'potato-facts/potato-facts-metrics',
      'potato-facts/potato-facts-preview',
    ]);
    const one = cacheServicesSchema.parse(await api.json(api.get(`${upstreamRoutes.cacheServices.path({ agent: 'prod-us-east' })}?namespace=checkout`)));
    expect(one.items.map((s) => [s.name, s.type])).toEqual([
      ['checkout-api', 'ClusterIP'],
      ['checkout-api-preview', 'ClusterIP'],
      ['checkout-web', 'LoadBalancer'],
    ]);
    // The Services' namespace is one of the cluster's namespaces.
    const ns = cacheNamespacesSchema.parse(await api.json(api.get(upstreamRoutes.cacheNamespaces.path({ agent: 'staging' }))));
    expect(ns.items.map((n) => n.name)).toContain('potato-facts');
    const none = await api.get(upstreamRoutes.cacheServices.path({ agent: 'legacy-onprem' }));
    expect(none.status).toBe(404);
    expect(((await none.json()) as ApiErrorJson).errors[0]!.message).toMatch(/has no Services/);
    // Its other cache paths still answer.
    expect((await api.get(upstreamRoutes.cacheDeployments.path({ agent: 'legacy-onprem' }))).status).toBe(200);
  });

  it('answers 503 for a disconnected agent and 404 for an unknown one', async () => {
    const down = await api.get(upstreamRoutes.cacheDeployments.path({ agent: 'dr-eu-west' }));
    expect(down.status).toBe(503);
    expect(((await down.json()) as ApiErrorJson).errors[0]!.message).toContain('not connected');
    const unknown = await api.get(upstreamRoutes.cacheDeployments.path({ agent: 'nowhere' }));
    expect(unknown.status).toBe(404);
  });

  it('shows a deployment started through the API in its target cluster, rolling out then done', async () => {
    const body = canaryDeployment({ application: 'cache-app' });
    const { pipelineId } = startPipelineAnswerSchema.parse(await api.json(api.start(body)));
    const find = async () =>
      cacheDeploymentsSchema.parse(await api.json(api.get(upstreamRoutes.cacheDeployments.path({ agent: 'staging' })))).items.find((d) => d.name === POTATO.name);

    const rolling = await waitFor(find, 'the deployment in the cache');
    expect(rolling).toMatchObject({ namespace: POTATO.namespace, revision: '1', images: [POTATO.image] });
    const ns = cacheNamespacesSchema.parse(await api.json(api.get(upstreamRoutes.cacheNamespaces.path({ agent: 'staging' }))));
    expect(ns.items.map((n) => n.name)).toContain(POTATO.namespace);
    // Not on the other clusters.
    const prod = cacheDeploymentsSchema.parse(await api.json(api.get(upstreamRoutes.cacheDeployments.path({ agent: 'prod-us-east' }))));
    expect(prod.items.some((d) => d.name === POTATO.name)).toBe(false);

    // At the approval pause the canary runs at 25 %: 1 of POTATO's 4 replicas.
    await waitFor(async () => {
      const p = (await api.json(api.get(upstreamRoutes.pipeline.path({ id: pipelineId })))) as { status: string };
      return p.status === 'AWAITING_APPROVAL' ? true : undefined;
    }, 'the approval');
    const rsAtPause = cacheReplicaSetsSchema.parse(await api.json(api.get(upstreamRoutes.cacheReplicaSets.path({ agent: 'staging' })))).items.filter((r) => r.deployment === POTATO.name);
    expect(rsAtPause.map((r) => [r.revision, r.replicas])).toEqual([['1', 1]]);

    emu.approve(pipelineId);
    const done = await waitFor(async () => {
      const d = await find();
      return d && d.readyReplicas === 4 && d.replicas === 4 ? d : undefined;
    }, 'the full rollout');
    expect(done.availableReplicas).toBe(4);
    await waitFor(async () => {
      const p = (await api.json(api.get(upstreamRoutes.pipeline.path({ id: pipelineId })))) as { status: string };
      return p.status === 'SUCCEEDED' ? true : undefined;
    }, 'the first pipeline to end');

    // A second version: a new revision and replica set, the old one scaled to zero once done.
    const v2 = canaryDeployment({ application: 'cache-app' }, potatoFacts({ ...POTATO_OPTIONS, image: 'ghcr.io/example/potato-facts:1.3.0', steps: [{ setWeight: { weight: 50 } }] }));
    // The first pipeline ended, so the default ifDeploymentInProgress (reject) lets this one start.
    expect((await api.start(v2)).status).toBe(202);
    const updated = await waitFor(async () => {
      const d = await find();
      return d?.revision === '2' && d.replicas === 4 && d.readyReplicas === 4 && d.images[0]!.endsWith(':1.3.0') ? d : undefined;
    }, 'revision 2');
    expect(updated.images).toEqual(['ghcr.io/example/potato-facts:1.3.0']);
    await waitFor(async () => {
      const rs = cacheReplicaSetsSchema.parse(await api.json(api.get(upstreamRoutes.cacheReplicaSets.path({ agent: 'staging' })))).items.filter((r) => r.deployment === POTATO.name);
      const byRev = Object.fromEntries(rs.map((r) => [r.revision, r.replicas]));
      return byRev['1'] === 0 && byRev['2'] === 4 ? true : undefined;
    }, 'the old replica set scaled to zero');
  });

  it('keeps the old version serving when a deployment fails (rolled back)', async () => {
    const before = cacheDeploymentsSchema.parse(await api.json(api.get(upstreamRoutes.cacheDeployments.path({ agent: 'staging' })))).items.find((d) => d.name === 'nginx')!;
    const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\n  namespace: default\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: nginx\n          image: nginx:1.27.0\n';
    const { pipelineId } = startPipelineAnswerSchema.parse(
      await api.json(
        api.start(
          canaryDeployment({
            application: 'fail-nginx',
            targets: { staging: { account: 'staging', strategy: 'quick' } },
            strategies: { quick: { canary: { steps: [{ setWeight: { weight: 50 } }] } } },
            files: { [POTATO.manifestPath]: [manifest] },
          }),
        ),
      ),
    );
    await waitFor(async () => {
      const p = (await api.json(api.get(upstreamRoutes.pipeline.path({ id: pipelineId })))) as { status: string };
      return p.status === 'FAILED' ? true : undefined;
    }, 'the failure');
    const after = cacheDeploymentsSchema.parse(await api.json(api.get(upstreamRoutes.cacheDeployments.path({ agent: 'staging' })))).items.find((d) => d.name === 'nginx')!;
    expect(after.images).toEqual(before.images);
    expect(after.revision).toBe(before.revision);
    const rs = cacheReplicaSetsSchema.parse(await api.json(api.get(upstreamRoutes.cacheReplicaSets.path({ agent: 'staging' })))).items.filter((r) => r.deployment === 'nginx');
    const failed = rs.find((r) => r.images[0] === 'nginx:1.27.0')!;
    expect(failed.replicas).toBe(0);
  });
});

describe('custom seed', () => {
  it('serves the agents given in options, and a disconnected one only in the cache (503)', async () => {
    const emu = await startEmulator({
      agents: [
        { agentIdentifier: 'edge', kubernetesVersion: '1.30.1', namespaces: [{ name: 'edge' }], deployments: [] },
        { agentIdentifier: 'gone', kubernetesVersion: '1.26.0', connected: false },
      ],
    });
    try {
      const api = new ApiClient(emu, await token(emu));
      const agents = (await api.json(api.get(upstreamRoutes.connectedAgents.path()))) as { agentIdentifier: string }[];
      expect(agents.map((a) => a.agentIdentifier)).toEqual(['edge']);
      expect(cacheDeploymentsSchema.parse(await api.json(api.get(upstreamRoutes.cacheDeployments.path({ agent: 'edge' })))).items).toEqual([]);
      expect((await api.get(upstreamRoutes.cacheNamespaces.path({ agent: 'gone' }))).status).toBe(503);
    } finally {
      await emu.close();
    }
  });
});

describe('the seed for the infrastructure views', () => {
  const prod = DEFAULT_AGENTS.find((a) => a.agentIdentifier === 'prod-us-east')!;
  const replicaSetsAt = (now: number) =>
    cacheReplicaSetsSchema.parse(new ClusterCache(prod, new PipelineStore(50)).replicaSets(now)).items.filter((r) => r.deployment === 'checkout-api');

  it('runs a canary in prod-us-east whose replica sets split the replicas by a weight that moves', () => {
    const canary = prod.deployments!.find((d) => d.name === 'checkout-api')!.canary!;
    const t0 = 1_800_000_000_000 - (1_800_000_000_000 % 30_000); // the start of a 25 % step
    expect([t0, t0 + 10_000, t0 + 20_000, t0 + 30_000].map((t) => seededCanaryWeight(canary, t))).toEqual([25, 50, 75, 25]);
    const split = (now: number) => replicaSetsAt(now).map((r) => [r.images[0]!.split(':')[1], r.replicas]).filter(([, n]) => n !== 0);
    expect(split(t0)).toEqual([['3.8.0', 3], ['3.9.0', 1]]);
    expect(split(t0 + 10_000)).toEqual([['3.8.0', 2], ['3.9.0', 2]]);
    expect(split(t0 + 20_000)).toEqual([['3.8.0', 1], ['3.9.0', 3]]);
  });

  // The canary's replica set (image 3.9.0) carried the old version's label, 3.8.0.
  it('shapes labels and owner references like the Kubernetes objects', () => {
    const [stable, rs] = replicaSetsAt(0).slice(-2);
    expect(stable!.labels?.['app.kubernetes.io/version']).toBe('3.8.0');
    expect(rs!.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout-api', uid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/), controller: true, blockOwnerDeletion: true },
    ]);
    expect(rs!.labels).toEqual({
      app: 'checkout-api',
      'app.kubernetes.io/name': 'checkout-api',
      'app.kubernetes.io/part-of': 'checkout',
      'app.kubernetes.io/version': '3.9.0',
      'pod-template-hash': rs!.name.slice('checkout-api-'.length),
    });
    const cache = new ClusterCache(prod, new PipelineStore(50));
    expect(cacheNamespacesSchema.parse(cache.namespaces(0)).items.find((n) => n.name === 'payments')!.labels).toEqual({ 'kubernetes.io/metadata.name': 'payments' });
    const web = cacheDeploymentsSchema.parse(cache.deployments(0)).items.find((d) => d.name === 'checkout-web')!;
    expect(web).toMatchObject({ updatedReplicas: 4, labels: { app: 'checkout-web', 'app.kubernetes.io/name': 'checkout-web' } });
  });

  it('has a connected agent whose cache answers 500, and agents that can be disconnected at run time', async () => {
    const emu = await startEmulator({ stepIntervalMs: 40 });
    try {
      const api = new ApiClient(emu, await token(emu));
      const flaky = await api.get(upstreamRoutes.cacheReplicaSets.path({ agent: 'edge-eu-central' }));
      expect(flaky.status).toBe(500);
      expect(((await flaky.json()) as ApiErrorJson).errors[0]!.message).toContain('edge-eu-central');
      const names = async () => ((await api.json(api.get(upstreamRoutes.connectedAgents.path()))) as { agentIdentifier: string }[]).map((a) => a.agentIdentifier);
      expect(await names()).toContain('edge-eu-central');

      emu.setConnected('staging', false);
      expect(await names()).not.toContain('staging');
      expect((await api.get(upstreamRoutes.cacheNamespaces.path({ agent: 'staging' }))).status).toBe(503);
      const back = await fetch(`${emu.apiUrl}${CONTROL_PREFIX}/agents/staging/connection`, { method: 'POST', body: JSON.stringify({ connected: true }) });
      expect(back.status).toBe(200);
      expect(await names()).toContain('staging');
      const bad = await fetch(`${emu.apiUrl}${CONTROL_PREFIX}/agents/staging/connection`, { method: 'POST', body: '{"connected":"yes"}' });
      expect(bad.status).toBe(400);
      expect(() => emu.setConnected('nowhere', true)).toThrow(/no seeded agent nowhere/);
    } finally {
      await emu.close();
    }
  });

  it('takes the seed from CDAAS_EMULATOR_SEED, refusing a name it does not know', () => {
    expect(seedFromEnv({})).toBeUndefined();
    expect(seedFromEnv({ CDAAS_EMULATOR_SEED: 'scale' })).toBe('scale');
    expect(() => seedFromEnv({ CDAAS_EMULATOR_SEED: 'huge' })).toThrow('CDAAS_EMULATOR_SEED: expected default or scale, got "huge"');
  });

  it('has a scale seed of 10,000 replica sets across 50 agents', async () => {
    const agents = scaleAgents();
    expect(agents).toHaveLength(50);
    const total = agents.reduce((n, a) => n + new ClusterCache(a, new PipelineStore(50)).replicaSets(0).items.length, 0);
    expect(total).toBe(10_000);
    const emu = await startEmulator({ seed: 'scale' });
    try {
      const api = new ApiClient(emu, await token(emu));
      expect(((await api.json(api.get(upstreamRoutes.connectedAgents.path()))) as unknown[]).length).toBe(50);
      expect(cacheReplicaSetsSchema.parse(await api.json(api.get(upstreamRoutes.cacheReplicaSets.path({ agent: 'scale-07' })))).items).toHaveLength(200);
    } finally {
      await emu.close();
    }
  });
});
