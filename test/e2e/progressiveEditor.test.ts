// The Deploy form's manifest box in the real Deck UI: a plain textarea of Ace's size until the
// browser is idle after the first paint, then Deck's Ace editor in the same place, with the same
// text, caret and scroll (ProgressiveYamlEditor). Keys typed while Ace is being built reach it.
import type { Page } from 'playwright-core';

import { potatoFacts } from '../support/potatoFacts';
import { addDeployStageOnStaging } from './deployForm';
import { type E2E, E2E_TEST_TIMEOUT_MS, useE2E, withScreenshot } from './harness';
import { yamlEditorState } from './yamlEditor';

let e2e: E2E;
useE2E((started) => (e2e = started));

// Longer than the box's 40 lines, so it scrolls; its image lines are wider than the box.
const MANIFEST = potatoFacts({ replicas: 2, service: true }).manifest + Array.from({ length: 40 }, (_, i) => `# note ${i + 1}`).join('\n');

/** The browser is never idle until `releaseIdle`: the swap then waits for a focus or for the test. */
async function holdIdle(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __held: Array<() => void>; requestIdleCallback: (cb: () => void) => number };
    w.__held = [];
    w.requestIdleCallback = (cb) => w.__held.push(cb);
  });
}
const releaseIdle = (page: Page) => page.evaluate(() => (window as unknown as { __held: Array<() => void> }).__held.splice(0).forEach((cb) => cb()));

const plainBox = (page: Page) => page.locator('textarea.cdaas-yaml-plain[aria-label="Manifest YAML"]');
const aceBox = (page: Page) => page.locator('.cdaas-progressive-yaml .ace_editor');

test(
  'keys typed while Ace is built reach it; reopened, the textarea hands its text, caret and scroll to Ace in the same box; the saved stage holds what was typed',
  async () => {
    const w = await e2e.page();
    await withScreenshot(w, 'progressive-editor', async (page) => {
      await page.goto(e2e.sandbox.urls.editor);
      await holdIdle(page);
      await addDeployStageOnStaging(page);
      await plainBox(page).waitFor();

      // A press focuses the textarea and Ace is built at its release; keys sent right behind the
      // release reach the page while that build runs (Playwright's click() would wait for it).
      await plainBox(page).scrollIntoViewIfNeeded();
      const box = (await plainBox(page).boundingBox())!;
      await page.mouse.move(box.x + 60, box.y + 8);
      await page.mouse.down();
      await Promise.all([page.mouse.up(), page.keyboard.type('# typed during the swap')]);
      await aceBox(page).waitFor();
      expect(await plainBox(page).count()).toBe(0);
      await expect.poll(async () => (await yamlEditorState(page, /manifest yaml/i)).text).toBe('# typed during the swap');
      expect(await page.evaluate(() => document.activeElement?.closest('.ace_editor') !== null)).toBe(true);
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(MANIFEST);
      await page.getByRole('button', { name: /save changes/i }).click();
      await expect.poll(() => e2e.sandbox.gate.savedPipelines.length, { timeout: 10_000 }).toBeGreaterThan(0);
    });
    const saved = e2e.sandbox.gate.savedPipelines.at(-1)!.pipeline.stages.find((s) => s.type === 'cdaasDeploy')!;
    expect((saved.cdaas as { manifestText: string }).manifestText).toBe(MANIFEST);
    expect(Object.values((saved.payload as { files: Record<string, string[]> }).files).flat()).toEqual([MANIFEST]);

    await withScreenshot(w, 'progressive-editor-reopened', async (page) => {
      await page.reload();
      await page.getByRole('button', { name: /add stage/i }).waitFor();
      await holdIdle(page);
      await page.getByText('CD-as-a-Service Deploy', { exact: true }).first().click();
      const plain = plainBox(page);
      await plain.waitFor();
      expect(await plain.inputValue()).toBe(MANIFEST);
      // The agents' read settled, so nothing above the box moves it while it is measured.
      await expect.poll(async () => (await page.getByLabel(/^account/i).locator('option').allTextContents()).join(','), { timeout: 15_000 }).toContain('staging');
      // A selection on line 3 and the box scrolled down a little, without focusing it.
      const before = await plain.evaluate((el: HTMLTextAreaElement) => {
        const start = el.value.split('\n').slice(0, 2).join('\n').length + 1;
        el.setSelectionRange(start + 2, start + 6);
        el.scrollTop = Math.min(32, el.scrollHeight - el.clientHeight);
        const r = el.getBoundingClientRect();
        // Within the field (the agents' warnings above it may still grow).
        const field = el.closest('.cdaas-progressive-yaml')!.parentElement!.getBoundingClientRect();
        return { top: r.top - field.top, left: r.left - field.left, width: r.width, height: r.height, scrollTop: el.scrollTop };
      });
      await releaseIdle(page);
      await aceBox(page).waitFor();
      // After Ace's first render (its render loop runs in animation frames).
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const after = await aceBox(page).evaluate((el) => {
        const editor = (el as HTMLElement & { env: { editor: { getSelectionRange(): unknown; getSession(): { getScrollTop(): number }; isFocused(): boolean } } }).env.editor;
        const r = el.getBoundingClientRect();
        const field = el.closest('.cdaas-progressive-yaml')!.parentElement!.getBoundingClientRect();
        return { top: r.top - field.top, left: r.left - field.left, width: r.width, height: r.height, scrollTop: editor.getSession().getScrollTop(), range: editor.getSelectionRange(), focused: editor.isFocused() };
      });
      expect(after).toEqual({ ...before, range: { start: { row: 2, column: 2 }, end: { row: 2, column: 6 } }, focused: false });
      expect((await yamlEditorState(page, /manifest yaml/i)).text).toBe(MANIFEST);
    });
    expect(w.problems).toEqual([]);
  },
  E2E_TEST_TIMEOUT_MS,
);
