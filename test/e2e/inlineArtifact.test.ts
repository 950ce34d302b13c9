// An inline artifact in the real Deck UI: the author defines an http/file artifact in the Deploy
// stage ("Define a new artifact..."), pointing at a file server this test runs on loopback; the
// sandbox's Orca stand-in runs the pipeline, the bridge fetches the file, and the manifest it holds
// is what CD-as-a-Service (the emulator) deploys.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';


import { readRoutes } from '@cdaas/contract/read';
import { DEMO_APP } from '../../sandbox/gate/fixtures';
import { screenshot } from './browser';
import { addDeployStageOnStaging } from './deployForm';
import { type E2E, E2E_TEST_TIMEOUT_MS, useE2E, withScreenshot } from './harness';

/** A Deployment name no seed uses: seeing it on the cluster means this manifest was deployed. */
const DEPLOYMENT = 'inline-artifact-potato';
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${DEPLOYMENT}
spec:
  replicas: 1
  selector: { matchLabels: { app: ${DEPLOYMENT} } }
  template:
    metadata: { labels: { app: ${DEPLOYMENT} } }
    spec:
      containers:
        - name: potato
          image: demoimages/bluegreen:v4
`;
const MANIFEST_PATH = '/manifests/potato.yml';

// The file server starts first, so the bridge can be told to allow it (plain http on loopback).
const served: string[] = [];
let files: Server;
const options = { bridgeEnv: {} as Record<string, string> };
beforeAll(async () => {
  files = createServer((req, res) => {
    served.push(req.url ?? '');
    if (req.url !== MANIFEST_PATH) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/yaml' }).end(MANIFEST);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  options.bridgeEnv.BRIDGE_ARTIFACT_ALLOWED_HOSTS = `127.0.0.1:${(files.address() as AddressInfo).port}`;
  options.bridgeEnv.BRIDGE_ARTIFACT_ALLOW_HTTP = 'true';
});
afterAll(() => new Promise<void>((resolve) => files.close(() => resolve())));

let e2e: E2E;
useE2E((started) => (e2e = started), options);

test('an author defines an inline http/file artifact in Deck; the pipeline runs and deploys the manifest it points at', async () => {
  const name = 'Inline artifact demo';
  const id = 'e2e-inline-artifact';
  e2e.sandbox.gate.pipelineConfigs.push({ id, application: DEMO_APP, name, triggers: [], stages: [] });
  const url = `http://${options.bridgeEnv.BRIDGE_ARTIFACT_ALLOWED_HOSTS}${MANIFEST_PATH}`;
  const w = await e2e.page();

  await withScreenshot(w, 'inline-artifact-editor', async (page) => {
    await page.goto(`${e2e.sandbox.urls.deck}/#/applications/${DEMO_APP}/executions/configure/${id}`);
    await addDeployStageOnStaging(page);

    await page.getByRole('radio', { name: 'Artifacts' }).click();
    await page.getByRole('combobox', { name: 'Manifest artifact 1' }).selectOption({ label: 'Define a new artifact...' });
    const editor = page.getByRole('group', { name: 'Manifest artifact 1: inline artifact' });
    expect(await editor.getByRole('combobox', { name: 'Manifest artifact 1 Type' }).inputValue()).toBe('http/file');
    // Asked for at once, in Deck's style.
    await expect.poll(() => editor.getByText('Enter the URL of the file.').count()).toBe(1);
    await editor.getByRole('textbox', { name: 'Manifest artifact 1 URL' }).fill(url);
    await expect.poll(() => editor.getByText('Enter the URL of the file.').count()).toBe(0);
    // Kept for a look at the inline editor beside Deck's own stages (build/e2e-screenshots/).
    await editor.scrollIntoViewIfNeeded();
    await screenshot(page, 'inline-artifact-form-filled');

    await page.getByRole('button', { name: /save changes/i }).click();
    await expect.poll(() => e2e.sandbox.gate.savedPipelines.filter((s) => s.pipeline.id === id).length, { timeout: 10_000 }).toBeGreaterThan(0);
    // Leave only once Deck has taken the save's answer: before that the pipeline is dirty, Deck asks
    // "unsaved changes?", Playwright dismisses it and the page stays here (seen under load).
    await page.getByText('In sync with server').waitFor({ timeout: 15_000 });
  });

  const stage = e2e.sandbox.gate.savedPipelines.filter((s) => s.pipeline.id === id).at(-1)!.pipeline.stages[0];
  // Saved: the inline artifact only (no expected artifact id), and the payload entry the bridge reads.
  expect(stage.cdaas).toMatchObject({ manifestSource: 'artifact', manifestArtifacts: [{ source: 'inline', inline: { type: 'http/file', reference: url } }] });
  expect((stage.payload as { artifacts: unknown[] }).artifacts).toEqual([
    { source: 'inline', path: 'manifests/artifact-1.yaml', artifact: expect.objectContaining({ type: 'http/file', reference: url }) },
  ]);

  await withScreenshot(w, 'inline-artifact-run', async (page) => {
    await page.goto(e2e.sandbox.urls.executions);
    await page.locator('.execution-group').filter({ hasText: name }).getByText('Start Manual Execution').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => [...e2e.sandbox.gate.executions.values()].some((e) => e.name === name), { timeout: 10_000 }).toBe(true);
    const execution = [...e2e.sandbox.gate.executions.values()].find((e) => e.name === name)!;

    // The form's default canary waits for an approval after 25%; approve it as a user would.
    const monitor = () => (execution.stages[0]?.context.webhook as { monitor?: { body?: { pipelineId?: string; status?: string } } } | undefined)?.monitor?.body;
    await expect.poll(() => monitor()?.status, { timeout: 30_000 }).toBe('AWAITING_APPROVAL');
    e2e.sandbox.backend!.approve(monitor()!.pipelineId!);
    await expect.poll(() => execution.status, { timeout: 30_000 }).toBe('SUCCEEDED');

    await page.goto(`${e2e.sandbox.urls.deck}/#/applications/${DEMO_APP}/executions/details/${execution.id}?stage=0&step=0`);
    await expect.poll(() => page.getByText('Status: SUCCEEDED').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  });

  // The bridge fetched the file the author named, and the emulator deployed what it holds.
  expect(served).toContain(MANIFEST_PATH);
  const res = await fetch(`${e2e.sandbox.urls.bridgeRead}${readRoutes.deployments.path({ agent: 'staging' })}`);
  expect(res.status).toBe(200);
  expect(JSON.stringify(await res.json())).toContain(DEPLOYMENT);
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);
