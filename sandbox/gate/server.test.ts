// The Gate stand-in's contract with Deck and with the bridge: the proxy behaves as Gate's
// ProxyController does, plugin assets are served where Deck's loader looks, saves are recorded.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { closeServer } from '../lib/http';
import { pluginIdentity } from '../lib/plugin';
import { DEMO_APP, DEMO_CANCELED_EXECUTION_ID, DEMO_EXECUTION_ID, DEMO_PIPELINE_ID, defaultFixtures } from './fixtures';
import { type GateHandle, startGate } from './server';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let upstream: Server;
let seen: Seen[];
let upstreamStatus = 200;
let gate: GateHandle;
const upstreamBase = () => `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/base`;

beforeAll(async () => {
  seen = [];
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(upstreamStatus, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ upstream: true }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  gate = await startGate({ pluginDir: '/nonexistent', proxies: { cdaas: upstreamBase() }, fixtures: defaultFixtures() });
});

afterAll(async () => {
  await gate?.close();
  if (upstream) await closeServer(upstream);
});

beforeEach(() => {
  seen.length = 0;
  upstreamStatus = 200;
});

test('the cdaas proxy sends uri + rest of path with the query, and none of the caller headers', async () => {
  const res = await fetch(`${gate.url}/proxies/cdaas/v1/clusters/staging/deployments?namespace=payments&x=1`, {
    headers: { cookie: 'SESSION=abc', authorization: 'Bearer user-token', 'x-spinnaker-user': 'pat' },
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ upstream: true });
  expect(seen).toHaveLength(1);
  expect(seen[0].url).toBe('/base/v1/clusters/staging/deployments?namespace=payments&x=1');
  expect(seen[0].headers.cookie).toBeUndefined();
  expect(seen[0].headers.authorization).toBeUndefined();
  // Gate names its own signed-in user, never the one the caller claimed.
  expect(seen[0].headers['x-spinnaker-user']).toBe(defaultFixtures().user.username);
  expect(res.headers.get('x-proxy-url')).toBe(`${upstreamBase()}/v1/clusters/staging/deployments?namespace=payments&x=1`);
});

