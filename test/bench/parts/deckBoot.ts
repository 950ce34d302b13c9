/**
 * A `npm run bench` part: what the plugin costs a Deck user, measured in the real Deck UI in
 * headless Chromium, beside a baseline from the same run. Lives with the benchmarks (not in
 * sandbox/) because it drives the sandbox with test code (the e2e browser).
 *
 * - editor ready: page load to the pipeline editor's "Add stage" button; baseline: the same Deck
 *   with Gate listing no plugin (our import() and registration are the difference).
 * - stage form shown: picking the stage type to the end of the first frame painted with its form
 *   (for the split module: its chunks' first load included), timed in the page (timeStageForm);
 *   baseline: Deck's own Wait stage. The Deploy form has three figures from the same pick: shown and
 *   usable (its manifest box a plain textarea at first), every field present (down to the
 *   Deployment section's last control: a form that built part of itself later would show it
 *   here), and Deck's Ace editor ready in the manifest box. Beside it, as a second
 *   baseline, Deck's AWS CodeBuild stage: a Formik stage of @spinnaker/core with Deck's own
 *   YamlEditor (Buildspec), the editor the Deploy form uses, timed until that editor's text input
 *   shows. Building Deck's Ace editor (and the first layout of a form around it) is most of what
 *   the Deploy form costs over Wait, and any Deck stage with that editor pays it too.
 *   A third baseline, for a form of the Deploy form's size: Deck's Webhook stage (an Angular form
 *   of core, no Ace: 24 controls and 268 elements in the DOM, 7 controls on screen, against the
 *   Deploy form's 32 controls and ~230 elements), timed until its last control on screen. In seven
 *   runs (2026-12-01, load 2-5.7) it showed in 134-187 ms, 1.9-2.9x Wait, and the Deploy form
 *   in 0.75-0.89x of its time in six of them (1.19x in one): the Deploy form's README, "How
 *   fast the form opens", has those runs and what was tried against the 1.2x target.
 * With CDAAS_BENCH_COMPARE_DIR, each A/B build also gets the median of its rounds' paired ratios:
 *   an A/A run (the same form on both sides) read 0.98x, so a change under ~5% does not show.
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
import { startCpuProfile, stopCpuProfile, timeUnder } from '../cpuProfile';
import { median, shuffledOrder } from '../stats';
import type { BenchRow } from '../types';

export const SINGLE_MODULE_DIR = join(REPO_ROOT, 'build/single');

/** Rounds after the warm-up; more than the forms need, for the editor-ready figure's 5% (single loads vary by 10% here). */
const RUNS = 7;
/** Profiled loads for what the plugin itself adds to Deck's start. */
const COST_RUNS = 3;


async function timeEditorReady(page: Page, url: string): Promise<number> {
  const started = Date.now();
  await page.goto(url);
  await page.getByRole('button', { name: /add stage/i }).waitFor();
  return Date.now() - started;
}

/**
 * When a form counts as shown, as expressions evaluated in the page: Wait's "Wait time"; Deck's
 * AWS CodeBuild form, whose Buildspec field is Deck's YamlEditor (Ace, its text input has no name
 * of its own); the Deploy form's textbox "Manifest YAML" (at first a plain textarea,
 * ProgressiveYamlEditor), the last control on screen when the form opens in a 1400x900 Deck;
 * every field present: that textbox and the Deployment section's unit, the form's last control;
 * and Deck's editor ready: that textbox being Ace's.
 */
export const SHOWN = {
  wait: `/wait time/i.test(document.querySelector('.stage-details')?.textContent ?? '')`,
  codeBuild: `!!document.querySelector('.stage-details .ace_editor textarea')`,
  deploy: `!!document.querySelector('textarea[aria-label="Manifest YAML"]')`,
  deployAll: `!!document.querySelector('textarea[aria-label="Manifest YAML"]') && !!document.querySelector('select[aria-label="Deployment timeout unit"]')`,
  deployAce: `!!document.querySelector('.ace_editor textarea[aria-label="Manifest YAML"]')`,
  // Its last control on screen (the sections under it are in the DOM, collapsed).
  webhook: `/wait for completion/i.test(document.querySelector('.stage-details')?.textContent ?? '')`,
};

