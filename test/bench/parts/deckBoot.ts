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
 * Medians of several rounds, each measuring every Deck once (a fresh page each); the first round
 * is a warm-up (esbuild cache, JIT).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { REPO_ROOT } from '../../../sandbox/lib/plugin';
import { startSandbox } from '../../../sandbox/start';
import { launchBrowser } from '../../e2e/browser';
import { median } from '../stats';
import type { BenchRow } from '../types';

export const SINGLE_MODULE_DIR = join(REPO_ROOT, 'build/single');

const RUNS = 5;


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
const deployFormShown = (p: Page) => p.getByRole('textbox', { name: /manifest yaml/i }).waitFor();
const waitFormShown = (p: Page) => p.getByText(/wait time/i).first().waitFor();

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

/** One fresh page: the editor opened, then one stage type picked (a page each, so no Ace editor is warm). */
async function timePage(browser: Browser, url: string, label: string, formVisible: (p: Page) => Promise<void>): Promise<{ ready: number; form: number }> {
  const page = await browser.context.newPage();
  try {
    const ready = await timeEditorReady(page, url);
    return { ready, form: await timeStageForm(page, label, formVisible) };
  } finally {
    await page.close();
  }
}

export async function run(): Promise<BenchRow[]> {
  if (!existsSync(join(SINGLE_MODULE_DIR, 'index.js'))) throw new Error(`${SINGLE_MODULE_DIR}/index.js is missing: run the bundle part first`);
  // All three Decks at once, measured in turn within each round: the machine's load changes over
  // a run (2 cores, other work), and one Deck measured minutes after another compared load, not Deck.
  const base = await startSandbox({ withoutPlugin: true, backend: false });
  const singleBox = await startSandbox({ pluginDir: SINGLE_MODULE_DIR });
  const splitBox = await startSandbox({});
  const browser = await launchBrowser();
  const runs = { none: [] as number[], wait: [] as number[], codeBuild: [] as number[], singleReady: [] as number[], single: [] as number[], splitReady: [] as number[], split: [] as number[] };
  try {
    for (let i = 0; i <= RUNS; i++) {
      const pages = [
        () => timePage(browser, base.urls.editor, 'Wait', waitFormShown),
        () => timePage(browser, base.urls.editor, 'AWS CodeBuild', codeBuildEditorShown),
        () => timePage(browser, singleBox.urls.editor, 'CD-as-a-Service Deploy', deployFormShown),
        () => timePage(browser, splitBox.urls.editor, 'CD-as-a-Service Deploy', deployFormShown),
      ];
      // Each round starts at another Deck, so none always follows the same one (a closed page's teardown overlaps the next load).
      const results: Array<{ ready: number; form: number }> = [];
      for (let k = 0; k < pages.length; k++) {
        const at = (k + i) % pages.length;
        results[at] = await pages[at]();
      }
      const [w, c, s, o] = results;
      if (i === 0) continue; // warm-up
      runs.none.push(w.ready);
      runs.wait.push(w.form);
      runs.codeBuild.push(c.form);
      runs.singleReady.push(s.ready);
      runs.single.push(s.form);
      runs.splitReady.push(o.ready);
      runs.split.push(o.form);
    }
  } finally {
    await browser.close();
    for (const box of [base, singleBox, splitBox]) await box.close();
  }
  const m = Object.fromEntries(Object.entries(runs).map(([k, xs]) => [k, median(xs)])) as Record<keyof typeof runs, number>;
  const none = { name: 'Deck without plugins', value: m.none };
  const wait = { name: "Deck's Wait stage", value: m.wait };
  return [
    { name: 'Deck pipeline editor ready, with the plugin (split)', value: m.splitReady, unit: 'ms', baseline: none, target: '<= 5% over the baseline' },
    { name: '  the same, single module today', value: m.singleReady, unit: 'ms', baseline: none },
    { name: '  split over Deck without plugins', value: Math.round((m.splitReady / m.none - 1) * 1000) / 10, unit: '%' },
    { name: 'CD-as-a-Service Deploy form shown after picking the type (split)', value: m.split, unit: 'ms', baseline: wait, target: '<= 1.2x' },
    { name: '  the same, single module today', value: m.single, unit: 'ms', baseline: wait },
    { name: '  split over Wait', value: Math.round((m.split / m.wait) * 100) / 100, unit: 'x' },
    { name: "  Deck's own stage with Deck's YAML editor, for comparison", value: m.codeBuild, unit: 'ms', baseline: wait },
    { name: '  split over that stage', value: Math.round((m.split / m.codeBuild) * 100) / 100, unit: 'x' },
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