test('the proxy refuses PATCH as Gate has no mapping for it, and never calls upstream', async () => {
  const res = await fetch(`${gate.url}/proxies/cdaas/v1/deployments/p1/steps/s1/approve`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(405);
  expect(seen).toHaveLength(0);
});

test('a POST without a Content-Type is a 502 from Gate itself (okhttp refuses the null body)', async () => {
  const res = await fetch(`${gate.url}/proxies/cdaas/v1/deployments/p1/steps/s1/approve`, { method: 'POST', body: new Uint8Array() });
  expect(res.status).toBe(502);
  expect(res.headers.get('x-proxy-status-code')).toBeNull();
  expect(seen).toHaveLength(0);
});

test('signing in as another sandbox user changes /auth/user and the X-SPINNAKER-USER Gate sends', async () => {
  const other = await startGate({ pluginDir: '/nonexistent', proxies: { cdaas: upstreamBase() }, fixtures: defaultFixtures(), users: ['sam@example.com'] });
  try {
    const signIn = await fetch(`${other.url}/sandbox/sign-in?user=sam@example.com&next=${encodeURIComponent('http://127.0.0.1:9/deck')}`, { redirect: 'manual' });
    expect(signIn.status).toBe(302);
    expect(signIn.headers.get('location')).toBe('http://127.0.0.1:9/deck');
    expect(await (await fetch(`${other.url}/auth/user`)).json()).toMatchObject({ username: 'sam@example.com' });
    await fetch(`${other.url}/proxies/cdaas/v1/agents`);
    expect(seen.at(-1)?.headers['x-spinnaker-user']).toBe('sam@example.com');
    // Only known users, and never a redirect off the machine.
    expect((await fetch(`${other.url}/sandbox/sign-in?user=mallory@example.com`)).status).toBe(400);
    expect((await fetch(`${other.url}/sandbox/sign-in?user=sam@example.com&next=https://evil.example/`, { redirect: 'manual' })).status).toBe(200);
  } finally {
    await other.close();
  }
});

test('a Gate older than 1.31 names no user upstream', async () => {
  const old = await startGate({ pluginDir: '/nonexistent', proxies: { cdaas: upstreamBase() }, fixtures: defaultFixtures(), withoutUserHeader: true });
  try {
    await fetch(`${old.url}/proxies/cdaas/v1/agents`);
    expect(seen.at(-1)?.headers['x-spinnaker-user']).toBeUndefined();
  } finally {
    await old.close();
  }
});

test('a request body and its content type are forwarded', async () => {
  await fetch(`${gate.url}/proxies/cdaas/v1/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
  expect(seen[0]).toMatchObject({ method: 'POST', body: '{"a":1}' });
  expect(seen[0].headers['content-type']).toBe('application/json');
});

test('an upstream 5xx comes back as 502 with X-Proxy-Status-Code', async () => {
  upstreamStatus = 503;
  const res = await fetch(`${gate.url}/proxies/cdaas/v1/agents`);
  expect(res.status).toBe(502);
  expect(res.headers.get('x-proxy-status-code')).toBe('503');
});

test('an upstream 4xx is passed through as is', async () => {
  upstreamStatus = 404;
  const res = await fetch(`${gate.url}/proxies/cdaas/v1/deployments/nope`);
  expect(res.status).toBe(404);
  expect(res.headers.get('x-proxy-status-code')).toBeNull();
});

test('an unknown proxy id is a 404 naming it', async () => {
  const res = await fetch(`${gate.url}/proxies/other/v1/agents`);
  expect(res.status).toBe(404);
  expect(((await res.json()) as { message: string }).message).toContain("'other'");
});

test("CORS: Deck's origin is echoed with credentials, and preflights allow Deck's custom header", async () => {
  const pre = await fetch(`${gate.url}/pipelines`, {
    method: 'OPTIONS',
    headers: { origin: 'http://127.0.0.1:9000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-ratelimit-app' },
  });
  expect(pre.status).toBe(204);
  expect(pre.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:9000');
  expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
  expect(pre.headers.get('access-control-allow-headers')).toContain('x-ratelimit-app');
});

test('the plugin manifest names the id and version from package.json; a missing build is a 404 that says so', async () => {
  const { id, version } = pluginIdentity();
  expect(await (await fetch(`${gate.url}/plugins/deck/plugin-manifest.json`)).json()).toEqual([{ id, version }]);
  const res = await fetch(`${gate.url}/plugins/deck/${id}/${version}/index.js`);
  expect(res.status).toBe(404);
  expect(((await res.json()) as { message: string }).message).toContain('npm run build');
});

test('POST /pipelines records the pipeline and later reads of pipelineConfigs return it', async () => {
  const pipeline = { ...defaultFixtures().pipelineConfigs[0], stages: [{ refId: '1', type: 'wait', name: 'Wait', requisiteStageRefIds: [] }] };
  const res = await fetch(`${gate.url}/pipelines?staleCheck=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pipeline) });
  expect(res.status).toBe(200);
  expect(gate.savedPipelines.at(-1)).toMatchObject({ staleCheck: true, pipeline: { id: DEMO_PIPELINE_ID, stages: [{ type: 'wait' }] } });
  const configs = (await (await fetch(`${gate.url}/applications/${DEMO_APP}/pipelineConfigs`)).json()) as Array<{ id: string; stages: unknown[] }>;
  expect(configs.find((c) => c.id === DEMO_PIPELINE_ID)?.stages).toHaveLength(1);
});

