/**
 * The Services read for blue/green's pickers, bridge <-> emulator over real loopback sockets on the
 * default seed: the demo namespace's Services, an agent whose cache has no Services (404 upstream:
 * "not offered", data), a cache that answers 500 and a disconnected agent (per-cluster errors, as
 * data), a namespace that is not one (400 naming the field), and one upstream read for many polls.
 */
import * as v from 'valibot';

import { readRoutes, servicesAnswerSchema } from '@cdaas/contract/read';
import { waitFor } from '../../test/support/waitFor';
import { upstreamRoutes } from '../src/cdaas/upstream';
import { type Harness, getJson, startHarness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { BRIDGE_READ_CACHE_TTL_MS: '60000' });
  await waitFor(async () => ((await getJson(`${h.bridge.readUrl}/readyz`)).status === 200 ? true : undefined), 'readiness');
});
afterAll(async () => h?.close());

const services = async (agent: string, namespace?: string) => {
  const res = await getJson(h.bridge.readUrl + readRoutes.services.path({ agent }) + (namespace ? `?namespace=${namespace}` : ''));
  return { status: res.status, answer: res.status === 200 ? v.parse(servicesAnswerSchema, res.body) : undefined, body: res.body };
};

describe('GET /v1/clusters/:agent/services', () => {
  it("lists one namespace's Services with type, selector and ports", async () => {
    const { status, answer } = await services('staging', 'potato-facts');
    expect(status).toBe(200);
    expect(answer).toMatchObject({ cluster: 'staging', namespace: 'potato-facts', offered: true, errors: [] });
    expect(answer!.items.map((s) => s.name)).toEqual(['potato-facts', 'potato-facts-metrics', 'potato-facts-preview']);
    expect(answer!.items[0]).toEqual({
      namespace: 'potato-facts',
      name: 'potato-facts',
      type: 'ClusterIP',
      selector: { app: 'potato-facts' },
      ports: [{ name: 'http', port: 80, targetPort: 8000, protocol: 'TCP' }],
      labels: { 'app.kubernetes.io/name': 'potato-facts' },
    });
  });

  it('lists every namespace without the query', async () => {
    const { answer } = await services('staging');
    expect(answer!.namespace).toBeUndefined();
    expect(new Set(answer!.items.map((s) => s.namespace))).toEqual(new Set(['payments', 'potato-facts']));
  });

  it('an agent whose cache has no Services is "not offered", not an error', async () => {
    const { status, answer } = await services('legacy-onprem', 'billing');
    expect(status).toBe(200);
    expect(answer).toEqual({ cluster: 'legacy-onprem', namespace: 'billing', offered: false, items: [], errors: [] });
  });

  it('an agent CDaaS does not know (a typed account) is an error, not "not offered"', async () => {
    const { status, answer } = await services('nowhere', 'default');
    expect(status).toBe(200);
    expect(answer).toEqual({
      cluster: 'nowhere',
      namespace: 'default',
      offered: true,
      items: [],
      errors: [{ kind: 'status', status: 404, message: 'nowhere is not a connected agent of CD-as-a-Service' }],
    });
  });

  it("a failing cache and a disconnected agent are that cluster's errors, as data", async () => {
    const failing = await services('edge-eu-central', 'default');
    expect(failing.status).toBe(200);
    expect(failing.answer).toMatchObject({ offered: true, items: [], errors: [{ kind: 'status', status: 500 }] });
    const gone = await services('dr-eu-west', 'payments');
    expect(gone.answer!.errors).toEqual([{ kind: 'status', status: 503, message: expect.stringMatching(/not connected/) }]);
  });

  it('refuses a namespace that is not a Kubernetes name, naming the field', async () => {
    const { status, body } = await services('staging', 'Potato_Facts');
    expect(status).toBe(400);
    expect(body).toMatchObject({ field: 'namespace', error: expect.stringMatching(/^namespace "Potato_Facts" is not a Kubernetes namespace name/) });
  });

  it('answers 50 concurrent polls of one namespace with one upstream read (TTL cache, coalescing)', async () => {
    const path = upstreamRoutes.cacheServices.path({ agent: 'prod-us-east' });
    const before = h.emu.stats.requestsByPath.get(path) ?? 0;
    const answers = await Promise.all(Array.from({ length: 50 }, () => services('prod-us-east', 'checkout')));
    expect(new Set(answers.map((a) => JSON.stringify(a.answer)))).toEqual(new Set([JSON.stringify(answers[0]!.answer)]));
    expect(answers[0]!.answer!.items.map((s) => s.name)).toEqual(['checkout-api', 'checkout-api-preview', 'checkout-web']);
    expect((h.emu.stats.requestsByPath.get(path) ?? 0) - before).toBe(1);
  });
});
