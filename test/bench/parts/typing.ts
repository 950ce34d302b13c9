/**
 * A `npm run bench` part: typing in a 5,000-line deploy.yml in the CD-as-a-Service Deployment
 * YAML form, in the real Deck UI (headless Chromium), for the split module (checks in the worker)
 * beside today's single module (checks on the main thread), measured in the same run.
 *
 * - longest main-thread task per keystroke: a MessageChannel loop in the page timestamps every
 *   turn of the event loop; the longest gap between two turns after a keystroke (until the next
 *   one) is the longest the page could not respond. Median and worst over the keystrokes.
 * - problems shown after the last keystroke: from the last keydown to the status line leaving
 *   "Checking deploy.yml..." (the last keystroke's window ends there).
 * - the longest task after that: Deck taking the updated stage once the typing paused.
 * - the longest task per keystroke by thread (CPU) time, from one more run under a Chromium trace
 *   (./traceTasks.ts): what the wall figures mean when other processes share the cores.
 */
import type { Page } from 'playwright-core';

import { startSandbox } from '../../../sandbox/start';
import { launchBrowser, pickStageType } from '../../e2e/browser';
import type { BenchRow } from '../types';
import { SINGLE_MODULE_DIR } from './deckBoot';
import { generateDeployYaml } from './deployYaml';
import { median } from '../stats';
import { keystrokeTasks, recordTrace } from './traceTasks';

const KEYS = 'abcdefghijklmnopqrst';
const KEY_GAP_MS = 150;


// Runs in the page (as text: the bench runs under tsx, whose helpers the page does not have).
export const PROBE = `(() => {
  const turns = [];
  const keys = [];
  let running = true;
  const ch = new MessageChannel();
  ch.port1.onmessage = () => { turns.push(performance.now()); if (running) ch.port2.postMessage(0); };
  ch.port2.postMessage(0);
  addEventListener('keydown', () => keys.push(performance.now()), true);
  const status = document.querySelector('[aria-label="deploy.yml problems"] [role="status"]');
  let shown;
  new MutationObserver(() => {
    if (!/Checking/.test(status.textContent) && keys.length) shown = performance.now();
  }).observe(status, { childList: true, subtree: true, characterData: true });
  window.__cdaasTyping = {
    stop() {
      running = false;
      const gapIn = (from, to) => {
        let longest = 0;
        for (let j = 1; j < turns.length; j++) if (turns[j] > from && turns[j - 1] < to) longest = Math.max(longest, Math.min(turns[j], to) - Math.max(turns[j - 1], from));
        return longest;
      };
      // Each keystroke until the next one; the last one until its problems are shown.
      const worst = keys.map((k, i) => gapIn(k, keys[i + 1] ?? shown ?? performance.now()));
      return { worst, afterShown: shown === undefined ? -1 : gapIn(shown, performance.now()), shownAfterLast: shown === undefined ? -1 : shown - keys[keys.length - 1] };
    },
  };
})()`;

async function pasteInto(page: Page, text: string): Promise<void> {
  // One input event, as a paste: Playwright's fill() types into Deck's textarea far too slowly.
  await page.getByRole('textbox', { name: 'deploy.yml' }).evaluate((el, value) => {
    // Deck's YAML editor (Ace) takes text through its editor API, as its own paste does.
    (el.closest('.ace_editor') as (Element & { env?: { editor?: { setValue(t: string, c: number): void } } }) | null)?.env?.editor?.setValue(value, 1);
  }, text);
}

/**
 * The status once the text is checked and has no errors: "deploy.yml is valid.", or "No errors, N
 * warnings" where the file's accounts have no connected agent in the sandbox (a warning since the
 * account check); both are the same answer before and after typing in a comment.
 */
async function checked(page: Page): Promise<void> {
  await page
    .getByRole('region', { name: 'deploy.yml problems' })
    .getByRole('status')
    .filter({ hasText: /^(deploy\.yml is valid\.|No errors, \d+ warnings? in deploy\.yml\.)$/ })
    .waitFor({ timeout: 60_000 });
}

export interface Typed {
  worst: number[];
  /** The longest task once the problems were shown: Deck applying the stage after the pause. */
  afterShown: number;
  shownAfterLast: number;
}

