/**
 * The deploy listener against a fake CdaasClient (the interface, not HTTP mocks), over a real
 * loopback socket: request validation, the start body sent to CD-as-a-Service, statusUrl.
 */
import { createServer, type Server } from 'node:http';

import axios from 'axios';

import { ArtifactResolver } from '../artifacts/resolver';
import type { CdaasClient, StartPipelineBody } from '../cdaas/client';
import { createListener, listen } from '../http/server';
import { silentLogger } from '../observability/log';
import { BridgeMetrics } from '../observability/metrics';
import { deployRoutes } from './listener';
import { DeploymentCoordinator } from '../state/coordinator';
import { MemoryStateStore } from '../state/memoryStore';

const sent: StartPipelineBody[] = [];
const fakeClient: CdaasClient = {
  connectedAgents: async () => [],
  startPipeline: async (body) => (sent.push(body), { pipelineId: `p-${sent.length}`, warnings: [] }),
  pipeline: async (id) => ({ id, status: 'RUNNING', steps: [] }),
  cancelPipeline: async () => undefined,
  cluster: async () => ({ agentIdentifier: 'x', kubernetesVersion: '1.29' }),
  namespaces: async () => ({ items: [] }),
  deployments: async () => ({ items: [] }),
  replicaSets: async () => ({ items: [] }),
  services: async () => ({ items: [] }),
};

type ArtifactSettings = ConstructorParameters<typeof ArtifactResolver>[1];
const NO_ARTIFACT_HOSTS: ArtifactSettings = { allowedHosts: [], githubApiHosts: [], credentials: [], maxBytes: 1024 * 1024, timeoutMs: 1000, allowHttp: false };

function makeServer(publicBaseUrl?: string, artifactSettings: ArtifactSettings = NO_ARTIFACT_HOSTS): Server {
  return createListener({
    name: 'deploy',
    routes: deployRoutes({
      client: fakeClient,
      coordinator: new DeploymentCoordinator(new MemoryStateStore(), { claimTtlMs: 60_000, waitMs: 5_000, unknownHoldMs: 60_000 }),
      artifacts: new ArtifactResolver(axios.create(), artifactSettings),
      logger: silentLogger,
      metrics: new BridgeMetrics(),
      publicBaseUrl,
      consoleBaseUrl: 'https://console.cloud.armory.io',
      envId: () => 'env-9',
      entryTtlMs: 24 * 3600_000,
    }),
    logger: silentLogger,
    metrics: new BridgeMetrics(),
    maxBodyBytes: 1024 * 1024,
    allowedCidrs: [],
    ready: () => ({ ready: true }),
  });
}

let server: Server;
let base: string;
let publicServer: Server;
let publicBase: string;
beforeAll(async () => {
  server = makeServer();
  base = await listen(server, '127.0.0.1', 0);
  publicServer = makeServer('https://cdaas-bridge.example.com');
  publicBase = await listen(publicServer, '127.0.0.1', 0);
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await new Promise((r) => publicServer.close(r));
});
beforeEach(() => void sent.splice(0));

