/**
 * The bridge's failure paths over real sockets against the emulator: input that cannot be sent,
 * an auth server that echoes the secret, an auth outage with a valid token, a 401 storm, bodies
 * on read routes, and a start whose answer is lost.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { deployRoutes } from '@cdaas/contract/deploy';
import { type Emulator, startEmulator } from '../emulator/index';
import { type Harness, deployRequest, getJson, postJson, startHarness } from './harness';
import { waitFor } from '../../test/support/waitFor';

let emu: Emulator;
let h: Harness;
beforeAll(async () => {
  emu = await startEmulator({ stepIntervalMs: 60 });
  h = await startHarness({}, { BRIDGE_DEPLOY_MAX_BODY_BYTES: String(256 * 1024), BRIDGE_READ_CACHE_TTL_MS: '0' }, {}, emu);
  await waitFor(async () => ((await getJson(`${h.bridge.readUrl}/readyz`)).status === 200 ? true : undefined), 'readiness');
});
afterAll(async () => {
  await h?.close();
  await emu?.close();
});
afterEach(() => emu.faults.clear());

const starts = () => emu.stats.requestsByPath.get('/pipelines/kubernetes') ?? 0;
let n = 0;
const exec = () => `01JFAIL${String(++n).padStart(4, '0')}${Date.now()}`;
const startUrl = (e: string) => h.bridge.deployUrl + deployRoutes.start.path({ executionId: e, stageRefId: '1' });

/** JSON text nested `depth` objects deep (as text: JSON.stringify itself overflows on it). */
const nestedJson = (depth: number) => '{"x":'.repeat(depth) + '"leaf"' + '}'.repeat(depth);

/** Sends a raw request (chunked when `chunked`), returning the status. */
function rawRequest(url: string, method: string, body: Buffer, chunked: boolean, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, ...(chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(body.length) }) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The bridge answers 413 and closes without reading the rest: a reset is expected then.
    req.on('error', (err) => (/ECONNRESET|EPIPE/.test(String(err)) ? undefined : reject(err)));
    if (chunked) {
      for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
      req.end();
    } else req.end(body);
  });
}

