// The one-command sandbox, started programmatically on free ports: Deck answers, Gate serves our
// plugin the way Gate's deck-proxy does, and the cdaas proxy reaches the bridge + emulator.
import { DEMO_RUN_PIPELINE_NAME } from '../../sandbox/demoRun';
import { DEMO_APP } from '../../sandbox/gate/fixtures';
import { pluginIdentity } from '../../sandbox/lib/plugin';
import { type Sandbox, startSandbox } from '../../sandbox/start';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({});
});

afterAll(async () => {
  await sandbox?.close();
});

test('the Deck shell answers with the page that boots @spinnaker/core', async () => {
  const res = await fetch(sandbox.urls.deck + '/');
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('<spinnaker></spinnaker>');
  const settings = await (await fetch(sandbox.urls.deck + '/settings.js')).text();
  expect(settings).toContain(JSON.stringify(sandbox.urls.gate));
});

test("Gate lists our plugin and serves its index.js at Deck's default plugin URL", async () => {
  const { id, version } = pluginIdentity();
  const manifest = await (await fetch(sandbox.urls.gate + '/plugins/deck/plugin-manifest.json')).json();
  expect(manifest).toEqual([{ id, version }]);
  const js = await fetch(`${sandbox.urls.gate}/plugins/deck/${id}/${version}/index.js`);
  expect(js.status).toBe(200);
  expect(js.headers.get('content-type')).toMatch(/javascript/);
  expect(await js.text()).toMatch(/export\s*\{[^}]*\bplugin\b/);
});

test('the cdaas proxy returns the emulator agents through the bridge read listener', async () => {
  const res = await fetch(sandbox.urls.gate + '/proxies/cdaas/v1/agents');
  expect(res.status).toBe(200);
  const body = (await res.json()) as { agents: Array<{ agentIdentifier: string }> };
  expect(body.agents.length).toBeGreaterThan(0);
  expect(body.agents.map((a) => a.agentIdentifier)).toEqual(expect.arrayContaining(['staging', 'prod-us-east']));
});

test("by default the sandbox starts one demo run through Gate and the bridge, which the application's deployments list", async () => {
  const executionId = sandbox.demoRunExecutionId!;
  expect(sandbox.gate.triggers.map((t) => t.pipelineName)).toEqual([DEMO_RUN_PIPELINE_NAME]);
  expect(sandbox.gate.executions.get(executionId)?.name).toBe(DEMO_RUN_PIPELINE_NAME);
  // What the CD-as-a-Service tab reads, through Gate's proxy: the bridge's ledger has the run.
  const listed = async () => {
    const res = await fetch(`${sandbox.urls.gate}/proxies/cdaas/v1/applications/${DEMO_APP}/deployments`);
    const body = (await res.json()) as { deployments: Array<{ executionId: string; pipelineName?: string; startedBy?: string }> };
    return body.deployments.filter((d) => d.executionId === executionId);
  };
  await expect.poll(listed, { timeout: 20_000 }).toEqual([expect.objectContaining({ pipelineName: DEMO_RUN_PIPELINE_NAME, startedBy: 'pat@example.com' })]);
});

test('no demo run when asked not to', async () => {
  const quiet = await startSandbox({ demoRun: false });
  try {
    expect(quiet.demoRunExecutionId).toBeUndefined();
    expect(quiet.gate.triggers).toEqual([]);
    expect(quiet.gate.executions.size).toBe(2);
  } finally {
    await quiet.close();
  }
});