/**
 * Timed in the page, on the page's clock: from the pick's click event to the end of the first
 * frame painted once each condition held (a task queued from that frame's animation callback runs
 * after its paint; a user-blocking one, ahead of the timers the page queued from that frame). Not Playwright's waitFor: its polling and round trip added 50 ms and more per
 * condition here, and a long task just after the paint (Ace being built) delayed its poll, not
 * what the user sees.
 */
async function timeStageForm(page: Page, label: string, conditions: Record<string, string>): Promise<Record<string, number>> {
  await page.getByRole('button', { name: /add stage/i }).click();
  await page.locator('.ui-select-container .select2-choice').first().click();
  const row = page.locator('.ui-select-choices-row').filter({ hasText: label }).first();
  await row.waitFor();
  const checks = Object.entries(conditions).map(([name, expr]) => `[${JSON.stringify(name)}, () => ${expr}]`).join(', ');
  await page.evaluate(`(() => {
    const t = (window.__cdaasTimes = {});
    let clicked;
    document.addEventListener('click', (e) => {
      if (clicked === undefined && e.target instanceof Element && e.target.closest('.ui-select-choices-row')) clicked = e.timeStamp;
    }, true);
    // The first task after the frame's paint. A user-blocking task, not a timer: a page's own
    // work deferred past that paint (rAF then setTimeout, as lazy/afterPaint.ts does) queued
    // its timer first and ran before a timer of ours, so the figure counted it.
    const afterPaint = (f) => (globalThis.scheduler?.postTask ? globalThis.scheduler.postTask(f, { priority: 'user-blocking' }) : setTimeout(f, 0));
    const pending = new Map([${checks}]);
    const obs = new MutationObserver(() => {
      if (clicked === undefined) return;
      for (const [name, holds] of pending) {
        if (!holds()) continue;
        pending.delete(name);
        requestAnimationFrame(() => afterPaint(() => (t[name] = performance.now() - clicked)));
      }
      if (!pending.size) obs.disconnect();
    });
    obs.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] });
  })()`);
  await row.click();
  const names = JSON.stringify(Object.keys(conditions));
  await page.waitForFunction(`${names}.every((n) => typeof window.__cdaasTimes[n] === 'number')`, undefined, { timeout: 30_000 });
  return (await page.evaluate('window.__cdaasTimes')) as Record<string, number>;
}

/** A plugin file as Gate serves it: /plugins/deck/{id}/{version}/{file}.js (not the manifest every Deck reads). */
const PLUGIN_FILE = /\/plugins\/deck\/[^/]+\/[^/]+\/[^/?#]+\.js(?:[?#]|$)/;

/**
 * What the plugin itself adds to Deck's start, in one load of the editor: the request for
 * index.js (Deck defers its router until every plugin has loaded) and the CPU sampled with a
 * plugin file on the stack (its compile and evaluation, `initialize`, Deck's registries it calls,
 * its listeners). Beside the end-to-end medians, whose load-to-load spread here (10-25%) is more
 * than the 5% they are held to. Loaded once unprofiled first, so the profiled load is a reload in
 * the same renderer (a cross-site navigation would leave the profiler on the old process).
 */
async function pluginStartCost(browser: Browser, url: string): Promise<{ request: number; cpu: number }> {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  try {
    await timeEditorReady(page, url);
    await startCpuProfile(cdp);
    await page.reload();
    await page.getByRole('button', { name: /add stage/i }).waitFor();
    const profile = await stopCpuProfile(cdp);
    const files = (await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => ({ name: e.name, ms: (e as PerformanceResourceTiming).responseEnd - e.startTime })),
    )) as Array<{ name: string; ms: number }>;
    const index = files.filter((f) => PLUGIN_FILE.test(f.name) && /\/index\.js/.test(f.name));
    if (index.length !== 1) throw new Error(`expected one request for the plugin's index.js, saw ${JSON.stringify(files.filter((f) => PLUGIN_FILE.test(f.name)))}`);
    return { request: index[0].ms, cpu: timeUnder(profile, (u) => PLUGIN_FILE.test(u)) };
  } finally {
    await cdp.detach().catch(() => undefined);
    await page.close();
  }
}

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

/** One fresh page: the editor opened, then one stage type picked (a page each, so no Ace editor is warm). */
async function timePage(browser: Browser, url: string, label: string, conditions: Record<string, string>): Promise<{ ready: number; at: Record<string, number> }> {
  const page = await browser.context.newPage();
  try {
    const ready = await timeEditorReady(page, url);
    return { ready, at: await timeStageForm(page, label, conditions) };
  } finally {
    await page.close();
  }
}

