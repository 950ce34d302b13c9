/**
 * Security properties over real sockets: no secret in logs, answers or metrics; the read listener
 * is GET-only; no path trick reaches another upstream host or path; oversized bodies are refused;
 * artifact fetches stay on allowed hosts; client network allow-lists.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type Emulator, startEmulator } from '../emulator/index';
import { waitFor } from '../../test/support/waitFor';
import { type Harness, DEPLOYMENT_YAML, deployRequest, getJson, postJson, startHarness } from './harness';

interface Seen {
  method?: string;
  url?: string;
  authorization?: string;
  accept?: string;
}

/** A plain HTTP server recording what it was asked, answering with `answer`. */
async function recordingServer(answer: (req: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: string }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, accept: req.headers.accept });
    const a = answer(req);
    res.writeHead(a.status, a.headers);
    res.end(a.body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { seen, port, host: `127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Sends a request target byte for byte (fetch would normalise `..` and `//`). */
function rawRequest(baseUrl: string, method: string, target: string, body?: Buffer | string, headers: Record<string, string | number> = {}) {
  const u = new URL(baseUrl);
  return new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path: target, headers, setHost: true }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

let emu: Emulator;
let h: Harness;
let evil: Awaited<ReturnType<typeof recordingServer>>;
let files: Awaited<ReturnType<typeof recordingServer>>;
let other: Awaited<ReturnType<typeof recordingServer>>;
const dir = mkdtempSync(join(tmpdir(), 'bridge-sec-'));
const ARTIFACT_TOKEN = 'artifact-server-token-do-not-leak';
const GITHUB_TOKEN = 'ghp_githubtokendonotleak000000000000';

beforeAll(async () => {
  emu = await startEmulator({ stepIntervalMs: 60 });
  evil = await recordingServer(() => ({ status: 200, body: '[]', headers: { 'Content-Type': 'application/json' } }));
  other = await recordingServer(() => ({ status: 200, body: DEPLOYMENT_YAML }));
  files = await recordingServer((req) => {
    if (req.url === '/manifests/api.yml') return { status: 200, body: DEPLOYMENT_YAML };
    if (req.url === '/moved-same-host') return { status: 302, headers: { Location: '/manifests/api.yml' } };
    if (req.url === '/moved-elsewhere') return { status: 302, headers: { Location: `http://${other.host}/manifests/api.yml` } };
    if (req.url === '/huge') return { status: 200, body: 'x'.repeat(64 * 1024) };
    if (req.url?.startsWith('/repos/acme/deploy/contents/api.yml')) return { status: 200, body: DEPLOYMENT_YAML };
    return { status: 404, body: 'not found' };
  });
  writeFileSync(join(dir, 'artifact-token'), ARTIFACT_TOKEN);
  writeFileSync(join(dir, 'github-token'), GITHUB_TOKEN);
  writeFileSync(
    join(dir, 'config.yml'),
    `artifacts:\n  credentials:\n    - host: "${files.host}"\n      type: bearer\n      secretFile: ${join(dir, 'artifact-token')}\n`,
  );
  h = await startHarness(
    {},
    {
      BRIDGE_CONFIG_FILE: join(dir, 'config.yml'),
      BRIDGE_DEPLOY_MAX_BODY_BYTES: String(64 * 1024),
      BRIDGE_ARTIFACT_ALLOWED_HOSTS: files.host,
      BRIDGE_ARTIFACT_GITHUB_API_HOSTS: files.host,
      BRIDGE_ARTIFACT_ALLOW_HTTP: 'true',
      BRIDGE_ARTIFACT_MAX_BYTES: String(16 * 1024),
      BRIDGE_GITHUB_TOKEN_FILE: join(dir, 'github-token'),
    },
    {},
    emu,
  );
  await waitFor(async () => ((await getJson(`${h.bridge.readUrl}/readyz`)).status === 200 ? true : undefined), 'readiness');
});
afterAll(async () => {
  await h?.close();
  await emu?.close();
  await Promise.all([evil?.close(), files?.close(), other?.close()]);
});

const startUrl = (exec: string) => `${h.bridge.deployUrl}/v1/executions/${exec}/stages/1/deployment`;
function withArtifact(exec: string, artifact: Record<string, unknown>) {
  return deployRequest(exec, '1', {
    files: {},
    artifacts: [{ path: 'manifests/api.yml', expectedArtifactId: 'ea-1', displayName: 'api manifest', artifact }],
  });
}

describe('secrets', () => {
  it('never shows the client secret, artifact credentials or tokens in logs, answers or metrics', async () => {
    const answers: string[] = [];
    const keep = (r: { body: unknown }) => answers.push(JSON.stringify(r.body));
    const exec = '01JSECRETS';
    const started = await postJson(startUrl(exec), deployRequest(exec, '1'));
    keep(started);
    keep(await getJson(started.body.statusUrl));
    keep(await postJson(`${startUrl(exec)}/cancel`, {}));
    keep(await postJson(startUrl('01JSECRETS2'), withArtifact('01JSECRETS2', { type: 'http/file', reference: `http://${files.host}/manifests/api.yml` })));
    await postJson(`${startUrl('01JSECRETS2')}/cancel`, {});
    keep(await postJson(startUrl('01JSECRETS3'), { not: 'a deploy request' }));
    for (const p of ['/v1/agents', '/v1/clusters', '/v1/clusters/staging/deployments', '/readyz', '/healthz']) keep(await getJson(h.bridge.readUrl + p));
    const metrics = await (await fetch(`${h.bridge.readUrl}/metrics`)).text();
    expect(metrics).toMatch(/cdaas_bridge_token_requests_total\{outcome="ok"\} 1/);
    expect(files.seen.some((s) => s.authorization === `Bearer ${ARTIFACT_TOKEN}`)).toBe(true);

    const everything = [...answers, metrics, ...h.logs].join('\n');
    for (const secret of [h.secret, ARTIFACT_TOKEN, GITHUB_TOKEN]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
    expect(everything.toLowerCase()).not.toContain('authorization');
    // One JSON line per request.
    const lines = h.logs.map((l) => JSON.parse(l) as { msg: string; listener?: string });
    expect(lines.filter((l) => l.msg === 'request').length).toBeGreaterThanOrEqual(answers.length);
  });
});

describe('read listener', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE'])('refuses %s with 405 and Allow: GET', async (method) => {
    const res = await rawRequest(h.bridge.readUrl, method, '/v1/agents');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
  });

  const tricks = [
    '/v1/clusters/../../identity/connected-agents',
    '/v1/clusters/%2e%2e/namespaces',
    '/v1/clusters/%2E%2E%2F%2E%2E%2Fidentity%2Fconnected-agents/namespaces',
    '/v1/clusters/staging%2F..%2F..%2Fpipelines/namespaces',
    '/v1/clusters/staging%2fnamespaces/namespaces',
    '/v1/clusters/%5c..%5cidentity/namespaces',
    '/v1/clusters/http:%2F%2F127.0.0.1:1%2F/namespaces',
    '//127.0.0.1/v1/agents',
    '/v1//clusters',
    '/identity/connected-agents',
    '/pipelines/kubernetes',
    '/v1/clusters/%00/namespaces',
    '/v1/clusters/%zz/namespaces',
  ];
  it('lets no path trick reach another upstream path or host', async () => {
    const before = new Map(emu.stats.requestsByPath);
    const tricksWithHost = [...tricks, `http://${evil.host}/v1/agents`, `http://${evil.host}/identity/connected-agents`];
    for (const target of tricksWithHost) {
      const res = await rawRequest(h.bridge.readUrl, 'GET', target);
      expect([400, 404], `${target} -> ${res.status} ${res.body}`).toContain(res.status);
      expect(JSON.parse(res.body)).toHaveProperty('error');
    }
    expect(evil.seen).toEqual([]);
    // The emulator saw nothing new at all.
    expect(new Map(emu.stats.requestsByPath)).toEqual(before);
  });
});

