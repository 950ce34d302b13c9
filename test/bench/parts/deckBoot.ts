/**
 * A `npm run bench` part: what the plugin costs a Deck user, measured in the real Deck UI in
 * headless Chromium, beside a baseline from the same run. Lives with the benchmarks (not in
 * sandbox/) because it drives the sandbox with test code (the e2e browser).
 *
 * - editor ready: page load to the pipeline editor's "Add stage" button; baseline: the same Deck
 *   with Gate listing no plugin (our import() and registration are the difference).
 * - stage form shown: picking the stage type to its form on screen (for the split module: its
 *   chunks' first load included); baseline: Deck's own Wait stage. Beside it, as a second
 *   baseline, Deck's AWS CodeBuild stage: a Formik stage of @spinnaker/core with Deck's own
 *   YamlEditor (Buildspec), the editor the Deploy form uses, timed until that editor's text input
 *   shows. Building Deck's Ace editor (and the first layout of a form around it) is most of what
 *   the Deploy form costs over Wait, and any Deck stage with that editor pays it too.
 * Both for the split module (build/dist) and, as "today", the single module (build/single, built
 * by the bundle part or `CDAAS_SINGLE_MODULE=1 npx rollup -c`).
 * Medians of several runs; the first load of each sandbox is a warm-up (esbuild cache, JIT).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { REPO_ROOT } from '../../../sandbox/lib/plugin';
import { startSandbox } from '../../../sandbox/start';
import { launchBrowser } from '../../e2e/browser';
import type { BenchRow } from '../types';

export const SINGLE_MODULE_DIR = join(REPO_ROOT, 'build/single');

const RUNS = 5;

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function timeEditorReady(page: Page, url: string): Promise<number> {
  const started = Date.now();
  await page.goto(url);
  await page.getByRole('button', { name: /add stage/i }).waitFor();
  return Date.now() - started;
}

async function timeStageForm(page: Page, label: string, formVisible: (p: Page) => Promise<void>): Promise<number> {
  await page.getByRole('button', { name: /add stage/i }).click();
  await page.locator('.ui-select-container .select2-choice').first().click();
  const row = page.locator('.ui-select-choices-row').filter({ hasText: label }).first();
  const started = Date.now();
  await row.click();
  await formVisible(page);
  return Date.now() - started;
}

/** Deck's AWS CodeBuild form: its Buildspec field is Deck's YamlEditor (Ace), whose text input has no name of its own. */
const codeBuildEditorShown = (p: Page) => p.locator('.stage-details .ace_editor textarea').first().waitFor();

async function measure(withoutPlugin: boolean, pluginDir?: string): Promise<{ ready: number; form: number; editorForm?: number }> {
  const sandbox = await startSandbox({ withoutPlugin, backend: !withoutPlugin, pluginDir });
  const browser = await launchBrowser();
  try {
    const ready: number[] = [];
    const form: number[] = [];
    const editorForm: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const page = await browser.context.newPage();
      const r = await timeEditorReady(page, sandbox.urls.editor);
      const f = withoutPlugin
        ? await timeStageForm(page, 'Wait', (p) => p.getByText(/wait time/i).first().waitFor())
        : await timeStageForm(page, 'CD-as-a-Service Deploy', (p) => p.getByRole('textbox', { name: /manifest yaml/i }).waitFor());
      await page.close();
      // A page of its own: an Ace editor already built in the page (Wait has none) would be warm.
      let e: number | undefined;
      if (withoutPlugin) {
        const editorPage = await browser.context.newPage();
        await timeEditorReady(editorPage, sandbox.urls.editor);
        e = await timeStageForm(editorPage, 'AWS CodeBuild', codeBuildEditorShown);
        await editorPage.close();
      }
      if (i === 0) continue; // warm-up
      ready.push(r);
      form.push(f);
      if (e !== undefined) editorForm.push(e);
    }
    return { ready: median(ready), form: median(form), editorForm: editorForm.length ? median(editorForm) : undefined };
  } finally {
    await browser.close();
    await sandbox.close();
  }
}

export async function run(): Promise<BenchRow[]> {
  if (!existsSync(join(SINGLE_MODULE_DIR, 'index.js'))) throw new Error(`${SINGLE_MODULE_DIR}/index.js is missing: run the bundle part first`);
  const base = await measure(true);
  const single = await measure(false, SINGLE_MODULE_DIR);
  const ours = await measure(false);
  const none = { name: 'Deck without plugins', value: base.ready };
  const wait = { name: "Deck's Wait stage", value: base.form };
  const codeBuild = { name: "Deck's AWS CodeBuild stage (Deck's YamlEditor)", value: base.editorForm! };
  return [
    { name: 'Deck pipeline editor ready, with the plugin (split)', value: ours.ready, unit: 'ms', baseline: none, target: '<= 5% over the baseline' },
    { name: '  the same, single module today', value: single.ready, unit: 'ms', baseline: none },
    { name: '  split over Deck without plugins', value: Math.round((ours.ready / base.ready - 1) * 1000) / 10, unit: '%' },
    { name: 'CD-as-a-Service Deploy form shown after picking the type (split)', value: ours.form, unit: 'ms', baseline: wait, target: '<= 1.2x' },
    { name: '  the same, single module today', value: single.form, unit: 'ms', baseline: wait },
    { name: '  split over Wait', value: Math.round((ours.form / base.form) * 100) / 100, unit: 'x' },
    { name: "  Deck's own stage with Deck's YAML editor, for comparison", value: codeBuild.value, unit: 'ms', baseline: wait },
    { name: '  split over that stage', value: Math.round((ours.form / codeBuild.value) * 100) / 100, unit: 'x' },
  ];
}

if (process.argv[1]?.endsWith('deckBoot.ts')) {
  run().then(
    (rows) => rows.forEach((r) => console.log(`${r.name}: ${r.value} ${r.unit} (baseline ${r.baseline?.name}: ${r.baseline?.value} ${r.unit})`)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