/** Opens the YAML stage's form, pastes `text` and puts Ace's cursor at the end of its first line. */
export async function openWithText(page: Page, url: string, text: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: /add stage/i }).click();
  await pickStageType(page, 'CD-as-a-Service Deployment YAML');
  const editor = page.getByRole('textbox', { name: 'deploy.yml' });
  await editor.waitFor();
  await pasteInto(page, text);
  await checked(page);
  // Type at the end of a comment line, so the document stays valid and the answer is the same.
  // (Ace's own cursor: the textarea it listens on does not hold the document.)
  await editor.evaluate((el) => {
    type Ace = { getValue(): string; moveCursorTo(row: number, column: number): void; clearSelection(): void; focus(): void };
    const ace = (el.closest('.ace_editor') as (Element & { env?: { editor?: Ace } }) | null)?.env?.editor;
    if (!ace) throw new Error('the deploy.yml textbox is not in an Ace editor');
    ace.moveCursorTo(0, ace.getValue().indexOf('\n'));
    ace.clearSelection();
    ace.focus();
  });
  await page.waitForTimeout(1000);
}

/** The bench's keystrokes, then the wait for their problems and for Deck to get the stage. */
export async function typeKeys(page: Page): Promise<void> {
  for (const k of KEYS) {
    await page.keyboard.press(k);
    await page.waitForTimeout(KEY_GAP_MS);
  }
  await checked(page);
  // Long enough for Deck to get the stage once typing paused (the split module waits 400 ms).
  await page.waitForTimeout(1500);
}

async function typeOnce(page: Page, url: string, text: string): Promise<Typed> {
  await openWithText(page, url, text);
  await page.evaluate(PROBE);
  await typeKeys(page);
  return (await page.evaluate('window.__cdaasTyping.stop()')) as Typed;
}

/** One more run, traced: the longest task per keystroke by thread (CPU) time, which load does not inflate. */
async function tracedOnce(page: Page, url: string, text: string): Promise<number[]> {
  await openWithText(page, url, text);
  const cdp = await page.context().newCDPSession(page);
  const events = await recordTrace(cdp, () => typeKeys(page));
  return keystrokeTasks(events).map((k) => k.cpu);
}

async function measure(pluginDir?: string, runs = 3): Promise<{ medianTask: number; worstTask: number; shown: number; after: number; cpu: number }> {
  const sandbox = await startSandbox({ backend: true, pluginDir });
  const browser = await launchBrowser();
  const text = generateDeployYaml();
  try {
    const worst: number[] = [];
    const shown: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < runs; i++) {
      const page = await browser.context.newPage();
      const r = await typeOnce(page, sandbox.urls.editor, text);
      await page.close();
      worst.push(...r.worst);
      shown.push(r.shownAfterLast);
      after.push(r.afterShown);
    }
    // Separate from the runs above: tracing costs the page some time per task.
    const page = await browser.context.newPage();
    const cpu = await tracedOnce(page, sandbox.urls.editor, text);
    await page.close();
    return { medianTask: median(worst), worstTask: Math.max(...worst), shown: median(shown), after: median(after), cpu: median(cpu) };
  } finally {
    await browser.close();
    await sandbox.close();
  }
}

const round = (n: number) => Math.round(n);

export async function run(): Promise<BenchRow[]> {
  const today = await measure(SINGLE_MODULE_DIR);
  const ours = await measure();
  return [
    { name: 'longest main-thread task per keystroke, median (split: worker)', value: round(ours.medianTask), unit: 'ms', baseline: { name: 'today, main thread', value: round(today.medianTask) }, target: '<= 16 ms' },
    { name: 'longest main-thread task per keystroke, worst', value: round(ours.worstTask), unit: 'ms', baseline: { name: 'today, main thread', value: round(today.worstTask) }, target: '<= 16 ms' },
    // The same figure by thread time (one traced run): comparable between runs on a loaded machine.
    { name: 'longest task per keystroke by CPU (thread) time, median', value: round(ours.cpu), unit: 'ms', baseline: { name: 'today, main thread', value: round(today.cpu) } },
    { name: 'longest task after typing stopped (Deck applying the stage), median', value: round(ours.after), unit: 'ms', baseline: { name: 'today, main thread', value: round(today.after) } },
    { name: 'problems shown after the last keystroke (median)', value: round(ours.shown), unit: 'ms', baseline: { name: 'today, main thread', value: round(today.shown) }, target: '<= 200 ms' },
  ];
}
