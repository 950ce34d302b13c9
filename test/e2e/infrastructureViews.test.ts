// The infrastructure views in the real Deck UI (@spinnaker/core 0.29.1 from npm), against the
// bridge's read listener and the emulator's seed behind Gate's `cdaas` proxy: the application's
// CD-as-a-Service tab, the drill-down to a replica set with its URL state surviving a reload, the
// agents page with the 1.15 cluster and the failing cache, and Deck's global search.
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEMO_RUN_PIPELINE_NAME } from '../../sandbox/demoRun';
import { DEMO_APP, demoCdaasPipeline, type PipelineExecution } from '../../sandbox/gate/fixtures';
import { screenshot } from './browser';
import { type E2E, E2E_TEST_TIMEOUT_MS, useE2E, withScreenshot } from './harness';

let e2e: E2E;
// As `npm start` does: one demo run at start-up (the harness leaves it out for the other files).
useE2E((started) => (e2e = started), { demoRun: true });

const DOCS_IMAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/images');

/**
 * With UPDATE_README_IMAGES=1, copies a screenshot over the README's picture; otherwise it stays a
 * test artifact only (a test run must not rewrite tracked files).
 */
async function keepForReadme(file: string, name: string): Promise<void> {
  if (process.env.UPDATE_README_IMAGES !== '1') return;
  await mkdir(DOCS_IMAGES, { recursive: true });
  await copyFile(file, join(DOCS_IMAGES, name));
}

const CANARY = 'Canary for the tab';
let started: Promise<{ name: string; execution: PipelineExecution }> | undefined;

/**
 * One canary run to the `staging` agent, started once for the file: the tab shows it, and the
 * bridge's record of it is how the agents page knows `staging` when that agent disconnects.
 */
