/**
 * Headless Chromium for the end-to-end tests (Debian's /usr/bin/chromium through playwright-core;
 * no browser download works here). Each page records uncaught errors and failed console output,
 * minus the noise real Deck makes on every load (real-deck-harness.md), so a test can fail on
 * anything else.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../build/e2e-screenshots');

/** Console errors real Deck prints on every load; none of them is ours. */
const KNOWN_NOISE: RegExp[] = [
  /componentWill(Mount|ReceiveProps|Update) has been renamed/,
  /Invariant Violation: .*17/, // Apollo, from the managed-delivery part
  /Invariant Violation: https:\/\/go\.apollo\.dev\/c\/err#.*17/,
  /favicon\.ico/,
];

export function isKnownNoise(text: string): boolean {
  return KNOWN_NOISE.some((re) => re.test(text));
}

export interface BrowserHandle {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserHandle> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'cdaas-e2e-chromium-'));
  // launchPersistentContext is how playwright takes a --user-data-dir; a fresh one per run keeps
  // caches and storage from leaking between runs.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
    viewport: { width: 1400, height: 900 },
  });
  const browser = context.browser() as Browser;
  return {
    browser,
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

export interface WatchedPage {
  page: Page;
  /** Uncaught page errors and console errors that are not known noise. */
  problems: string[];
  /** Every console message, for a failure report. */
  log: string[];
  /** Bodies of the answers from `recordFrom` origins (e.g. Gate), to check what reached the browser. */
  responses: Array<{ url: string; status: number; body: string }>;
  /** Resolves once the recorded bodies read so far are in `responses`. */
  settled(): Promise<void>;
}

export async function openPage(context: BrowserContext, opts: { recordFrom?: string[] } = {}): Promise<WatchedPage> {
  const page = await context.newPage();
  const problems: string[] = [];
  const log: string[] = [];
  const responses: WatchedPage['responses'] = [];
  const pending = new Set<Promise<void>>();
  page.on('response', (res) => {
    if (!opts.recordFrom?.some((origin) => res.url().startsWith(origin))) return;
    const p: Promise<void> = res
      .text()
      .then((body) => void responses.push({ url: res.url(), status: res.status(), body }))
      .catch(() => undefined)
      .finally(() => pending.delete(p));
    pending.add(p);
  });
  page.on('pageerror', (err) => {
    const text = `pageerror: ${err.message}`;
    log.push(text);
    if (!isKnownNoise(err.message + '\n' + (err.stack ?? ''))) problems.push(text);
  });
  page.on('console', (msg) => {
    // Chromium's "Failed to load resource" names the URL only in the message location.
    const where = msg.text().startsWith('Failed to load resource') ? ` (${msg.location().url})` : '';
    const text = `${msg.type()}: ${msg.text()}${where}`;
    log.push(text);
    if (msg.type() === 'error' && !isKnownNoise(text)) problems.push(text);
  });
  return { page, problems, log, responses, settled: async () => void (await Promise.all([...pending])) };
}

/** Saves a full-page screenshot under build/e2e-screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  return file;
}

/** Picks a stage type in Deck's stage editor. Its Type picker is an angular ui-select: typing does not narrow it, so click the row. */
export async function pickStageType(page: Page, label: string): Promise<void> {
  await page.locator('.ui-select-container .select2-choice').first().click();
  await page.locator('.ui-select-choices-row').filter({ hasText: label }).first().click();
}