describe('input that cannot be sent upstream', () => {
  it('regression: a deploy.yml nested 10,000 levels deep is a 400 naming the field, not 503 "CD-as-a-Service unreachable"', async () => {
    const e = exec();
    const before = starts();
    const body = JSON.stringify(deployRequest(e, '1', { deployment: { ...(deployRequest(e, '1').deployment as object), strategies: '@DEEP@' } })).replace('"@DEEP@"', nestedJson(10_000));
    const res = await getJson(startUrl(e), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('deployment');
    expect(res.body.error).toMatch(/^request body nests deeper than 64 levels at deployment\.strategies\.x\.x/);
    expect(starts()).toBe(before);
  });

  it('a deploy.yml artifact nested thousands of levels deep is a 400 naming the artifact', async () => {
    const e = exec();
    const before = starts();
    const yaml = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const body = deployRequest(e, '1', {
      deployment: {},
      artifacts: [{ expectedArtifactId: 'd', path: 'deploy.yml', artifact: { type: 'embedded/base64', reference: Buffer.from(`version: v1\nx: ${yaml}\n`).toString('base64') } }],
    });
    const res = await postJson(startUrl(e), body);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('artifacts[0]');
    expect(starts()).toBe(before);
  });

  it('a body over the limit is a 413 and starts nothing, whether declared or chunked', async () => {
    const e = exec();
    const before = starts();
    const huge = Buffer.from(JSON.stringify(deployRequest(e, '1', { files: { 'manifests/api.yml': ['#'.repeat(512 * 1024)] } })));
    expect(await rawRequest(startUrl(e), 'POST', huge, false, { 'Content-Type': 'application/json' })).toBe(413);
    expect(await rawRequest(startUrl(e), 'POST', huge, true, { 'Content-Type': 'application/json' })).toBe(413);
    expect(starts()).toBe(before);
  });
});

describe('the read listener bounds bodies on every route', () => {
  it('regression: GETs with a 1 MiB body (declared or chunked) get 413, not 200', async () => {
    const big = Buffer.alloc(1024 * 1024, 'a');
    for (const path of ['/v1/agents', '/v1/clusters', '/v1/clusters/prod-us-east/namespaces', '/healthz', '/no/such/route']) {
      expect(await rawRequest(h.bridge.readUrl + path, 'GET', big, false)).toBe(413);
      expect(await rawRequest(h.bridge.readUrl + path, 'GET', big, true)).toBe(413);
    }
    // A small body stays harmless.
    expect(await rawRequest(`${h.bridge.readUrl}/v1/agents`, 'GET', Buffer.from('{}'), true)).toBe(200);
  });
});

describe('a start whose answer is lost', () => {
  it('says in the stage what happened and how to check for a duplicate, and does not start again on retries', async () => {
    const e = exec();
    emu.faults.add({ target: 'api', kind: 'drop', path: '/pipelines/kubernetes', method: 'POST', times: 1 });
    const before = starts();
    const res = await postJson(startUrl(e), deployRequest(e, '1'));
    // 4xx: Orca ends the stage with this text in webhook.error instead of retrying into a duplicate.
    expect(res.status).toBe(409);
    expect(res.body.field).toBe('start');
    expect(res.body.error).toMatch(/may have started a deployment for this stage, but its answer was lost/);
    expect(res.body.error).toMatch(/no idempotency key/);
    expect(res.body.error).toContain(`spinnakerExecutionId=${e}, spinnakerStageRefId=1`);
    expect(res.body.error).toMatch(/application "payments"/);
    const retry = await postJson(startUrl(e), deployRequest(e, '1'));
    expect([retry.status, retry.body.error]).toEqual([409, res.body.error]);
    expect(starts() - before).toBe(1);
  });
});

describe('auth trouble', () => {
  it('an auth server that echoes the posted form never gets the secret into an answer or a log line', async () => {
    const secret = 'Sh+h/s3cr3t=value&more "quoted"';
    const echo = http.createServer((req, res) => {
      let form = '';
      req.on('data', (c: Buffer) => (form += c.toString()));
      req.on('end', () => {
        res.writeHead(req.url?.includes('fivehundred') ? 500 : 401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: `invalid_client ${form}`, error_description: `bad credentials in ${form}; secret was ${secret}; decoded ${decodeURIComponent(form)}` }));
      });
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const tokenUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/oauth/token`;
    const b = await startHarness({}, { CDAAS_TOKEN_URL: tokenUrl, CDAAS_CLIENT_SECRET: secret, CDAAS_RETRIES: '0' }, {}, emu);
    try {
      const e = exec();
      const answers = await Promise.all([
        getJson(`${b.bridge.readUrl}/readyz`),
        getJson(`${b.bridge.readUrl}/v1/agents`),
        getJson(`${b.bridge.readUrl}/v1/clusters`),
        getJson(`${b.bridge.readUrl}/v1/deployments/p-1`),
        postJson(startUrl(e).replace(h.bridge.deployUrl, b.bridge.deployUrl), deployRequest(e, '1')),
        getJson(b.bridge.deployUrl + deployRoutes.status.path({ pipelineId: 'p-1' })),
        postJson(b.bridge.deployUrl + deployRoutes.cancel.path({ executionId: e, stageRefId: '1' }), {}),
      ]);
      const text = answers.map((a) => JSON.stringify(a.body)).join('\n');
      // The echo did reach the answers (so the check below can fail), redacted.
      expect(text).toContain('[redacted]');
      expect(text).toContain('bad credentials in grant_type=client_credentials');
      const everything = text + '\n' + b.logs.join('\n');
      for (const form of [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)]) {
        expect(everything).not.toContain(form);
      }
    } finally {
      await b.close();
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });

  it('an auth outage does not stop a token that is still valid: reads and starts keep working', async () => {
    let offset = 0;
    const b = await startHarness({}, {}, { now: () => Date.now() + offset }, emu);
    try {
      await waitFor(async () => ((await getJson(`${b.bridge.readUrl}/readyz`)).status === 200 ? true : undefined), 'readiness');
      emu.faults.add({ target: 'auth', kind: 'drop' });
      const tokensBefore = emu.stats.tokenRequests;
      // Past the token's refresh point (it lives a day), before its expiry.
      offset = (86_400 - 100) * 1000;
      const agents = await getJson(`${b.bridge.readUrl}/v1/agents`);
      expect(agents.status).toBe(200);
      const e = exec();
      const started = await postJson(b.bridge.deployUrl + deployRoutes.start.path({ executionId: e, stageRefId: '1' }), deployRequest(e, '1', { context: { ...deployRequest(e, '1').context, application: 'outage' }, deployment: { ...(deployRequest(e, '1').deployment as object), application: 'outage' } }));
      expect(started.status).toBe(202);
      expect((await getJson(`${b.bridge.readUrl}/readyz`)).status).toBe(200);
      // It did try to refresh (and failed): the outage was real.
      await waitFor(async () => (emu.stats.tokenRequests > tokensBefore ? true : undefined), 'a refresh attempt');
      await postJson(b.bridge.deployUrl + deployRoutes.cancel.path({ executionId: e, stageRefId: '1' }), {});
    } finally {
      await b.close();
    }
  });

  it('regression (the bound was loosened to 2 while the suite\'s other bridge shared the token counter): a 401 storm of 50 calls causes exactly one token request, then backs off', async () => {
    // Its own emulator: its token counter sees this bridge alone, so the bound is what the token source promises.
    const b = await startHarness({}, { CDAAS_TOKEN_BACKOFF_BASE_MS: '60000', CDAAS_TOKEN_BACKOFF_MAX_MS: '60000', BRIDGE_READ_CACHE_TTL_MS: '0', BRIDGE_READ_UPSTREAM_RETRIES: '0' });
    try {
      await waitFor(async () => ((await getJson(`${b.bridge.readUrl}/readyz`)).status === 200 ? true : undefined), 'readiness');
      b.emu.faults.add({ target: 'api', kind: 'status', status: 401 });
      const before = b.emu.stats.tokenRequests;
      const answers = [];
      for (let i = 0; i < 50; i++) answers.push(await getJson(`${b.bridge.readUrl}/v1/agents`));
      expect(new Set(answers.map((a) => a.status))).toEqual(new Set([502]));
      expect(answers[0].body.error).toMatch(/refused the bridge's credentials \(HTTP 401/);
      // The first refusal refreshes at once (a token revoked early); the new token's refusal starts the
      // backoff (60 s here), so the other 48 calls request none: one per call would be 50.
      expect(b.emu.stats.tokenRequests - before).toBe(1);
    } finally {
      await b.close();
    }
  });
});