const MANIFEST = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n';
function request(exec: string, over: Record<string, unknown> = {}, context: Record<string, unknown> = {}) {
  return {
    contractVersion: 'v1',
    deployment: { version: 'v1', kind: 'kubernetes', application: 'payments', targets: { prod: { account: 'prod', strategy: 'c' } }, manifests: [{ path: 'm.yml' }] },
    files: { 'm.yml': [MANIFEST] },
    artifacts: [],
    context: { application: 'payments-app', pipelineName: 'Deploy', executionId: exec, stageRefId: '1', user: '${execution.authentication.user}', ...context },
    ...over,
  };
}
/** A deploy.yml the YAML stage's editor accepts, as an artifact would carry it. */
const ARTIFACT_YML = [
  'version: v1',
  'kind: kubernetes',
  'application: from-artifact',
  'targets:',
  '  prod:',
  '    account: prod',
  '    namespace: payments',
  '    strategy: rolling',
  'strategies:',
  '  rolling:',
  '    canary:',
  '      steps:',
  '        - setWeight:',
  '            weight: 100',
  'manifests:',
  '  - path: m.yml',
  '',
].join('\n');
const deployYmlArtifact = (text: string) => ({
  path: 'deploy.yml',
  expectedArtifactId: 'deploy-yml',
  artifact: { type: 'embedded/base64', reference: Buffer.from(text).toString('base64') },
});
async function start(baseUrl: string, exec: string, body: unknown) {
  const res = await fetch(`${baseUrl}/v1/executions/${exec}/stages/1/deployment`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('deploy listener start', () => {
  it('sends deploy.yml + application + files + context, ignoring an unevaluated user', async () => {
    const res = await start(base, 'E1', request('E1'));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      pipelineId: 'p-1',
      statusUrl: `${base}/v1/deployments/p-1`,
      consoleUrl: 'https://console.cloud.armory.io/deployments/pipeline/p-1?environmentId=env-9',
      warnings: [],
      reused: false,
    });
    expect(sent[0]).toEqual({
      version: 'v1',
      kind: 'kubernetes',
      application: 'payments',
      targets: { prod: { account: 'prod', strategy: 'c' } },
      manifests: [{ path: 'm.yml' }],
      files: { 'm.yml': [MANIFEST] },
      context: { spinnakerApplication: 'payments-app', spinnakerExecutionId: 'E1', spinnakerStageRefId: '1', spinnakerPipeline: 'Deploy' },
    });
  });

  it('drops an unevaluated pipeline name too', async () => {
    await start(base, 'E8', request('E8', {}, { pipelineName: '${execution.name}' }));
    expect(sent[0].context).toEqual({ spinnakerApplication: 'payments-app', spinnakerExecutionId: 'E8', spinnakerStageRefId: '1' });
  });

  // Regression: the listener checked startsWith('${'), so an expression after a prefix went to CDaaS as typed.
  it('drops a pipeline name with an unevaluated expression after a prefix', async () => {
    await start(base, 'E9', request('E9', {}, { pipelineName: 'Deploy ${trigger.tag}' }));
    expect(sent[0].context).toEqual({ spinnakerApplication: 'payments-app', spinnakerExecutionId: 'E9', spinnakerStageRefId: '1' });
  });

  it('passes an evaluated user on, and builds statusUrl from the configured public base URL', async () => {
    const res = await start(publicBase, 'E2', request('E2', {}, { user: 'alice@example.com' }));
    expect(res.body.statusUrl).toBe('https://cdaas-bridge.example.com/v1/deployments/p-1');
    expect(sent[0].context.spinnakerUser).toBe('alice@example.com');
  });

  it('parses a deploy.yml artifact into the deployment, and reports YAML errors with line:column', async () => {
    const ok = await start(base, 'E3', request('E3', { deployment: {}, artifacts: [deployYmlArtifact(ARTIFACT_YML)] }));
    expect(ok.status).toBe(202);
    expect(sent[0]).toMatchObject({ version: 'v1', application: 'from-artifact', manifests: [{ path: 'm.yml' }], files: { 'm.yml': [MANIFEST] } });
    const bad = await start(base, 'E4', request('E4', { deployment: {}, artifacts: [deployYmlArtifact('version: v1\nkind: [kubernetes\n')] }));
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('artifacts[0]');
    expect(bad.body.details).toEqual([expect.stringMatching(/^deploy\.yml \(line 3, column 1\): YAML syntax error: /)]);
    expect(sent).toHaveLength(1);
  });

  // Regression: a deploy.yml artifact was only parsed, so a file the YAML stage's editor refuses
  // went upstream and failed there, without a position, or deployed something else than meant.
  it('validates a deploy.yml artifact with the contract rules, answering every problem with path, line and column', async () => {
    const yml = ARTIFACT_YML.replace('strategy: rolling', 'strategy: rollin').replace('weight: 100', 'weight: 150');
    const bad = await start(base, 'E10', request('E10', { deployment: {}, artifacts: [deployYmlArtifact(yml)] }));
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: expect.stringMatching(/^deploy\.yml from artifact "deploy-yml" for deploy\.yml has 2 problems; fix the file and run the pipeline again\. First: targets\.prod\.strategy \(line 8, column 15\)/),
      field: 'artifacts[0]',
      details: [
        "targets.prod.strategy (line 8, column 15): strategy 'rollin' is not defined (did you mean 'rolling'?); defined: rolling",
        'strategies.rolling.canary.steps[0].setWeight.weight (line 14, column 21): weight must be from 1 to 100, found 150',
      ],
    });
    expect(sent).toEqual([]);
  });

  // Issue 7's known gap: Orca never evaluates an artifact's contents, so `${…}` in a deploy.yml
  // artifact reached CDaaS as written with nothing telling the author.
  it('starts a deploy.yml artifact holding ${…} but warns where each expression sits', async () => {
    const yml = ARTIFACT_YML.replace('account: prod', 'account: ${parameters.account}');
    const res = await start(base, 'E11', request('E11', { deployment: {}, artifacts: [deployYmlArtifact(yml)] }));
    expect(res.status).toBe(202);
    expect(res.body.warnings).toEqual([
      expect.stringMatching(/^deploy\.yml from artifact "deploy-yml" for deploy\.yml: targets\.prod\.account \(line \d+, column 14\): holds \$\{parameters\.account\}: Orca does not evaluate expressions inside an artifact/),
    ]);
    expect(sent[0]).toMatchObject({ targets: { prod: { account: '${parameters.account}' } } });
  });

  // Deck never sees an artifact's text, so the start answer is the only place its warnings (an
  // unknown key, a duplicated manifest path) could reach the author; they were dropped.
  it('answers a deploy.yml artifact\'s validator warnings with the start, by path and line:column', async () => {
    const yml = ARTIFACT_YML.replace('kind: kubernetes', 'kind: kubernetes\ndescripton: payments');
    const res = await start(base, 'E12', request('E12', { deployment: {}, artifacts: [deployYmlArtifact(yml)] }));
    expect(res.status).toBe(202);
    expect(res.body.warnings).toEqual([expect.stringMatching(/^deploy\.yml from artifact "deploy-yml" for deploy\.yml: descripton \(line 3, column 1\): unknown key 'descripton'; known keys: version, kind/)]);
    expect(sent).toHaveLength(1);
  });

  it('refuses a manifest path that has no text, naming the deploy.yml field', async () => {
    const res = await start(base, 'E5', request('E5', { files: {} }));
    expect(res).toEqual({
      status: 400,
      body: { error: 'deploy.yml manifests[0].path "m.yml" has no manifest text: add it to the stage or bind an artifact for it', field: 'deployment.manifests[0].path' },
    });
    expect(sent).toEqual([]);
  });

  it('refuses a request whose context does not match the URL, and a schema violation naming its field', async () => {
    const mismatch = await start(base, 'E6', request('OTHER'));
    expect(mismatch.body).toMatchObject({ field: 'context.executionId' });
    const bad = await start(base, 'E7', request('E7', { files: { 'm.yml': 'not a list' } }));
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('files.m.yml');
    // The refused value itself (manifest text) never comes back in the answer.
    expect(bad.body.error).toBe('invalid deploy request: files.m.yml: expected Array, received string');
  });

  it('answers an unknown route 404 and a wrong method 405 with Allow', async () => {
    expect((await fetch(`${base}/v1/nothing`)).status).toBe(404);
    const res = await fetch(`${base}/v1/executions/E1/stages/1/deployment`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('deploy listener start with inline artifacts', () => {
  // A real artifact server on loopback, and a bridge that may read from it (plain http, as in the sandbox).
  const served: string[] = [];
  let files: Server;
  let filesHost: string;
  let bridge: Server;
  let bridgeBase: string;
  beforeAll(async () => {
    files = createServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === '/manifests/api.yml') return void res.end(MANIFEST);
      res.statusCode = 404;
      res.end();
    });
    filesHost = new URL(await listen(files, '127.0.0.1', 0)).host;
    bridge = makeServer(undefined, { ...NO_ARTIFACT_HOSTS, allowedHosts: [filesHost], allowHttp: true });
    bridgeBase = await listen(bridge, '127.0.0.1', 0);
  });
  afterAll(async () => {
    await new Promise((r) => files.close(r));
    await new Promise((r) => bridge.close(r));
  });
  beforeEach(() => void served.splice(0));

  const inline = (artifact: Record<string, unknown>, path = 'm.yml') => ({ source: 'inline', path, artifact });

  it('fetches an inline http/file artifact and sends its text as the manifest', async () => {
    const body = request('I1', { files: {}, artifacts: [inline({ type: 'http/file', artifactAccount: 'http', reference: `http://${filesHost}/manifests/api.yml` })] });
    const res = await start(bridgeBase, 'I1', body);
    expect(res.status).toBe(202);
    expect(served).toEqual(['/manifests/api.yml']);
    expect(sent[0].files).toEqual({ 'm.yml': [MANIFEST] });
  });

  it('reads an inline embedded/base64 deploy.yml in place of the deployment', async () => {
    const reference = Buffer.from(ARTIFACT_YML).toString('base64');
    const body = request('I2', { deployment: {}, artifacts: [inline({ type: 'embedded/base64', reference }, 'deploy.yml')] });
    const res = await start(bridgeBase, 'I2', body);
    expect(res.status).toBe(202);
    expect(sent[0].application).toBe('from-artifact');
    expect(sent[0].files).toEqual({ 'm.yml': [MANIFEST] });
  });

  it('refuses an inline reference Orca could not evaluate, naming the field, and fetches nothing', async () => {
    const reference = `http://${filesHost}/manifests/\${trigger.tag}/api.yml`;
    const res = await start(bridgeBase, 'I3', request('I3', { files: {}, artifacts: [inline({ type: 'http/file', reference })] }));
    expect(res).toEqual({
      status: 400,
      body: {
        error: "inline artifact for m.yml: its reference still holds an expression Orca could not evaluate at stage start; fix the expression in the stage's inline artifact",
        field: 'artifacts[0].artifact.reference',
      },
    });
    expect(served).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('refuses an unevaluated inline github/file version the same way', async () => {
    const artifact = { type: 'github/file', reference: 'https://api.github.com/repos/o/r/contents/m.yml', version: '\${trigger.sha}' };
    const res = await start(bridgeBase, 'I4', request('I4', { files: {}, artifacts: [inline(artifact)] }));
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('artifacts[0].artifact.version');
    expect(sent).toEqual([]);
  });

  it('names an inline artifact by its path when its server or type fails', async () => {
    const missing = await start(bridgeBase, 'I5', request('I5', { files: {}, artifacts: [inline({ type: 'http/file', reference: `http://${filesHost}/gone.yml` })] }));
    expect(missing).toEqual({
      status: 400,
      body: { error: `inline artifact for m.yml: artifact server ${filesHost} answered HTTP 404 for /gone.yml`, field: 'artifacts[0].artifact' },
    });
    const s3 = await start(bridgeBase, 'I6', request('I6', { files: {}, artifacts: [inline({ type: 's3/object', reference: 's3://b/k' })] }));
    expect(s3.body.error).toBe('inline artifact for m.yml: artifact type "s3/object" is not supported by the bridge (supported: embedded/base64, http/file, github/file)');
    expect(sent).toEqual([]);
  });

  it('still runs a stage saved before inline artifacts existed: an expected artifact Orca bound', async () => {
    // The entry exactly as such a stage sends it once Orca evaluated artifactExpression(): no `source`.
    const bound = { path: 'm.yml', expectedArtifactId: 'ea-api', displayName: 'api manifest', artifact: { type: 'http/file', reference: `http://${filesHost}/manifests/api.yml` } };
    const res = await start(bridgeBase, 'I7', request('I7', { files: {}, artifacts: [bound] }));
    expect(res.status).toBe(202);
    expect(sent[0].files).toEqual({ 'm.yml': [MANIFEST] });
    const unbound = await start(bridgeBase, 'I8', request('I8', { files: {}, artifacts: [{ ...bound, artifact: '\${trigger.resolvedExpectedArtifacts}' }] }));
    expect(unbound.body).toEqual({
      error: 'expected artifact "api manifest" (ea-api) for m.yml was not bound: neither the pipeline trigger nor an upstream stage provided a matching artifact, so Orca left the expression unevaluated',
      field: 'artifacts[0].artifact',
    });
  });
});