test('executions: the list filters by status, and /pipelines/{id} returns one execution', async () => {
  const list = async (q: string) =>
    ((await (await fetch(`${gate.url}/applications/${DEMO_APP}/pipelines?${q}`)).json()) as Array<{ id: string }>).map((e) => e.id);
  // Regression: a seeded execution stayed RUNNING forever, so every manual run warned
  // "This pipeline is currently executing!".
  expect(await list('statuses=RUNNING,PAUSED,NOT_STARTED&limit=2')).toEqual([]);
  expect(await list('statuses=SUCCEEDED')).toEqual([DEMO_EXECUTION_ID]);
  expect(await list('statuses=CANCELED')).toEqual([DEMO_CANCELED_EXECUTION_ID]);
  expect(await (await fetch(`${gate.url}/applications/${DEMO_APP}/pipelines/running`)).json()).toEqual([]);
  const one = (await (await fetch(`${gate.url}/pipelines/${DEMO_EXECUTION_ID}`)).json()) as { stages: Array<{ type: string }> };
  expect(one.stages[0].type).toBe('cdaasDeploy');
  expect((await fetch(`${gate.url}/pipelines/unknown-id`)).status).toBe(404);
});

test('expand=false lists executions as Orca does: stages without context, outputs or tasks', async () => {
  const list = (await (await fetch(`${gate.url}/applications/${DEMO_APP}/pipelines?expand=false`)).json()) as Array<{ stages: Array<{ context: object; tasks: unknown[] }> }>;
  expect(list[0].stages[0]).toMatchObject({ context: {}, tasks: [] });
  const full = (await (await fetch(`${gate.url}/applications/${DEMO_APP}/pipelines?expand=true`)).json()) as Array<{ stages: Array<{ context: { webhook?: unknown } }> }>;
  expect(full[0].stages[0].context.webhook).toBeDefined();
});

test('a trigger without a runner is refused with a reason, not dropped', async () => {
  const res = await fetch(`${gate.url}/pipelines/v2/${DEMO_APP}/${encodeURIComponent('Deploy potato-facts')}`, { method: 'POST', body: '{}' });
  expect(res.status).toBe(503);
  expect(gate.triggers.at(-1)).toMatchObject({ application: DEMO_APP, pipelineName: 'Deploy potato-facts' });
});

test('the execution fixtures carry what the bridge really answers, and end as real runs do', async () => {
  const { startAnswerSchema, statusAnswerSchema } = await import('@cdaas/contract/deploy');
  const v = await import('valibot');
  for (const execution of defaultFixtures().executions) {
    const stage = execution.stages[0];
    const webhook = stage.context.webhook as { body: unknown; monitor: { body: unknown } };
    // A contract change that the fixture does not follow fails here, not as a puzzling e2e failure.
    expect(v.safeParse(startAnswerSchema, webhook.body).success).toBe(true);
    expect(v.safeParse(statusAnswerSchema, webhook.monitor.body).success).toBe(true);
    expect(stage).toMatchObject({ type: 'cdaasDeploy', context: { alias: 'webhook', statusJsonPath: '$.status' } });
    // Ended: the execution, its stage and every task have an end time after their start.
    for (const item of [execution, stage, ...stage.tasks]) {
      expect(item.endTime).toBeGreaterThanOrEqual(item.startTime ?? Infinity);
    }
    expect(stage.tasks.every((t) => t.status !== 'RUNNING')).toBe(true);
  }
  expect(defaultFixtures().executions.map((e) => [e.status, e.canceled])).toEqual([['SUCCEEDED', false], ['CANCELED', true]]);
});

test("Deck's Projects and Pipeline Templates pages get Gate's empty answers, not a 404", async () => {
  expect(await (await fetch(`${gate.url}/projects`)).json()).toEqual([]);
  expect(await (await fetch(`${gate.url}/pipelineTemplates?scope=global`)).json()).toEqual([]);
  expect(await (await fetch(`${gate.url}/v2/pipelineTemplates/versions`)).json()).toEqual({});
  expect(gate.unknownRequests).toEqual([]);
});

// An empty list made the inline artifact editor say no Spinnaker account handles http/file.
test('artifact accounts are answered as Clouddriver names them, each with its types', async () => {
  const accounts = (await (await fetch(`${gate.url}/artifacts/credentials`)).json()) as Array<{ name: string; types: string[] }>;
  expect(accounts.find((a) => a.types.includes('http/file'))?.name).toBe('http-artifacts');
  expect(accounts.find((a) => a.types.includes('embedded/base64'))?.name).toBe('embedded-artifact');
});
