import axios from 'axios';
import { http, HttpResponse } from 'msw';

import { failClosedServer, fakeJwt, noSleep } from '../../test/msw';
import { ClientCredentialsTokenSource } from '../auth/tokenSource';
import { HttpCdaasClient, UpstreamError } from './client';
import { START_PIPELINE_MEDIA_TYPE } from './upstream';

const API = 'https://api.test';
const TOKEN_URL = 'https://auth.test/oauth/token';
const server = failClosedServer();

/** Real answers are shaped like this (see cdaas-api.md). */
const AGENT = {
  agentIdentifier: 'prod-us-east',
  agentInstanceUuid: 'a1',
  agentVersion: '1.0.83',
  clientId: 'rna-client',
  connectedAtIso8601: '2026-11-24T08:00:00Z',
  envId: 'env-1',
  hubInstanceUuid: 'h1',
  ipAddress: '10.1.2.3',
  k8sClusterRoleSupport: true,
  lastHeartbeatAtIso8601: '2026-11-24T21:00:00Z',
  nodeIp: '10.0.0.5',
  orgId: 'org-1',
  streamId: 's1',
};

function setup() {
  let issued = 0;
  const valid = new Set<string>();
  server.use(
    http.post(TOKEN_URL, () => {
      const t = fakeJwt(++issued);
      valid.add(t);
      return HttpResponse.json({ access_token: t, expires_in: 86400, token_type: 'Bearer' });
    }),
  );
  const sleeps: number[] = [];
  const retry = { retries: 3, baseMs: 100, maxDelayMs: 10_000, sleep: noSleep(sleeps), random: () => 0.5 };
  const tokens = new ClientCredentialsTokenSource(axios.create(), { clientId: 'c', clientSecret: 'secret', audience: API, tokenUrl: TOKEN_URL, retry });
  const client = new HttpCdaasClient(axios.create({ baseURL: API }), tokens, { retry, timeoutMs: 2000 });
  /** Answers 401 unless the request carries a token the auth server issued and not revoked. */
  const authorized = (req: Request) => valid.has((req.headers.get('authorization') ?? '').replace(/^Bearer /, ''));
  return { client, sleeps, valid, authorized, issuedCount: () => issued };
}

