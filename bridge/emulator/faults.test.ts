import { upstreamRoutes } from '../src/cdaas/upstream.js';
import { startEmulator, type Emulator } from './index.js';
import { ApiClient, requestToken, token, type ApiErrorJson, useEmulator } from './testkit.js';

describe('fault injection', () => {
  let emu: Emulator;
  let api: ApiClient;
  useEmulator({ stepIntervalMs: 50 }, (e, a) => ((emu = e), (api = a)));
  afterEach(() => emu.faults.clear());

  const agents = () => api.get(upstreamRoutes.connectedAgents.path());

  it('status: answers the status with a JSON error body, `times` times, then routes normally', async () => {
    emu.faults.add({ target: 'api', kind: 'status', status: 503, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await agents();
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(((await res.json()) as ApiErrorJson).errors[0]!.message).toContain('503');
    }
    expect((await agents()).status).toBe(200);
  });

  it('matches the path prefix and the method only', async () => {
    emu.faults.add({ target: 'api', kind: 'status', status: 500, path: '/agents/', method: 'GET' });
    expect((await agents()).status).toBe(200);
    expect((await api.get(upstreamRoutes.cacheCluster.path({ agent: 'staging' }))).status).toBe(500);
    // POST under the prefix is not matched: the route answers 405, not the fault's 500.
    expect((await api.post(upstreamRoutes.cacheCluster.path({ agent: 'staging' }))).status).toBe(405);
  });

  it('the remover returned by add() removes the rule', async () => {
    const remove = emu.faults.add({ target: 'api', kind: 'status', status: 502 });
    expect((await agents()).status).toBe(502);
    expect((await agents()).status).toBe(502);
    remove();
    expect((await agents()).status).toBe(200);
  });

  it('rateLimit: 429 with Retry-After, on the API and on the token endpoint', async () => {
    emu.faults.add({ target: 'api', kind: 'rateLimit', retryAfterSeconds: 7, times: 1 });
    const res = await agents();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    emu.faults.add({ target: 'auth', kind: 'rateLimit', retryAfterSeconds: 3, times: 1 });
    const tok = await requestToken(emu);
    expect(tok.status).toBe(429);
    expect(tok.headers.get('retry-after')).toBe('3');
    expect(((await tok.json()) as { error: string }).error).toBe('too_many_requests');
    expect((await requestToken(emu)).status).toBe(200);
  });

  it('expiredToken: 401 exactly as for a token past its exp', async () => {
    emu.faults.add({ target: 'api', kind: 'expiredToken', times: 1 });
    const res = await agents();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="token is expired"');
    expect(((await res.json()) as ApiErrorJson).errors[0]!.message).toBe('token is expired');
    expect((await agents()).status).toBe(200);
  });

  it('drop: destroys the socket without an answer', async () => {
    emu.faults.add({ target: 'api', kind: 'drop', times: 1 });
    await expect(agents()).rejects.toThrow(/fetch failed/);
    emu.faults.add({ target: 'auth', kind: 'drop', times: 1 });
    await expect(requestToken(emu)).rejects.toThrow(/fetch failed/);
    expect((await agents()).status).toBe(200);
  });

  it('latency: delays the answer, and adds up with a status fault', async () => {
    emu.faults.add({ target: 'api', kind: 'latency', ms: 200, times: 1 });
    // The delayed request has not answered while a fresh one (no fault left) answers at once.
    let delayedDone = false;
    const delayed = agents().then((r) => {
      delayedDone = true;
      return r;
    });
    expect((await agents()).status).toBe(200);
    expect(delayedDone).toBe(false);
    expect((await delayed).status).toBe(200);

    emu.faults.add({ target: 'auth', kind: 'latency', ms: 100, times: 1 });
    emu.faults.add({ target: 'auth', kind: 'status', status: 500, times: 1 });
    const res = await requestToken(emu);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: string }).error).toBe('server_error');
  });

  it('rejects an invalid rule', () => {
    expect(() => emu.faults.add({ target: 'api', kind: 'status', status: 200 })).toThrow();
  });
});

describe('control API (/_emulator, emulator only)', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ stepIntervalMs: 20 });
  });
  afterAll(() => emu.close());

  const control = (path: string, init?: RequestInit) => fetch(`${emu.apiUrl}/_emulator${path}`, init);

  it('adds, lists and clears faults without auth, and faults never block it', async () => {
    const res = await control('/faults', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: 'api', kind: 'status', status: 500 }),
    });
    expect(res.status).toBe(201);
    expect(await (await control('/faults')).json()).toEqual([{ target: 'api', kind: 'status', status: 500 }]);
    const api = new ApiClient(emu, await token(emu));
    expect((await api.get(upstreamRoutes.connectedAgents.path())).status).toBe(500);
    expect((await control('/faults', { method: 'DELETE' })).status).toBe(200);
    expect((await api.get(upstreamRoutes.connectedAgents.path())).status).toBe(200);
  });

  it('answers 400 naming the field of an invalid rule', async () => {
    const res = await control('/faults', { method: 'POST', body: JSON.stringify({ target: 'api', kind: 'rateLimit' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiErrorJson).errors[0]!.message).toMatch(/^retryAfterSeconds: /);
  });

  it('approves a pipeline and reports stats', async () => {
    const api = new ApiClient(emu, await token(emu));
    const { pipelineId } = (await (
      await api.start({
        version: 'v1',
        kind: 'kubernetes',
        application: 'control',
        targets: { staging: { account: 'staging', strategy: 's' } },
        manifests: [{ inline: 'kind: ConfigMap\nmetadata:\n  name: c\n' }],
        strategies: { s: { canary: { steps: [{ pause: { untilApproved: true } }] } } },
      })
    ).json()) as { pipelineId: string };
    const before = (await (await control('/stats')).json()) as { apiRequests: number; tokenRequests: number; requestsByPath: Record<string, number> };
    let answer: Response;
    for (;;) {
      answer = await control(`/pipelines/${pipelineId}/approve`, { method: 'POST' });
      if (answer.status !== 409) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { steps: { status: string }[] }).steps[0]!.status).toBe('SUCCEEDED');
    expect(before.tokenRequests).toBeGreaterThanOrEqual(1);
    expect(before.requestsByPath['/pipelines/kubernetes']).toBe(1);
    // Control requests are not counted as API requests.
    const after = (await (await control('/stats')).json()) as { apiRequests: number };
    expect(after.apiRequests).toBe(before.apiRequests);
    expect(emu.stats.apiRequests).toBe(before.apiRequests);
  });
});
