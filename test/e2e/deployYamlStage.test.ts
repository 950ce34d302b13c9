// The CD-as-a-Service Deployment YAML stage in the real Deck UI: a typo in deploy.yml is pointed at
// by line:column while typing, the fixed file saves as a Webhook stage aimed at the bridge, and the
// saved stage runs to success through the bridge and the CDaaS emulator.

import { DEMO_APP } from '../../sandbox/gate/fixtures';
import type { PipelineExecution } from '../../sandbox/gate/fixtures';
import { potatoFacts } from '../support/potatoFacts';
import { pickStageType, screenshot } from './browser';
import { type E2E, E2E_TEST_TIMEOUT_MS, useE2E, withScreenshot } from './harness';
import { replaceYamlText, yamlEditorState } from './yamlEditor';

let e2e: E2E;
useE2E((started) => (e2e = started));

// The demo application with its manifest inline and one 100 % step; `strategyRef` is what the target names.
const deployYml = (strategyRef: string) =>
  potatoFacts({ inline: true, replicas: 2, strategy: 'rolling', strategyRef, steps: [{ setWeight: { weight: 100 } }] }).deployYaml;

test('a deploy.yml typo is shown at its line and column, and the fixed file saves and runs through the bridge', async () => {
  const w = await e2e.page();
  await withScreenshot(w, 'deploy-yaml-stage', async (page) => {
    await page.goto(e2e.sandbox.urls.editor);
    await page.getByRole('button', { name: /add stage/i }).click();
    await pickStageType(page, 'CD-as-a-Service Deployment YAML');

    const replaceText = (text: string) => replaceYamlText(page, 'deploy.yml', text);
    const problems = page.getByRole('region', { name: 'deploy.yml problems' });
    // "rollng" names no strategy: line 8 is `    strategy: rollng`, the value starts at column 15.
    await replaceText(deployYml('rollng'));
    await expect.poll(() => problems.getByRole('status').innerText(), { timeout: 5_000 }).toMatch(/1 error/);
    await expect.poll(() => problems.getByRole('button', { name: 'Go to line 8, column 15' }).count()).toBe(1);
    await screenshot(page, 'deploy-yaml-typo');

    // The failing line is marked in the editor's gutter.
    await expect.poll(() => page.locator('.ace_gutter-cell.cdaas-gutter-error').innerText()).toBe('8');
    await problems.getByRole('button', { name: 'Go to line 8, column 15' }).click();
    await expect.poll(async () => (await yamlEditorState(page, 'deploy.yml')).cursor).toEqual({ row: 7, column: 14 });

    await replaceText(deployYml('rolling'));
    await expect.poll(() => problems.getByRole('status').innerText(), { timeout: 5_000 }).toBe('deploy.yml is valid.');
    await page.getByRole('button', { name: /save changes/i }).click();
    await expect.poll(() => e2e.sandbox.gate.savedPipelines.length, { timeout: 10_000 }).toBeGreaterThan(0);
  });

  const saved = e2e.sandbox.gate.savedPipelines.at(-1)!.pipeline;
  const stage = saved.stages.find((s) => s.type === 'cdaasDeployYaml')!;
  expect(stage, JSON.stringify(saved.stages)).toBeDefined();
  const bridge = e2e.sandbox.urls.bridgeDeploy!;
  expect(stage).toMatchObject({
    alias: 'webhook',
    url: `${bridge}/v1/executions/\${execution.id}/stages/${stage.refId}/deployment`,
    statusJsonPath: '$.status',
    payload: {
      contractVersion: 'v1',
      deployment: { application: 'potato-facts', targets: { staging: { account: 'staging', strategy: 'rolling' } } },
      files: {},
      artifacts: [],
    },
  });
  // The text is kept exactly as typed, so reopening the stage shows it.
  expect((stage.cdaas as { yaml: string }).yaml).toBe(deployYml('rolling'));

  // Run the saved pipeline (Deck's trigger call) and follow it to the end.
  const res = await fetch(`${e2e.sandbox.urls.gate}/pipelines/v2/${DEMO_APP}/${encodeURIComponent(saved.name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'manual', user: 'pat@example.com' }),
  });
  expect(res.status).toBe(202);
  const id = ((await res.json()) as { ref: string }).ref.split('/').pop()!;
  let execution: PipelineExecution | undefined;
  await expect
    .poll(async () => {
      execution = (await (await fetch(`${e2e.sandbox.urls.gate}/pipelines/${id}`)).json()) as PipelineExecution;
      return execution.status;
    }, { timeout: 20_000 })
    .not.toBe('RUNNING');
  const ran = execution!.stages.find((s) => s.type === 'cdaasDeployYaml')!;
  expect({ execution: execution!.status, stage: ran.status, error: (ran.context.webhook as { error?: string }).error }).toEqual({
    execution: 'SUCCEEDED',
    stage: 'SUCCEEDED',
    error: undefined,
  });
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);
