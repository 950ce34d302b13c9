/**
 * One sandbox (real Deck shell + Gate stand-in + bridge + emulator, all on port 0) and one headless
 * Chromium per test file. Pages record uncaught errors; `step` saves a screenshot when it fails.
 */
import type { Page } from 'playwright-core';

import { type Sandbox, type SandboxOptions, startSandbox } from '../../sandbox/start';
import { type BrowserHandle, launchBrowser, openPage, screenshot, type WatchedPage } from './browser';

export interface E2E {
  sandbox: Sandbox;
  browser: BrowserHandle;
  /** A new page that fails the test on uncaught errors (see browser.ts). */
  page(): Promise<WatchedPage>;
  close(): Promise<void>;
}

export async function startE2E(opts: SandboxOptions = {}): Promise<E2E> {
  // Fast emulated steps and polls keep a whole canary run to a few seconds; no read cache, so a
  // fault a test injects in the emulator shows at once.
  // The agents page shows the bridge's preflight: its internet endpoints point at a closed loopback
  // port, so no test makes the bridge reach a real external host.
  const nowhere = 'http://127.0.0.1:1';
  const bridgeEnv = { CDAAS_AGENT_HUB_URL: nowhere, PREFLIGHT_GITHUB_URL: nowhere, PREFLIGHT_PLUGIN_REPOSITORY_URL: `${nowhere}/repositories.json`, ...opts.bridgeEnv };
  // No start-up demo run unless a test asks for it: the tests count their own executions.
  const sandbox = await startSandbox({ pollSchedule: 2_000, stepIntervalMs: 300, pollIntervalMs: 300, readCacheTtlMs: 0, demoRun: false, ...opts, bridgeEnv });
  let browser: BrowserHandle;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await sandbox.close();
    throw err;
  }
  return {
    sandbox,
    browser,
    // Gate's answers are recorded: tests check that nothing secret reached the browser.
    page: () => openPage(browser.context, { recordFrom: [sandbox.urls.gate] }),
    async close() {
      await browser.close();
      await sandbox.close();
    },
  };
}

/**
 * Runs `fn`; on failure saves a screenshot to build/e2e-screenshots/<name>.png and adds the page's
 * console log to the error, so a red run says what the browser saw.
 */
export async function withScreenshot<T>(w: WatchedPage, name: string, fn: (page: Page) => Promise<T>): Promise<T> {
  try {
    return await fn(w.page);
  } catch (err) {
    const file = await screenshot(w.page, name);
    const detail = `\n  screenshot: ${file}\n  browser console:\n    ${w.log.slice(-30).join('\n    ')}`;
    if (err instanceof Error) {
      err.message += detail;
      throw err;
    }
    throw new Error(String(err) + detail);
  }
}

/** Generous: the whole suite runs beside other test files on two cores (`npm test`). */
export const E2E_TEST_TIMEOUT_MS = 90_000;

/**
 * Starts the sandbox for a test file and hands it to `set`; after each test, fails on any call Deck
 * made that the Gate stand-in does not know (an unserved endpoint could hide a broken view behind
 * a 404); closes everything after the file.
 */
export function useE2E(set: (e2e: E2E) => void, opts: SandboxOptions = {}): void {
  let e2e: E2E | undefined;
  beforeAll(async () => {
    e2e = await startE2E(opts);
    set(e2e);
  }, 120_000);
  afterEach(() => {
    expect(e2e?.sandbox.gate.unknownRequests).toEqual([]);
  });
  afterAll(async () => {
    await e2e?.close();
  });
}
