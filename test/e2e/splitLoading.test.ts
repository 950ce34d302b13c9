// The split Deck module in the real Deck UI, served by the Gate stand-in exactly as Gate lays it
// out (index.js and its chunks side by side under /plugins/deck/{id}/{version}/): Deck starts with
// index.js alone, each stage form's chunks come when the form is opened, a 5,000-line deploy.yml is
// checked by the worker, and a chunk Gate does not have is named with a retry.
import type { Page } from 'playwright-core';

import { pluginIdentity } from '../../sandbox/lib/plugin';
import { generateDeployYaml } from '../support/largeDeployYaml';
import { pickStageType } from './browser';
import { putYamlCursor } from './yamlEditor';
import { type E2E, E2E_TEST_TIMEOUT_MS, useE2E, withScreenshot } from './harness';

let e2e: E2E;
useE2E((started) => (e2e = started));

const pluginPrefix = () => {
  const { id, version } = pluginIdentity();
  return `${e2e.sandbox.urls.gate}/plugins/deck/${id}/${version}/`;
};

/** The plugin files the page fetched from Gate, in order. */
function pluginRequests(page: Page): string[] {
  const files: string[] = [];
  page.on('request', (req) => {
    if (req.url().startsWith(pluginPrefix())) files.push(req.url().slice(pluginPrefix().length));
  });
  return files;
}

test(
  'Deck starts with index.js alone; the forms\' chunks load once the pipeline editor is open, before a type is picked; a large deploy.yml shows its problem at its line, a line lower once a line is typed above it',
  async () => {
    const w = await e2e.page();
    const files = pluginRequests(w.page);
    const workers: string[] = [];
    w.page.on('worker', (worker) => workers.push(worker.url()));
    await withScreenshot(w, 'split-forms', async (page) => {
      // Another page of the application first: start-up loads index.js and nothing of the forms.
      await page.goto(e2e.sandbox.urls.executions);
      await page.waitForLoadState('networkidle');
      expect(files[0]).toBe('index.js');
      // At most the small helpers index.js shares with the worker: no form, check or parser yet.
      expect(files.filter((f) => /Config-|CdaasDeploymentDetails-|validators?-|deploy-yaml-/.test(f))).toEqual([]);

      // The pipeline editor: both forms' chunks (and their checks) load while the user looks at
      // it, before any stage type is picked: here without a press, once the editor has settled
      // and the browser is idle (lazy/preload.ts; a press on Add stage starts it sooner).
      const preloaded = Promise.all(
        [/\/CdaasDeployStageConfig-[\w-]+\.js$/, /\/DeployYamlStageConfig-[\w-]+\.js$/, /\/validators-[\w-]+\.js$/, /\/deploy-yaml-[\w-]+\.js$/].map((re) =>
          page.waitForRequest((req) => re.test(req.url()), { timeout: 20_000 }),
        ),
      );
      await page.goto(e2e.sandbox.urls.editor);
      await page.getByRole('button', { name: /add stage/i }).waitFor();
      await preloaded;

      await page.getByRole('button', { name: /add stage/i }).click();
      await pickStageType(page, 'CD-as-a-Service Deploy');
      await page.getByRole('textbox', { name: /manifest yaml/i }).waitFor();

      await page.getByRole('button', { name: /add stage/i }).click();
      await pickStageType(page, 'CD-as-a-Service Deployment YAML');
      const editor = page.getByRole('textbox', { name: 'deploy.yml' });
      await editor.waitFor();

      // 5,000 lines with one strategy misspelt near the end: found by the worker, at its line.
      const lines = generateDeployYaml().split('\n');
      let at = lines.length - 1;
      while (at > 0 && !/^\s+strategy: canary-\d+$/.test(lines[at])) at--;
      const column = lines[at].indexOf('canary-') + 1;
      lines[at] = lines[at].replace('canary-', 'canry-');
      // One input event, as a paste: Playwright's fill() types into Deck's textarea far too slowly.
      await editor.evaluate((el, value) => {
        // Deck's YAML editor (Ace) takes text through its editor API, as its own paste does.
        (el.closest('.ace_editor') as (Element & { env?: { editor?: { setValue(t: string, c: number): void } } }) | null)?.env?.editor?.setValue(value, 1);
      }, lines.join('\n'));
      const problems = page.getByRole('region', { name: 'deploy.yml problems' });
      await problems.getByRole('button', { name: `Go to line ${at + 1}, column ${column}` }).waitFor({ timeout: 20_000 });
      // A line typed at the top: the worker's checker parses only that piece again and moves the
      // rest (contract/src/deployYaml/incremental.ts); the misspelt strategy is now a line lower.
      await putYamlCursor(page, 'deploy.yml', 0, 0);
      await page.keyboard.type('# typed\n');
      await problems.getByRole('button', { name: `Go to line ${at + 2}, column ${column}` }).waitFor({ timeout: 20_000 });
      expect(await problems.getByRole('button', { name: `Go to line ${at + 1}, column ${column}` }).count()).toBe(0);
      // Gate is another origin than Deck: the worker is a blob module importing the worker chunk
      // (its own requests are the worker's, not the page's; test/bundle/split.test.ts sees them).
      // The form checks through it again (background/useYamlResult.ts).
      expect(workers.some((u) => u.startsWith('blob:'))).toBe(true);
    });
    expect(w.problems).toEqual([]);
  },
  E2E_TEST_TIMEOUT_MS,
);

test(
  'a form chunk Gate does not have is named, with a retry that loads it once Gate serves it',
  async () => {
    const w = await e2e.page();
    await withScreenshot(w, 'split-missing-chunk', async (page) => {
      // Gate serving another version's deck.zip: this version's form chunk is not there.
      const missing = /\/DeployYamlStageConfig-[\w-]+\.js$/;
      await page.route(missing, (route) => route.fulfill({ status: 404, body: 'not found' }));
      await page.goto(e2e.sandbox.urls.editor);
      await page.getByRole('button', { name: /add stage/i }).click();
      await pickStageType(page, 'CD-as-a-Service Deployment YAML');
      const alert = page.getByRole('alert').filter({ hasText: 'CD-as-a-Service plugin' });
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(
        /The CD-as-a-Service plugin's file DeployYamlStageConfig-[\w-]+\.js could not be loaded \(Gate may be serving another plugin version\); reload Deck\./,
      );

      await page.unroute(missing);
      await alert.getByRole('button', { name: 'Try again' }).click();
      await page.getByRole('textbox', { name: 'deploy.yml' }).waitFor();
    });
    // Only the 404 the test made, and the import failure Chromium reports for it.
    expect(w.problems.filter((p) => !/DeployYamlStageConfig-[\w-]+\.js/.test(p))).toEqual([]);
  },
  E2E_TEST_TIMEOUT_MS,
);