function canaryRun(): Promise<{ name: string; execution: PipelineExecution }> {
  started ??= (async () => {
    const name = CANARY;
    e2e.sandbox.gate.pipelineConfigs.push(demoCdaasPipeline(e2e.sandbox.urls.bridgeDeploy!, name, 'e2e-views-canary'));
    // Started the way Deck's "Run" starts it (Gate's trigger endpoint); the runner plays Orca.
    const trigger = await fetch(`${e2e.sandbox.urls.gate}/pipelines/v2/${DEMO_APP}/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(trigger.status).toBe(202);
    const execution = [...e2e.sandbox.gate.executions.values()].find((e) => e.name === name)!;

    return { name, execution };
  })();
  return started;
}

test("a newcomer's first look: the sandbox's start-up demo run is in the tab before anyone runs a pipeline", async () => {
  // Nothing in this file has triggered a pipeline yet: the one trigger Gate saw is the sandbox's.
  expect(e2e.sandbox.gate.triggers.map((t) => t.pipelineName)).toEqual([DEMO_RUN_PIPELINE_NAME]);
  const executionId = e2e.sandbox.demoRunExecutionId!;
  expect(executionId).toBeTruthy();
  const w = await e2e.page();
  await withScreenshot(w, 'views-demo-run', async (page) => {
    await page.goto(e2e.sandbox.urls.cdaasTab);
    const row = page.getByRole('table', { name: 'Deployments' }).locator('tbody tr').filter({ hasText: DEMO_RUN_PIPELINE_NAME });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    // Started through the bridge as the sandbox's user, a canary waiting for approval at 25%.
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toMatch(/by pat@example\.com/);
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toMatch(/25%/);
    const href = await row.getByRole('link', { name: new RegExp(DEMO_RUN_PIPELINE_NAME) }).getAttribute('href');
    expect(href).toBe(`#/applications/${DEMO_APP}/executions/details/${executionId}?refId=1`);
    await screenshot(page, 'views-demo-run');
    // In Deck's executions it is a normal execution of its pipeline.
    await page.goto(e2e.sandbox.urls.executions);
    await page.getByText(DEMO_RUN_PIPELINE_NAME).first().waitFor({ timeout: 20_000 });
  });
  const execution = e2e.sandbox.gate.executions.get(executionId)!;
  expect(execution.trigger).toMatchObject({ type: 'manual', user: 'pat@example.com', parameters: { startedBy: 'sandbox start' } });
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);

test("the application's CD-as-a-Service tab shows its deployments, and a running canary's weight moves", async () => {
  const { name, execution } = await canaryRun();
  const w = await e2e.page();
  await withScreenshot(w, 'views-app-tab', async (page) => {
    await page.goto(`${e2e.sandbox.urls.deck}/#/applications/${DEMO_APP}/cdaas`);
    // The tab is in Deck's application nav, under Infrastructure.
    await page.getByRole('link', { name: /CD-as-a-Service/ }).first().waitFor({ timeout: 20_000 });
    const table = page.getByRole('table', { name: 'Deployments' });
    const row = table.locator('tbody tr').filter({ hasText: name });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    // The emulator reaches setWeight 25 and waits for approval; after the approval, 50.
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toMatch(/25%/);
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toMatch(/Pause until approved/);
    // The README's picture of the tab: a canary at 25%, waiting for approval.
    await keepForReadme(await screenshot(page, 'views-app-tab'), 'cdaas-tab.png');
    const pipelineIdOf = () => (execution.stages[0]!.context.webhook as { monitor?: { body?: { pipelineId?: string } } } | undefined)?.monitor?.body?.pipelineId;
    await expect.poll(pipelineIdOf, { timeout: 10_000 }).toBeTruthy();
    const pipelineId = pipelineIdOf()!;
    e2e.sandbox.backend!.approve(pipelineId);
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toMatch(/50%|100%/);
    // The execution link leads to Deck's execution details of that stage.
    const href = await row.getByRole('link', { name: new RegExp(name) }).getAttribute('href');
    expect(href).toBe(`#/applications/${DEMO_APP}/executions/details/${execution.id}?refId=1`);
  });
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);

test('drill down agent -> namespace -> Deployment -> replica set, filter, and a reload shows the same view', async () => {
  const w = await e2e.page();
  await withScreenshot(w, 'views-drilldown', async (page) => {
    await page.goto(`${e2e.sandbox.urls.deck}/#/cdaas/agents`);
    await page.getByRole('link', { name: 'prod-us-east' }).click();
    const namespaces = page.getByRole('table', { name: 'Namespaces' });
    await namespaces.getByRole('button', { name: 'checkout' }).click({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Deployment checkout-api' }).click();
    const replicaSets = page.getByRole('table', { name: 'Replica sets' });
    // The seeded canary of checkout-api: a newer replica set with a traffic weight that moves.
    const first = replicaSets.locator('tbody tr:not(.cdaas-table-group):not(.cdaas-table-spacer)').first();
    await expect.poll(() => first.innerText(), { timeout: 20_000 }).toMatch(/checkout-api/);
    await first.getByRole('button').click();
    await page.getByRole('searchbox', { name: 'Filter replica sets' }).fill('3.9.0');
    await expect.poll(() => page.url()).toMatch(/q=3\.9\.0/);
    const url = page.url();
    expect(url).toMatch(/#\/cdaas\/agents\/prod-us-east\?.*namespace=checkout.*deployment=checkout-api.*replicaSet=checkout/);
    const selected = (await page.getByRole('region', { name: /^Replica set / }).getAttribute('aria-label'))!;

    await page.reload();
    await page.getByRole('region', { name: selected }).waitFor({ timeout: 20_000 });
    expect(page.url()).toBe(url);
    expect(await page.getByRole('searchbox', { name: 'Filter replica sets' }).inputValue()).toBe('3.9.0');
    expect(await page.getByRole('button', { name: 'checkout' }).first().getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'views-drilldown');
  });
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);

test("the agents page: the 1.15 cluster fails its requirement, the failing cache's error sits beside the healthy agents, a gone agent is listed disconnected", async () => {
  await canaryRun();
  // The emulator's control API drops `staging` from the connected agents (its cache answers 503).
  const connection = (connected: boolean) =>
    fetch(`${e2e.sandbox.urls.emulatorApi}/_emulator/agents/staging/connection`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connected }),
    });
  expect((await connection(false)).status).toBeLessThan(300);
  const w = await e2e.page();
  try {
    await withScreenshot(w, 'views-agents', async (page) => {
      await page.goto(`${e2e.sandbox.urls.deck}/#/cdaas/agents`);
      const table = page.getByRole('table', { name: 'Agents' });
      const row = (agent: string) => table.locator('tbody tr').filter({ has: page.getByRole('link', { name: agent, exact: true }) });
      await row('prod-us-east').waitFor({ timeout: 20_000 });
      expect(await row('prod-us-east').innerText()).toMatch(/Connected[\s\S]*Supported/);
      await expect.poll(() => row('legacy-onprem').innerText()).toMatch(/1\.15\.12[\s\S]*Unsupported: needs 1\.16\+/);
      expect(await row('legacy-onprem').getByText('Unsupported: needs 1.16+').getAttribute('aria-label')).toMatch(/requires Kubernetes 1\.16 or later/);
      // This Spinnaker deployed to `staging`; gone from CDaaS now, it is listed, not missing.
      expect(await row('staging').innerText()).toMatch(/Disconnected/);
      expect(await row('edge-eu-central').innerText()).toMatch(/HTTP 500/);
      const partial = page.getByRole('region', { name: 'Some agents could not be read' });
      expect(await partial.innerText()).toMatch(/edge-eu-central: The agent cache answered HTTP 500/);
      await screenshot(page, 'views-agents');
    });
    await keepForReadme(await screenshot(w.page, 'views-agents-final'), 'cdaas-agents.png');
  } finally {
    await connection(true);
  }
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);

test("Deck's global search finds an agent and links to its view", async () => {
  const w = await e2e.page();
  await withScreenshot(w, 'views-search', async (page) => {
    await page.goto(`${e2e.sandbox.urls.deck}/#/applications/${DEMO_APP}/cdaas`);
    const search = page.getByPlaceholder('Search').first();
    await search.click();
    await search.fill('legacy');
    const result = page.getByRole('link', { name: 'legacy-onprem' }).first();
    await result.waitFor({ timeout: 20_000 });
    await screenshot(page, 'views-search');
    await result.click();
    await page.getByRole('heading', { name: 'Cluster legacy-onprem' }).waitFor({ timeout: 20_000 });
    expect(page.url()).toMatch(/#\/cdaas\/agents\/legacy-onprem/);
  });
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);
