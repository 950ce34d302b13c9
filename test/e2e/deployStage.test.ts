// The CD-as-a-Service Deploy stage in the real Deck UI (@spinnaker/core 0.29.1 from npm), loaded by
// Deck's own plugin loader from the Gate stand-in, with the bridge and the CDaaS emulator behind
// Gate's `cdaas` proxy. Everything runs on loopback, port 0.
import type { Page } from 'playwright-core';
import * as v from 'valibot';

import { type StatusAnswer, statusAnswerSchema } from '@cdaas/contract/deploy';
import { SANDBOX_CLIENT } from '../../bridge/emulator/index';
import { DEMO_APP, DEMO_EXECUTION_ID, demoCdaasPipeline } from '../../sandbox/gate/fixtures';
import { pluginIdentity } from '../../sandbox/lib/plugin';
import { potatoFacts } from '../support/potatoFacts';
import { ORCA_MONITOR_FIELDS } from '../support/orcaWebhook';
import { pickStageType, screenshot } from './browser';
import { addDeployStageOnStaging } from './deployForm';
import { type E2E, E2E_TEST_TIMEOUT_MS, useE2E, withScreenshot } from './harness';
import { replaceYamlText, yamlEditorState } from './yamlEditor';

let e2e: E2E;
useE2E((started) => (e2e = started));

test('a pipeline author adds a CD-as-a-Service Deploy stage, fills it in and saves it', async () => {
  const w = await e2e.page();
  await withScreenshot(w, 'deploy-stage-editor', async (page) => {
    await page.goto(e2e.sandbox.urls.editor);
    await addDeployStageOnStaging(page);
    await replaceYamlText(page, /manifest yaml/i, MANIFEST);

    // Canary steps: the form starts with 25% / approval / 100%; make the first weight 10%.
    await page.getByRole('spinbutton', { name: 'Canary step 1 weight (%)' }).fill('10');
    // Kept for a look at the filled form beside Deck's own stages (build/e2e-screenshots/).
    await screenshot(page, 'deploy-stage-form-filled');

    // A field's message quotes what was typed as typed, in Deck's error box (regression: Deck's
    // ValidationMessage rendered it as Markdown, `*team*-a` an italic "team-a").
    const namespace = page.getByRole('textbox', { name: 'Namespace override' });
    await namespace.fill('*team*-a');
    const message = page.locator('.ValidationMessage.errorMessage').filter({ hasText: 'is not a valid Kubernetes name' });
    await expect.poll(() => message.textContent()).toMatch(/^Namespace "\*team\*-a" is not a valid Kubernetes name/);
    expect(await message.locator('em').count()).toBe(0);
    await screenshot(page, 'deploy-stage-field-message');
    await namespace.fill('potato-facts');
    await message.waitFor({ state: 'detached' });

    // A field's help opens in Deck's popover on hover, and closes when the pointer leaves.
    const namespaceHelp = page.getByText('Deploys every manifest into this namespace instead of their own.');
    await page.locator('.sp-formItem').filter({ has: page.getByText('Namespace override', { exact: true }) }).locator('.help-field').hover();
    await namespaceHelp.waitFor();
    await page.mouse.move(0, 0);
    await namespaceHelp.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: /save changes/i }).click();
    await expect.poll(() => e2e.sandbox.gate.savedPipelines.length, { timeout: 10_000 }).toBeGreaterThan(0);
  });

  // Deck's own loader fetched the plugin where Gate's deck-proxy serves it.
  await w.settled();
  const { id, version } = pluginIdentity();
  expect(w.responses.filter((r) => r.url === `${e2e.sandbox.urls.gate}/plugins/deck/${id}/${version}/index.js`).map((r) => r.status)).toEqual([200]);

  const saved = e2e.sandbox.gate.savedPipelines.at(-1)!.pipeline;
  const stage = saved.stages.find((s) => s.type === 'cdaasDeploy');
  expect(stage, JSON.stringify(saved.stages)).toBeDefined();
  const bridge = e2e.sandbox.urls.bridgeDeploy!;
  expect(stage).toMatchObject({
    type: 'cdaasDeploy',
    alias: 'webhook',
    name: expect.any(String),
    method: 'POST',
    url: `${bridge}/v1/executions/\${execution.id}/stages/${stage!.refId}/deployment`,
    cancelEndpoint: `${bridge}/v1/executions/\${execution.id}/stages/${stage!.refId}/deployment/cancel`,
    ...ORCA_MONITOR_FIELDS,
  });
  interface SavedDeployment {
    targets: Record<string, { account: string; namespace: string; strategy: string }>;
    strategies: Record<string, { canary: { steps: unknown[] } }>;
  }
  const payload = stage!.payload as { deployment: SavedDeployment; files: Record<string, string[]>; context: Record<string, unknown> };
  expect(payload.context).toMatchObject({ application: DEMO_APP, executionId: '${execution.id}', stageRefId: stage!.refId });
  const targets = Object.values(payload.deployment.targets);
  expect(targets).toEqual([expect.objectContaining({ account: 'staging', namespace: 'potato-facts' })]);
  expect(payload.deployment.strategies[targets[0].strategy].canary.steps).toEqual([
    { setWeight: { weight: 10 } },
    { pause: { untilApproved: true } },
    { setWeight: { weight: 100 } },
  ]);
  expect(Object.values(payload.files).flat().join('\n')).toContain('name: potato-facts');

  // Reopened from what Gate saved, the form shows what was typed.
  await withScreenshot(w, 'deploy-stage-reopened', async (page) => {
    await page.goto(e2e.sandbox.urls.editor);
    await page.reload();
    await page.getByText('CD-as-a-Service Deploy', { exact: true }).first().click();
    await expect.poll(() => page.getByLabel(/^namespace/i).inputValue(), { timeout: 10_000 }).toBe('potato-facts');
    expect(await page.getByRole('spinbutton', { name: 'Canary step 1 weight (%)' }).inputValue()).toBe('10');
    expect((await yamlEditorState(page, /manifest yaml/i)).text).toBe(MANIFEST);
  });
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);