describe('HttpCdaasClient', () => {
  it('lists connected agents with the Bearer token from the token source', async () => {
    const t = setup();
    const auth: string[] = [];
    server.use(
      http.get(`${API}/identity/connected-agents`, ({ request }) => {
        auth.push(request.headers.get('authorization') ?? '');
        return t.authorized(request) ? HttpResponse.json([AGENT]) : new HttpResponse(null, { status: 401 });
      }),
    );
    expect(await t.client.connectedAgents()).toEqual([AGENT]);
    expect(auth).toEqual([`Bearer ${fakeJwt(1)}`]);
  });

  it('starts a pipeline with the v2 media type as Content-Type and Accept', async () => {
    const t = setup();
    let seen: { ct: string | null; accept: string | null; body: unknown } | undefined;
    server.use(
      http.post(`${API}/pipelines/kubernetes`, async ({ request }) => {
        if (!t.authorized(request)) return new HttpResponse(null, { status: 401 });
        seen = { ct: request.headers.get('content-type'), accept: request.headers.get('accept'), body: await request.json() };
        return HttpResponse.json({ pipelineId: 'p-1', warnings: ['cluster is old'] }, { status: 202 });
      }),
    );
    const body = { version: 'v1', kind: 'kubernetes', application: 'app', targets: {}, files: { 'a.yml': ['kind: Deployment'] }, context: { k: 'v' } };
    expect(await t.client.startPipeline(body)).toEqual({ pipelineId: 'p-1', warnings: ['cluster is old'] });
    expect(seen).toEqual({ ct: START_PIPELINE_MEDIA_TYPE, accept: START_PIPELINE_MEDIA_TYPE, body });
  });

  it('on a 401 refreshes the token once and retries once', async () => {
    const t = setup();
    const auth: string[] = [];
    server.use(
      http.get(`${API}/pipelines/p-1`, ({ request }) => {
        auth.push(request.headers.get('authorization') ?? '');
        // The first token is revoked server-side after it was issued.
        if (auth.length === 1) t.valid.delete(fakeJwt(1));
        return t.authorized(request) ? HttpResponse.json({ id: 'p-1', status: 'RUNNING', steps: [] }) : new HttpResponse(null, { status: 401 });
      }),
    );
    expect((await t.client.pipeline('p-1')).status).toBe('RUNNING');
    expect(auth).toEqual([`Bearer ${fakeJwt(1)}`, `Bearer ${fakeJwt(2)}`]);
    expect(t.issuedCount()).toBe(2);
  });

  it('gives up after one refresh when the API keeps answering 401', async () => {
    const t = setup();
    let calls = 0;
    server.use(http.get(`${API}/pipelines/p-1`, () => (calls++, new HttpResponse(null, { status: 401 }))));
    const err = (await t.client.pipeline('p-1').catch((e: unknown) => e)) as UpstreamError;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/refused the bridge's credentials/);
    expect(calls).toBe(2);
    expect(t.issuedCount()).toBe(2);
  });

  it('retries 5xx and network errors with growing, jittered backoff', async () => {
    const t = setup();
    let calls = 0;
    server.use(
      http.get(`${API}/identity/connected-agents`, () => {
        calls++;
        if (calls === 1) return new HttpResponse(null, { status: 502 });
        if (calls === 2) return HttpResponse.error();
        if (calls === 3) return new HttpResponse(null, { status: 500 });
        return HttpResponse.json([AGENT]);
      }),
    );
    expect(await t.client.connectedAgents()).toHaveLength(1);
    expect(calls).toBe(4);
    // base 100 ms doubling, jitter in [half, full]: random 0.5 -> 75 %.
    expect(t.sleeps).toEqual([75, 150, 300]);
  });

  it('honours Retry-After on 429', async () => {
    const t = setup();
    let calls = 0;
    server.use(
      http.get(`${API}/agents/staging/kubernetes/cluster`, () =>
        ++calls === 1
          ? new HttpResponse(null, { status: 429, headers: { 'Retry-After': '3' } })
          : HttpResponse.json({ agentIdentifier: 'staging', kubernetesVersion: '1.27.3' }),
      ),
    );
    expect(await t.client.cluster('staging')).toEqual({ agentIdentifier: 'staging', kubernetesVersion: '1.27.3' });
    expect(t.sleeps).toEqual([3000]);
  });

  it('stops after the configured retries and reports the last status', async () => {
    const t = setup();
    let calls = 0;
    server.use(http.get(`${API}/pipelines/p-1`, () => (calls++, HttpResponse.json({ message: 'overloaded' }, { status: 503 }))));
    await expect(t.client.pipeline('p-1')).rejects.toThrow('CD-as-a-Service answered HTTP 503 to pipeline: overloaded');
    expect(calls).toBe(4);
  });

  it('does not retry a start the API may have acted on (500), but does retry 429 and 503', async () => {
    const t = setup();
    const statuses = [429, 503, 500];
    let calls = 0;
    server.use(http.post(`${API}/pipelines/kubernetes`, () => new HttpResponse(null, { status: statuses[calls++] ?? 500 })));
    await expect(t.client.startPipeline({ application: 'a', files: {}, context: {} })).rejects.toMatchObject({ status: 500 });
    expect(calls).toBe(3);
  });

  it('does not retry a 4xx, and carries the API message', async () => {
    const t = setup();
    let calls = 0;
    server.use(
      http.post(`${API}/pipelines/kubernetes`, () => (calls++, HttpResponse.json({ errors: [{ message: 'targets.prod.account: unknown agent' }] }, { status: 400 }))),
    );
    await expect(t.client.startPipeline({ application: 'a', files: {}, context: {} })).rejects.toThrow(/HTTP 400 to startPipeline: targets.prod.account: unknown agent/);
    expect(calls).toBe(1);
  });

  it('refuses an answer of the wrong shape, naming the field', async () => {
    const t = setup();
    server.use(http.get(`${API}/pipelines/p-1`, () => HttpResponse.json({ id: 'p-1', status: 'DANCING', steps: [] })));
    const err = (await t.client.pipeline('p-1').catch((e: unknown) => e)) as UpstreamError;
    expect(err.kind).toBe('invalid');
    expect(err.message).toMatch(/unexpected shape: status: /);
  });

  it('encodes ids so a crafted id stays one path segment', async () => {
    const t = setup();
    const seen: string[] = [];
    server.use(http.get(`${API}/pipelines/:id`, ({ request }) => (seen.push(new URL(request.url).pathname), HttpResponse.json({ id: 'x', status: 'RUNNING' }))));
    await t.client.pipeline('../identity/connected-agents');
    expect(seen).toEqual(['/pipelines/..%2Fidentity%2Fconnected-agents']);
  });
});

describe('Retry-After beyond the longest wait', () => {
  it('gives up at once instead of retrying before the server said', async () => {
    const t = setup();
    let calls = 0;
    server.use(http.get(`${API}/pipelines/p-1`, () => (calls++, new HttpResponse(null, { status: 429, headers: { 'Retry-After': '3600' } }))));
    await expect(t.client.pipeline('p-1')).rejects.toMatchObject({ status: 429 });
    expect(calls).toBe(1);
    expect(t.sleeps).toEqual([]);
  });
});