export async function run(): Promise<BenchRow[]> {
  if (!existsSync(join(SINGLE_MODULE_DIR, 'index.js'))) throw new Error(`${SINGLE_MODULE_DIR}/index.js is missing: run the bundle part first`);
  // All three Decks at once, measured in turn within each round: the machine's load changes over
  // a run (2 cores, other work), and one Deck measured minutes after another compared load, not Deck.
  const base = await startSandbox({ withoutPlugin: true, backend: false });
  // No demo run in the Decks with the plugin: it adds a pipeline and a running execution (and the
  // bridge and emulator stepping it) that Deck without plugins does not have, which made the
  // editor's load with the plugin 7-18% slower in the paired rounds while the plugin's own share
  // (the profiled figure below) was 2.5%. Their bridge stays, for the form's agents read.
  const singleBox = await startSandbox({ pluginDir: SINGLE_MODULE_DIR, demoRun: false });
  const splitBox = await startSandbox({ demoRun: false });
  const browser = await launchBrowser();
  // A/B in the same run: other plugin builds (e.g. main's, `npm run build` in a copy; several
  // separated by commas) timed as further Decks in every round.
  const compareDirs = (process.env.CDAAS_BENCH_COMPARE_DIR ?? '').split(',').filter(Boolean);
  const compareBoxes = await Promise.all(compareDirs.map((pluginDir) => startSandbox({ pluginDir, demoRun: false })));
  const deploy = { form: SHOWN.deploy, all: SHOWN.deployAll, ace: SHOWN.deployAce };
  const runs = { none: [] as number[], readyRatio: [] as number[], cost: [] as number[], costRequest: [] as number[], costCpu: [] as number[], wait: [] as number[], codeBuild: [] as number[], webhook: [] as number[], singleReady: [] as number[], single: [] as number[], splitReady: [] as number[], split: [] as number[], splitAll: [] as number[], splitAce: [] as number[] };
  const compared = compareDirs.map(() => ({ form: [] as number[], all: [] as number[], ace: [] as number[], paired: [] as number[] }));
  try {
    for (let i = 0; i <= RUNS; i++) {
      const pages = [
        () => timePage(browser, base.urls.editor, 'Wait', { form: SHOWN.wait }),
        () => timePage(browser, base.urls.editor, 'AWS CodeBuild', { form: SHOWN.codeBuild }),
        () => timePage(browser, base.urls.editor, 'Webhook', { form: SHOWN.webhook }),
        () => timePage(browser, singleBox.urls.editor, 'CD-as-a-Service Deploy', { form: SHOWN.deploy }),
        () => timePage(browser, splitBox.urls.editor, 'CD-as-a-Service Deploy', deploy),
        ...compareBoxes.map((box) => () => timePage(browser, box.urls.editor, 'CD-as-a-Service Deploy', deploy)),
      ];
      // A shuffled order each round, so no Deck always follows the same one: a closed page's
      // teardown overlaps the next load. (Rotating the start did not do that: the split Deck
      // always came right after the single module's Deploy form, Ace and worker included.)
      const results: Array<{ ready: number; at: Record<string, number> }> = [];
      for (const at of shuffledOrder(pages.length, i)) results[at] = await pages[at]();
      const [w, c, h, s, o, ...ab] = results;
      if (i === 0) continue; // warm-up
      // Deck without plugins loads twice per round (the Wait and CodeBuild pages): their mean is
      // this round's baseline, and the split's ready over it is one paired sample, so the load
      // drifting between rounds cancels out of the ratio.
      const none = (w.ready + c.ready) / 2;
      runs.none.push(w.ready, c.ready);
      runs.readyRatio.push(o.ready / none);
      runs.wait.push(w.at.form);
      runs.codeBuild.push(c.at.form);
      runs.webhook.push(h.at.form);
      runs.singleReady.push(s.ready);
      runs.single.push(s.at.form);
      runs.splitReady.push(o.ready);
      runs.split.push(o.at.form);
      runs.splitAll.push(o.at.all);
      runs.splitAce.push(o.at.ace);
      ab.forEach((r, n) => {
        compared[n].form.push(r.at.form);
        compared[n].all.push(r.at.all);
        compared[n].ace.push(r.at.ace);
        // This round's split over that build, both measured minutes apart at most: the load
        // drifting between rounds (other work on 2 shared cores) cancels out of the ratio.
        compared[n].paired.push(o.at.form / r.at.form);
      });
    }
    for (let i = 0; i < COST_RUNS; i++) {
      const cost = await pluginStartCost(browser, splitBox.urls.editor);
      runs.costRequest.push(cost.request);
      runs.costCpu.push(cost.cpu);
      runs.cost.push(cost.request + cost.cpu);
    }
  } finally {
    await browser.close();
    for (const box of [base, singleBox, splitBox, ...compareBoxes]) await box.close();
  }
  const m = Object.fromEntries(Object.entries(runs).map(([k, xs]) => [k, median(xs)])) as Record<keyof typeof runs, number>;
  const none = { name: 'Deck without plugins', value: m.none };
  const wait = { name: "Deck's Wait stage", value: m.wait };
  const round1 = (x: number) => Math.round(x * 10) / 10;
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  return [
    { name: 'Deck pipeline editor ready, with the plugin (split)', value: m.splitReady, unit: 'ms', baseline: none },
    { name: '  the same, single module today', value: m.singleReady, unit: 'ms', baseline: none },
    { name: `  split over Deck without plugins (median of ${RUNS} rounds' paired ratios)`, value: Math.round((m.readyRatio - 1) * 1000) / 10, unit: '%', target: '<= 5%' },
    { name: `  what the plugin adds to Deck's start: index.js's request + CPU under plugin code (median of ${COST_RUNS} profiled loads)`, value: round1(m.cost), unit: 'ms', baseline: none },
    { name: '    the request for index.js', value: round1(m.costRequest), unit: 'ms' },
    { name: '    CPU with a plugin file on the stack', value: round1(m.costCpu), unit: 'ms' },
    { name: '    that over Deck without plugins', value: Math.round((m.cost / m.none) * 1000) / 10, unit: '%' },
    // Figures from the same pick: the form on screen and usable (its manifest box a plain
    // textarea at first), every field present, and Deck's Ace editor built in the manifest box.
    { name: 'CD-as-a-Service Deploy form shown and usable after picking the type (split)', value: m.split, unit: 'ms', baseline: wait, target: '<= 1.2x' },
    { name: '  the same, single module today', value: m.single, unit: 'ms', baseline: wait },
    { name: '  split over Wait', value: ratio(m.split, m.wait), unit: 'x' },
    { name: '  every field present (down to the Deployment section), from the same pick', value: m.splitAll, unit: 'ms', baseline: wait },
    { name: '  every field present over Wait', value: ratio(m.splitAll, m.wait), unit: 'x' },
    { name: "  Deck's editor (Ace) ready in that form, from the same pick", value: m.splitAce, unit: 'ms', baseline: wait },
    { name: '  Ace ready over Wait', value: ratio(m.splitAce, m.wait), unit: 'x' },
    { name: "  Deck's own stage with Deck's YAML editor, for comparison", value: m.codeBuild, unit: 'ms', baseline: wait },
    { name: '  split (shown) over that stage', value: ratio(m.split, m.codeBuild), unit: 'x' },
    { name: "  Deck's Webhook stage, a core form of the Deploy form's size without Ace, for comparison", value: m.webhook, unit: 'ms', baseline: wait },
    { name: '  split (shown) over Webhook', value: ratio(m.split, m.webhook), unit: 'x' },
    ...compareDirs.flatMap((dir, n) => {
      const c = { form: median(compared[n].form), all: median(compared[n].all), ace: median(compared[n].ace) };
      return [
        { name: `  A/B: the form of ${dir}, shown`, value: c.form, unit: 'ms', baseline: wait },
        { name: '  A/B shown over Wait', value: ratio(c.form, m.wait), unit: 'x' },
        { name: `  this build's shown over that one's (median of ${RUNS} rounds' paired ratios)`, value: Math.round(median(compared[n].paired) * 100) / 100, unit: 'x' },
        { name: `  A/B: ${dir}, every field present`, value: c.all, unit: 'ms', baseline: wait },
        { name: `  A/B: ${dir}, Ace ready`, value: c.ace, unit: 'ms', baseline: wait },
      ];
    }),
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