describe('deploy listener', () => {
  it('refuses an oversized body with 413, declared or streamed', async () => {
    const big = JSON.stringify({ ...deployRequest('01JBIG', '1'), padding: 'x'.repeat(70 * 1024) });
    const declared = await postJson(startUrl('01JBIG'), JSON.parse(big));
    expect(declared.status).toBe(413);
    expect(declared.body).toEqual({ error: 'request body is larger than 65536 bytes', field: 'body' });
    const streamed = await rawRequest(h.bridge.deployUrl, 'POST', '/v1/executions/01JBIG/stages/1/deployment', big, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
    });
    expect(streamed.status).toBe(413);
  });

  it('refuses a body that is not JSON, or not a deploy request, naming the field', async () => {
    const notJson = await rawRequest(h.bridge.deployUrl, 'POST', '/v1/executions/01JX/stages/1/deployment', 'deployment: yes', { 'Content-Type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).field).toBe('body');
    const wrongType = await rawRequest(h.bridge.deployUrl, 'POST', '/v1/executions/01JX/stages/1/deployment', '{}', { 'Content-Type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    const bad = await postJson(startUrl('01JX'), { ...deployRequest('01JX', '1'), contractVersion: 'v9' });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('contractVersion');
  });

  it('refuses an unevaluated execution id in the URL', async () => {
    const res = await rawRequest(h.bridge.deployUrl, 'POST', '/v1/executions/$%7Bexecution.id%7D/stages/1/deployment', '{}', { 'Content-Type': 'application/json' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: 'path parameter executionId has characters that are not allowed', field: 'executionId' });
  });
});

describe('artifact fetches', () => {
  it('fetches an http/file artifact from an allowed host, with that host’s credential', async () => {
    const res = await postJson(startUrl('01JART1'), withArtifact('01JART1', { type: 'http/file', reference: `http://${files.host}/moved-same-host` }));
    expect(res.status).toBe(202);
    expect(files.seen.filter((s) => s.url === '/manifests/api.yml').every((s) => s.authorization === `Bearer ${ARTIFACT_TOKEN}`)).toBe(true);
    await postJson(`${startUrl('01JART1')}/cancel`, {});
  });

  it('refuses a host outside the allow-list without calling it', async () => {
    const res = await postJson(startUrl('01JART2'), withArtifact('01JART2', { type: 'http/file', reference: `http://${evil.host}/latest/meta-data` }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: `artifact "api manifest" for manifests/api.yml: http/file host ${evil.host} is not in the bridge's allowed artifact hosts`, field: 'artifacts[0].artifact' });
    const metadata = await postJson(startUrl('01JART2'), withArtifact('01JART2', { type: 'http/file', reference: 'http://169.254.169.254/latest/meta-data/' }));
    expect(metadata.status).toBe(400);
    expect(evil.seen).toEqual([]);
  });

  it('refuses a redirect to another host, and sends that host nothing', async () => {
    const res = await postJson(startUrl('01JART3'), withArtifact('01JART3', { type: 'http/file', reference: `http://${files.host}/moved-elsewhere` }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/redirected to another host or scheme \(http:\/\/127\.0\.0\.1:\d+\); the bridge follows redirects only within the same host/);
    expect(other.seen).toEqual([]);
  });

  it('refuses an artifact over the size limit', async () => {
    const res = await postJson(startUrl('01JART4'), withArtifact('01JART4', { type: 'http/file', reference: `http://${files.host}/huge` }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/larger than 16384 bytes/);
  });

  it('fetches github/file through the contents API with the raw media type and the token', async () => {
    const reference = `http://${files.host}/repos/acme/deploy/contents/api.yml`;
    const res = await postJson(startUrl('01JART5'), withArtifact('01JART5', { type: 'github/file', reference, version: 'main' }));
    expect(res.status).toBe(202);
    const call = files.seen.find((s) => s.url?.startsWith('/repos/acme/deploy/contents/api.yml'));
    expect(call).toEqual({ method: 'GET', url: '/repos/acme/deploy/contents/api.yml?ref=main', authorization: `Bearer ${GITHUB_TOKEN}`, accept: 'application/vnd.github.v3.raw' });
    await postJson(`${startUrl('01JART5')}/cancel`, {});
  });

  it('refuses an unsupported artifact type, naming it', async () => {
    const res = await postJson(startUrl('01JART6'), withArtifact('01JART6', { type: 'docker/image', reference: 'nginx:1.25' }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/artifact type "docker\/image" is not supported by the bridge \(supported: embedded\/base64, http\/file, github\/file\)/);
  });
});

describe('client network allow-list', () => {
  it('answers 403 to a client outside the deploy listener’s networks, serves one inside', async () => {
    const closed = await startHarness({}, { BRIDGE_DEPLOY_ALLOWED_CIDRS: '10.0.0.0/8,fd00::/8' }, {}, emu);
    const open = await startHarness({}, { BRIDGE_DEPLOY_ALLOWED_CIDRS: '127.0.0.0/8' }, {}, emu);
    try {
      const refused = await getJson(`${closed.bridge.deployUrl}/v1/deployments/some-id`);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatch(/client 127\.0\.0\.1 is not in the deploy listener's allowed networks/);
      expect((await getJson(`${closed.bridge.deployUrl}/metrics`)).status).toBe(403);
      // Probes come from the kubelet on the node, outside the allowed networks.
      expect((await getJson(`${closed.bridge.deployUrl}/healthz`)).status).toBe(200);
      expect((await getJson(`${open.bridge.deployUrl}/healthz`)).status).toBe(200);
    } finally {
      await closed.close();
      await open.close();
    }
  });
});
