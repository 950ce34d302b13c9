import { http, HttpResponse } from 'msw';

import { PROXY, setupMsw } from '../../test/msw';
import { agentsAnswer, agentsAnswerWithBadEntry, clustersAnswerPartial, servicesAnswer } from '../../test/fixtures/agents';
import { defaultReadApi } from './CdaasApiContext';
import { CdaasReadClient } from './CdaasReadClient';
import { CdaasReadError } from './readErrors';

const server = setupMsw();
const client = () => new CdaasReadClient((url, init) => fetch(url, init), PROXY);

async function failure(p: Promise<unknown>): Promise<CdaasReadError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CdaasReadError);
  return e as CdaasReadError;
}

describe('CdaasReadClient.listAgents', () => {
  it('reads the agents through Gate proxy `cdaas`, sorted, asking for JSON', async () => {
    let accept: string | null = null;
    server.use(
      http.get(`${PROXY}/v1/agents`, ({ request }) => {
        accept = request.headers.get('accept');
        return HttpResponse.json({ agents: [...agentsAnswer.agents].reverse() });
      }),
    );
    const list = await client().listAgents();
    expect(accept).toBe('application/json');
    expect(list.agents.map((a) => a.agentIdentifier)).toEqual(['prod-eu-west-1', 'staging-us-east-1']);
    expect(list.errors).toEqual([]);
  });

  it('the default client is built from SETTINGS.gateUrl', async () => {
    server.use(http.get(`${PROXY}/v1/agents`, () => HttpResponse.json(agentsAnswer)));
    const list = await defaultReadApi().listAgents();
    expect(list.agents).toHaveLength(2);
  });

  it('keeps the valid agents when one entry is malformed, and reports that entry', async () => {
    server.use(http.get(`${PROXY}/v1/agents`, () => HttpResponse.json(agentsAnswerWithBadEntry)));
    const list = await client().listAgents();
    expect(list.agents.map((a) => a.agentIdentifier)).toEqual(['prod-eu-west-1']);
    expect(list.errors).toEqual([expect.stringMatching(/^Agent entry 2 was skipped: agentIdentifier: /)]);
  });

  it.each([404, 502])('%i from Gate: the bridge is not reachable through the proxy', async (status) => {
    server.use(http.get(`${PROXY}/v1/agents`, () => new HttpResponse(null, { status })));
    const e = await failure(client().listAgents());
    expect(e.kind).toBe('bridgeUnreachable');
    expect(e.message).toBe(
      `The CDaaS bridge is not reachable through Gate's proxy \`cdaas\` (HTTP ${status}); ask your Spinnaker admin.`,
    );
  });

  it("502 with the bridge's own status and error: shows the bridge's words", async () => {
    server.use(
      http.get(`${PROXY}/v1/agents`, () =>
        HttpResponse.json(
          { error: 'CD-as-a-Service refused the client credentials (401 invalid_client)' },
          { status: 502, headers: { 'X-Proxy-Status-Code': '503' } },
        ),
      ),
    );
    const e = await failure(client().listAgents());
    expect(e.kind).toBe('bridgeError');
    expect(e.message).toBe('The CDaaS bridge failed (HTTP 503): CD-as-a-Service refused the client credentials (401 invalid_client).');
  });

  it('401: the Spinnaker session has expired', async () => {
    server.use(http.get(`${PROXY}/v1/agents`, () => new HttpResponse(null, { status: 401 })));
    const e = await failure(client().listAgents());
    expect(e.kind).toBe('unauthenticated');
    expect(e.message).toMatch(/session has expired \(HTTP 401\)/);
  });

  it('an answer of another shape: says the versions may not match', async () => {
    server.use(http.get(`${PROXY}/v1/agents`, () => HttpResponse.json([{ agentIdentifier: 'x' }])));
    const e = await failure(client().listAgents());
    expect(e.kind).toBe('invalid');
    expect(e.message).toMatch(/^The CDaaS bridge sent a list of agents this plugin does not understand/);
  });

  it('no answer at all: names Gate, not the bridge', async () => {
    server.use(http.get(`${PROXY}/v1/agents`, () => HttpResponse.error()));
    const e = await failure(client().listAgents());
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/^Deck could not reach Gate at http:\/\/gate\.test \(/);
  });
});

describe('CdaasReadClient.listClusters', () => {
  it('keeps per-cluster errors and support flags as data, and skips malformed entries with a note', async () => {
    server.use(
      http.get(`${PROXY}/v1/clusters`, () =>
        HttpResponse.json({ clusters: [...clustersAnswerPartial.clusters, { cluster: 'x', errors: 'none' }] }),
      ),
    );
    const list = await client().listClusters();
    expect(list.clusters).toEqual(clustersAnswerPartial.clusters);
    expect(list.errors).toEqual([expect.stringMatching(/^Cluster entry 3 was skipped: errors: /)]);
  });
});

describe('CdaasReadClient.listServices', () => {
  it("reads one namespace's Services of a cluster, keeping the valid entries and wording the others", async () => {
    let asked: URL | undefined;
    server.use(
      http.get(`${PROXY}/v1/clusters/:agent/services`, ({ request }) => {
        asked = new URL(request.url);
        return HttpResponse.json({ ...servicesAnswer, items: [...servicesAnswer.items, { name: 'no-namespace', type: 'ClusterIP' }] });
      }),
    );
    const answer = await client().listServices('prod-eu-west-1', 'shop');
    expect(asked?.pathname).toBe('/proxies/cdaas/v1/clusters/prod-eu-west-1/services');
    expect(asked?.searchParams.get('namespace')).toBe('shop');
    expect(answer).toMatchObject({ cluster: 'prod-eu-west-1', namespace: 'shop', offered: true, errors: [] });
    expect(answer.items.map((s) => s.name)).toEqual(['shop-web', 'shop-web-canary']);
    expect(answer.skipped).toEqual([expect.stringMatching(/^Service entry 3 was skipped: namespace: /)]);
  });

  it('asks for every namespace when none is given, and encodes the agent', async () => {
    let asked: URL | undefined;
    server.use(
      http.get(`${PROXY}/v1/clusters/:agent/services`, ({ request }) => {
        asked = new URL(request.url);
        return HttpResponse.json({ cluster: 'eu west', offered: false, items: [], errors: [] });
      }),
    );
    const answer = await client().listServices('eu west', undefined);
    expect(asked?.pathname).toBe('/proxies/cdaas/v1/clusters/eu%20west/services');
    expect(asked?.search).toBe('');
    expect(answer).toEqual({ cluster: 'eu west', offered: false, items: [], errors: [], skipped: [] });
  });

  it('an answer without `offered` is one this plugin does not understand', async () => {
    server.use(http.get(`${PROXY}/v1/clusters/:agent/services`, () => HttpResponse.json({ cluster: 'x', items: [], errors: [] })));
    const e = await failure(client().listServices('x', undefined));
    expect(e.kind).toBe('invalid');
    expect(e.message).toMatch(/^The CDaaS bridge sent a list of Services this plugin does not understand \(offered: /);
  });
});