test("blue/green: the service pickers offer the manifests' Services and the target cluster's, read from the emulator through the bridge", async () => {
  const w = await e2e.page();
  const before = e2e.sandbox.gate.savedPipelines.length;
  await withScreenshot(w, 'deploy-stage-blue-green-services', async (page) => {
    await page.goto(e2e.sandbox.urls.editor);
    await addDeployStageOnStaging(page);
    await replaceYamlText(page, /manifest yaml/i, potatoFacts({ replicas: 2, service: true }).manifest);
    await page.getByRole('radio', { name: 'Blue/green' }).check();

    // The emulator seeds staging's potato-facts namespace with three Services (bridge/emulator/seed.ts).
    const offered = page.getByRole('group', { name: 'Services offered' });
    await expect
      .poll(() => offered.innerText(), { timeout: 15_000 })
      .toContain('On the cluster (staging, namespace potato-facts): potato-facts, potato-facts-metrics, potato-facts-preview.');
    expect(await offered.innerText()).toContain('In the manifests: potato-facts.');
    const active = page.getByRole('combobox', { name: /^Active service/ });
    const options = await page
      .locator(`datalist[id="${await active.getAttribute('list')}"] option`)
      .evaluateAll((os) => os.map((o) => `${(o as HTMLOptionElement).value}: ${(o as HTMLOptionElement).label}`));
    expect(options).toEqual([
      'potato-facts: in the manifests and on the cluster',
      'potato-facts-metrics: on the cluster',
      'potato-facts-preview: on the cluster',
    ]);
    await active.fill('potato-facts');
    await page.getByRole('combobox', { name: 'Preview service' }).fill('potato-facts-preview');
    await offered.scrollIntoViewIfNeeded();
    await screenshot(page, 'deploy-stage-blue-green-services');
    await page.getByRole('button', { name: /save changes/i }).click();
    await expect.poll(() => e2e.sandbox.gate.savedPipelines.length, { timeout: 10_000 }).toBeGreaterThan(before);
  });
  const stage = e2e.sandbox.gate.savedPipelines.at(-1)!.pipeline.stages.find((s) => s.type === 'cdaasDeploy' && (s.cdaas as { strategy?: string })?.strategy === 'blueGreen');
  expect((stage?.payload as { deployment: { trafficManagement: unknown } }).deployment.trafficManagement).toEqual([
    { targets: ['staging'], kubernetes: [{ activeService: 'potato-facts', previewService: 'potato-facts-preview' }] },
  ]);
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);

test('an engineer opens a past execution and sees the CD-as-a-Service steps in the stage details', async () => {
  const w = await e2e.page();
  const fixture = e2e.sandbox.gate.executions.get(DEMO_EXECUTION_ID)!;
  const status: StatusAnswer = v.parse(
    statusAnswerSchema,
    (fixture.stages[0].context.webhook as { monitor: { body: unknown } }).monitor.body,
  );
  await withScreenshot(w, 'deploy-stage-execution-details', async (page) => {
    await page.goto(`${e2e.sandbox.urls.deck}/#/applications/${DEMO_APP}/executions/details/${DEMO_EXECUTION_ID}?stage=0&step=0`);
    // The section is the stage's first details tab, so Deck opens it by default. Deck's tabs are
    // <a> without href (no role to query by), hence the CSS. Deck passes the title through
    // robotToHuman, which rewrites a title with no space: regression guard for the tab reading
    // "CDAs A- Service" when the title was "CD-as-a-Service".
    const activeTab = page.locator('.nav-pills a.active');
    await activeTab.waitFor({ timeout: 15_000 });
    expect.soft(await activeTab.innerText(), "execution details tab title").toMatch(/^CD-as-a-Service\b/);
    const table = page.getByRole('table', { name: 'Deployment steps' });
    await table.waitFor({ timeout: 10_000 });
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(status.steps.length);
    const text = (await rows.allInnerTexts()).join('\n');
    expect(text).toMatch(/25\s*%/);
    expect(text).toMatch(/approv/i);
    await expect.poll(() => page.getByText(status.progress).count()).toBeGreaterThan(0);
    await screenshot(page, 'execution-details-ok');
  });
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);

/** Deck's "Start Manual Execution" of the pipeline's group, then Run in its dialog: the execution it started. */
async function startFromDeck(page: Page, name: string) {
  await page.goto(e2e.sandbox.urls.executions);
  await page.locator('.execution-group').filter({ hasText: name }).getByText('Start Manual Execution').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Run' }).click();
  await expect.poll(() => e2e.sandbox.gate.triggers.filter((t) => t.pipelineName === name).length, { timeout: 10_000 }).toBe(1);
  const execution = [...e2e.sandbox.gate.executions.values()].find((e) => e.name === name)!;
  expect(execution).toBeDefined();
  return execution;
}

test('a pipeline started from Deck runs through the bridge: Deck shows it waiting for approval, then succeeded', async () => {
  const name = 'Canary demo';
  e2e.sandbox.gate.pipelineConfigs.push(demoCdaasPipeline(e2e.sandbox.urls.bridgeDeploy!, name, 'e2e-canary-demo'));
  const w = await e2e.page();
  await withScreenshot(w, 'deploy-stage-run', async (page) => {
    const execution = await startFromDeck(page, name);

    await page.goto(`${e2e.sandbox.urls.deck}/#/applications/${DEMO_APP}/executions/details/${execution.id}?stage=0&step=0`);
    const table = page.getByRole('table', { name: 'Deployment steps' });
    // The emulator runs the 25% step, then waits for approval; Deck refreshes every 2 s.
    await expect.poll(async () => (await table.count()) && table.locator('tbody tr').nth(1).innerText(), { timeout: 20_000 }).toMatch(/awaiting approval/i);
    await screenshot(page, 'run-awaiting-approval');

    const pipelineId = (execution.stages[0].context.webhook as { monitor: { body: { pipelineId: string } } }).monitor.body.pipelineId;
    e2e.sandbox.backend!.approve(pipelineId);
    await expect.poll(() => execution.status, { timeout: 20_000 }).toBe('SUCCEEDED');
    await expect.poll(() => page.getByText('Status: SUCCEEDED').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await table.locator('tbody tr').allInnerTexts()).join('\n'), { timeout: 10_000 }).not.toMatch(/awaiting approval/i);
    await screenshot(page, 'run-succeeded');
  });
  expect(w.problems).toEqual([]);
  // The client secret stays in the bridge: nothing Gate gave the browser (agents, executions with
  // their webhook context, pipeline configs, plugin code) contains it.
  await w.settled();
  expect(w.responses.length).toBeGreaterThan(5);
  expect(w.responses.some((r) => r.url.includes(`/pipelines/`) || r.url.includes('/applications/'))).toBe(true);
  expect(w.responses.filter((r) => r.body.includes(SANDBOX_CLIENT.clientSecret)).map((r) => r.url)).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);

// Regression: after a cancel Deck showed the stage CANCELED while the CD-as-a-Service tab kept the
// last monitor answer, "Awaiting approval" and "Ended –", even after a reload.
test('an engineer cancels a deployment paused for approval from Deck, and the details say it was canceled', async () => {
  const name = 'Cancel demo';
  e2e.sandbox.gate.pipelineConfigs.push(demoCdaasPipeline(e2e.sandbox.urls.bridgeDeploy!, name, 'e2e-cancel-demo'));
  const w = await e2e.page();
  await withScreenshot(w, 'deploy-stage-cancel', async (page) => {
    const execution = await startFromDeck(page, name);
    const details = `${e2e.sandbox.urls.deck}/#/applications/${DEMO_APP}/executions/details/${execution.id}?stage=0&step=0`;
    await page.goto(details);
    const table = page.getByRole('table', { name: 'Deployment steps' });
    await expect.poll(async () => (await table.count()) && table.locator('tbody tr').nth(1).innerText(), { timeout: 20_000 }).toMatch(/awaiting approval/i);

    // Deck's cancel control is an icon button whose only name is a hover tooltip, hence the CSS;
    // the seeded runs have ended, so the one running execution has the only one.
    await page.locator('button.link:has(i.fa-times-circle)').click();
    await page.getByRole('dialog').getByRole('button', { name: `Stop running ${name}` }).click();
    await expect.poll(() => execution.status, { timeout: 20_000 }).toBe('CANCELED');

    const summaryStatus = page.locator('.cdaas-deployment-details dt', { hasText: /^Status$/ }).locator('xpath=following-sibling::dd[1]');
    const readDetails = async () => {
      await expect.poll(() => summaryStatus.innerText(), { timeout: 15_000 }).toBe('Canceled');
      const ended = page.locator('.cdaas-deployment-details dt', { hasText: /^Ended$/ }).locator('xpath=following-sibling::dd[1]');
      expect(await ended.locator('time').count()).toBe(1);
      // The steps table can draw before its rows (seen empty once under load): wait for the rows.
      const readRows = async () => (await table.locator('tbody tr').allInnerTexts()).join('\n');
      await expect.poll(readRows, { timeout: 15_000 }).toMatch(/Canceled/);
      expect(await readRows()).not.toMatch(/awaiting approval/i);
      expect(await page.getByText('The deployment is waiting for an approval.').count()).toBe(0);
    };
    await readDetails();
    await screenshot(page, 'run-canceled');
    // The same after a reload: the words come from the stored execution, not from what the page saw.
    await page.reload();
    await table.waitFor({ timeout: 15_000 });
    await readDetails();

    // Task Status in the user's words, not the Webhook stage's.
    await page.locator('.nav-pills a', { hasText: /task status/i }).click();
    await expect.poll(() => page.getByText('Start the CD-as-a-Service deployment').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.getByText(/Create Webhook|Monitor Webhook/).count()).toBe(0);
  });
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);

test('when CD-as-a-Service cannot list the agents, the account field says so and the author types the account instead', async () => {
  // The emulator answers 503 to the connected-agents call: the bridge answers 5xx, Gate's proxy 502.
  const removeFault = e2e.sandbox.backend!.faults.add({ target: 'api', path: '/identity/connected-agents', kind: 'status', status: 503 });
  const before = e2e.sandbox.gate.savedPipelines.length;
  const w = await e2e.page();
  try {
    await withScreenshot(w, 'deploy-stage-agents-down', async (page) => {
      await page.goto(e2e.sandbox.urls.editor);
      await page.getByRole('button', { name: /add stage/i }).click();
      await pickStageType(page, 'CD-as-a-Service Deploy');
      const alert = page.getByRole('alert').filter({ hasText: /connected agents could not be loaded/i });
      await alert.waitFor({ timeout: 15_000 });
      await screenshot(page, 'deploy-stage-agents-down-alert');
      // Nothing blanks: the rest of the form is there, and the account can be typed.
      await page.getByRole('textbox', { name: /^account/i }).fill('staging');
      await page.getByLabel(/^namespace/i).fill('typed-account');
      await replaceYamlText(page, /manifest yaml/i, MANIFEST);
      await page.getByRole('button', { name: /save changes/i }).click();
      await expect.poll(() => e2e.sandbox.gate.savedPipelines.length, { timeout: 10_000 }).toBeGreaterThan(before);
    });
  } finally {
    removeFault();
  }
  const stages = e2e.sandbox.gate.savedPipelines.at(-1)!.pipeline.stages;
  const added = stages[stages.length - 1];
  const targets = Object.values((added.payload as { deployment: { targets: Record<string, { account: string; namespace: string }> } }).deployment.targets);
  expect(targets).toEqual([expect.objectContaining({ account: 'staging', namespace: 'typed-account' })]);
  // The failed agents call is the browser's one expected error (Gate's 502), nothing else.
  expect(w.problems.filter((p) => !/status of 502/.test(p))).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);

const MANIFEST = potatoFacts({ replicas: 2 }).manifest;
