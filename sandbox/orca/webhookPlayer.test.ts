/**
 * The Orca player itself, against a scripted webhook server: the Orca behaviours the bridge relies
 * on must be reproduced, or the lifecycle tests prove nothing.
 */
import { type IncomingMessage, type Server, createServer } from 'node:http';

import { artifactExpression } from '@cdaas/contract/deploy';
import { evaluateSpel, jsonPath, playWebhookStage, type SavedWebhookStage } from './webhookPlayer';

type Answer = { status: number; body?: unknown; contentType?: string; headers?: Record<string, string> };
let script: (req: IncomingMessage, body: string) => Answer;
const calls: Array<{ method: string; url: string; body: string; headers: IncomingMessage['headers'] }> = [];
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
      const a = script(req, body);
      const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {});
      res.writeHead(a.status, { 'Content-Type': a.contentType ?? 'application/json', ...a.headers });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => void calls.splice(0));

const stage = (over: Partial<SavedWebhookStage> = {}): SavedWebhookStage => ({
  url: `${base}/start/\${execution.id}`,
  method: 'POST',
  payload: { id: '${execution.id}', user: '${execution.authentication.user}' },
  customHeaders: { 'X-Spinnaker-User': 'leak', 'X-Custom': 'kept' },
  waitForCompletion: true,
  statusUrlResolution: 'webhookResponse',
  statusUrlJsonPath: '$.statusUrl',
  statusJsonPath: '$.status',
  progressJsonPath: '$.progress',
  successStatuses: 'succeeded',
  canceledStatuses: 'CANCELLED',
  terminalStatuses: 'FAILED,REJECTED',
  cancelEndpoint: `${base}/cancel/\${execution.id}`,
  cancelMethod: 'POST',
  cancelPayload: {},
  ...over,
});
const fast = { executionId: 'E1', createRetryDelayMs: 5, createRetryWindowMs: 200, pollIntervalMs: 5 };
const started = { status: 202, body: { statusUrl: '' } };
const withStatusUrl = () => ({ ...started, body: { statusUrl: `${base}/status` } });

describe('webhookPlayer', () => {
  it('evaluates SpEL, drops X-SPINNAKER-* headers, maps statuses case-insensitively', async () => {
    let polls = 0;
    script = (req) => (req.url?.startsWith('/start') ? withStatusUrl() : { status: 200, body: { status: ++polls < 2 ? 'running' : 'Succeeded', progress: `poll ${polls}` } });
    const r = await playWebhookStage(stage(), fast);
    expect(r.status).toBe('SUCCEEDED');
    expect(calls[0].url).toBe('/start/E1');
    expect(JSON.parse(calls[0].body)).toEqual({ id: 'E1', user: '${execution.authentication.user}' });
    expect(calls[0].headers['x-spinnaker-user']).toBeUndefined();
    expect(calls[0].headers['x-custom']).toBe('kept');
    expect(r.progress).toEqual(['poll 1', 'poll 2']);
  });

  it('retries 5xx and 429 on create, ends TERMINAL on another 4xx with the body in webhook.error, and calls cancel', async () => {
    const statuses = [503, 429, 400];
    script = (req) => (req.url?.startsWith('/start') ? { status: statuses.shift() ?? 500, body: { error: 'bad', field: 'x' } } : { status: 200 });
    const r = await playWebhookStage(stage(), fast);
    expect([r.status, r.createAttempts, r.webhook.statusCode]).toEqual(['TERMINAL', 3, 400]);
    expect(JSON.parse(r.webhook.error as string)).toEqual({ error: 'bad', field: 'x' });
    expect(calls.map((c) => c.url)).toEqual(['/start/E1', '/start/E1', '/start/E1', '/cancel/E1']);
  });

  it('fails fast on 504', async () => {
    script = () => ({ status: 504 });
    const r = await playWebhookStage(stage(), fast);
    expect([r.status, r.createAttempts]).toEqual(['TERMINAL', 1]);
  });

  it('refuses a relative status URL', async () => {
    script = () => ({ ...started, body: { statusUrl: '/status' } });
    const r = await playWebhookStage(stage(), fast);
    expect(r.reason).toBe('status URL is not an absolute URL: "/status"');
  });

  it('goes TERMINAL on a status answer that is not JSON or whose progress is not a string', async () => {
    script = (req) => (req.url?.startsWith('/start') ? withStatusUrl() : { status: 200, body: '{"status":"RUNNING","progress":"x"}', contentType: 'text/plain' });
    expect((await playWebhookStage(stage(), fast)).reason).toBe('status answer is not JSON: the status cannot be read');
    script = (req) => (req.url?.startsWith('/start') ? withStatusUrl() : { status: 200, body: { status: 'RUNNING', progress: { step: 2 } } });
    expect((await playWebhookStage(stage(), fast)).reason).toBe('progressJsonPath $.progress does not point at a string');
  });

  it('treats the integer 100 as success and keeps polling through 5xx', async () => {
    let polls = 0;
    script = (req) => (req.url?.startsWith('/start') ? withStatusUrl() : ++polls === 1 ? { status: 502 } : { status: 200, body: { status: polls === 2 ? 50 : 100, progress: 'p' } });
    const r = await playWebhookStage(stage(), fast);
    expect([r.status, r.polls]).toEqual(['SUCCEEDED', 3]);
  });

  it('calls cancel on a canceled status and when the user cancels', async () => {
    script = (req) => (req.url?.startsWith('/start') ? withStatusUrl() : req.url?.startsWith('/cancel') ? { status: 200, body: { ok: true } } : { status: 200, body: { status: 'cancelled', progress: 'c' } });
    const r = await playWebhookStage(stage(), fast);
    expect([r.status, r.cancel]).toEqual(['CANCELED', { statusCode: 200, body: { ok: true } }]);
    script = (req) => (req.url?.startsWith('/start') ? withStatusUrl() : { status: 200, body: { status: 'RUNNING', progress: 'r' } });
    const u = await playWebhookStage(stage(), { ...fast, onPoll: () => 'cancel' });
    expect(u.status).toBe('CANCELED');
    expect(calls[calls.length - 1].url).toBe('/cancel/E1');
  });

  it('evaluates artifact expressions to the bound artifact or leaves the text', () => {
    const expr = artifactExpression("ea-1's");
    const bound = { type: 'embedded/base64', reference: 'eA==' };
    expect(evaluateSpel({ a: expr }, { executionId: 'E', boundArtifacts: { "ea-1's": bound } })).toEqual({ a: bound });
    expect(evaluateSpel({ a: expr }, { executionId: 'E' })).toEqual({ a: expr });
    expect(jsonPath({ a: { b: [{ c: 1 }] } }, '$.a.b[0].c')).toBe(1);
  });
});
