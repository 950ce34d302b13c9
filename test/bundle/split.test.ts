/**
 * The split Deck module served the way Gate serves it (gate-plugins DeckPluginsController: every
 * top-level file of deck.zip under /plugins/deck/{id}/{version}/, js as application/javascript,
 * anything else text/plain, from Gate's origin, not Deck's), loaded in headless Chromium: index.js
 * alone is enough to register, chunks resolve relative to it, the deploy.yml worker runs from its
 * chunk, a Content Security Policy without workers falls back, and a missing chunk is named.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

import type { Page } from 'playwright-core';

import { formatProblem, validateDeployYaml } from '@cdaas/contract/deployYaml';
import { manyTargetsDeployYaml } from '../support/potatoFacts';
import { type BrowserHandle, launchBrowser } from '../e2e/browser';

const root = resolve(__dirname, '../..');
const distDir = join(root, 'build/dist');
const ID = 'Armory.CDaaSSpinnaker';
const VERSION = '0.1.0';
const PREFIX = `/plugins/deck/${ID}/${VERSION}/`;

interface Served {
  origin: string;
  requested: string[];
  /** Files Gate pretends not to have (a bundle of another version, a packaging mistake). */
  hidden: Set<string>;
  close(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

// Chromium keeps connections alive; close() alone would wait for them.
function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((ok) => server.close(() => ok()));
}

async function startGate(deckOrigin: () => string): Promise<Served> {
  const requested: string[] = [];
  const hidden = new Set<string>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = path.startsWith(PREFIX) ? decodeURIComponent(path.slice(PREFIX.length)) : '';
    const cors = { 'access-control-allow-origin': deckOrigin(), 'cache-control': 'private, max-age=2592000, must-revalidate' };
    // `{asset:.*}` reads one file of the extracted deck.zip: no sub-folders here.
    if (!/^[\w][\w.-]*$/.test(file) || hidden.has(file) || !existsSync(join(distDir, file))) {
      res.writeHead(404, cors).end();
      return;
    }
    requested.push(file);
    res.writeHead(200, { ...cors, 'content-type': file.endsWith('.js') ? 'application/javascript' : 'text/plain' });
    res.end(readFileSync(join(distDir, file), 'utf8'));
  });
  const origin = await listen(server);
  return { origin, requested, hidden, close: () => closeServer(server) };
}

// Deck's page: the shared libraries are stand-ins (every property, call or construction gives
// another), enough to evaluate the chunks; Deck itself is in the e2e tests.
const DECK_PAGE = `<!doctype html><html><head><script>
  const standIn = (path) => new Proxy(function () {}, {
    get(_t, prop) {
      if (prop === Symbol.toPrimitive) return () => '[shared ' + path + ']';
      if (prop === 'then') return undefined;
      if (prop === 'prototype') return {};
      return standIn(path + '.' + String(prop));
    },
    apply() { return standIn(path + '()'); },
    construct() { return standIn('new ' + path); },
  });
  window.spinnaker = { plugins: { sharedLibraries: new Proxy({}, { get: (_t, name) => standIn(String(name)) }) } };
</script></head><body></body></html>`;

async function startDeck(csp?: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', ...(csp ? { 'content-security-policy': csp } : {}) });
    res.end(DECK_PAGE);
  });
  const origin = await listen(server);
  return { origin, close: () => closeServer(server) };
}

/** A deploy.yml well over the size the form checks on the spot, with one error near the end. */
const largeDeployYaml = () => manyTargetsDeployYaml({ targets: 1200, typoAt: 1150, manifest: false });

function expectedErrors(text: string) {
  const errors = validateDeployYaml(text).problems.filter((p) => p.severity === 'error');
  return { cdaas: { yaml: `deploy.yml has ${errors.length === 1 ? '1 error' : `${errors.length} errors`}; first: ${formatProblem(errors[0])}` } };
}

// Page code as text: vitest rewrites import() in functions it compiles, and the page has no vitest.
const importIn = (page: Page, url: string) => page.evaluate(`import(${JSON.stringify(url)}).then((m) => m.plugin.stages.map((s) => s.key))`);

/** Imports index.js from Gate in the page and runs the YAML stage's validateFn there. */
async function validateInPage(page: Page, indexUrl: string, text: string): Promise<unknown> {
  const stage = { type: 'cdaasDeployYaml', refId: '1', cdaas: { source: 'text', yaml: text, bindings: [] } };
  return page.evaluate(`(async () => {
    const m = await import(${JSON.stringify(indexUrl)});
    const stage = m.plugin.stages.find((s) => s.key === 'cdaasDeployYaml');
    try {
      return await stage.validateFn(${JSON.stringify(stage)}, {});
    } catch (e) {
      return { thrown: String(e.message) };
    }
  })()`);
}

let browser: BrowserHandle;
let gate: Served;
let deck: { origin: string; close(): Promise<void> };

beforeAll(async () => {
  expect(existsSync(join(distDir, 'index.js'))).toBe(true); // bundle.test.ts (beside) builds it when stale
  browser = await launchBrowser();
  let deckOrigin = '';
  gate = await startGate(() => deckOrigin);
  deck = await startDeck();
  deckOrigin = deck.origin;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gate?.close();
  await deck?.close();
});

describe('the split Deck module served as Gate serves it', () => {
  it('registers from index.js alone, then loads the checks and the deploy.yml worker relative to index.js', async () => {
    const page = await browser.context.newPage();
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(deck.origin);
    gate.requested.length = 0;
    const indexUrl = `${gate.origin}${PREFIX}index.js`;
    const keys = await importIn(page, indexUrl);
    expect(keys).toEqual(['cdaasDeploy', 'cdaasDeployYaml']);
    // index.js alone: Deck waits for every plugin before it starts, so a static import would be one
    // more request through Gate at each Deck start (regression: a 0.4 KB chunk of duration units
    // it shared with the worker).
    expect(gate.requested).toEqual(['index.js']);

    const text = largeDeployYaml();
    expect(await validateInPage(page, indexUrl, text)).toEqual(expectedErrors(text));
    const chunks = readdirSync(distDir).filter((f) => f.endsWith('.js'));
    expect(gate.requested.every((f) => chunks.includes(f))).toBe(true);
    // The worker: a blob module (Gate is another origin) that imports the worker chunk from Gate.
    expect(gate.requested.some((f) => /^deploy-yaml-worker-[\w-]+\.js$/.test(f))).toBe(true);
    expect(workers.some((u) => u.startsWith('blob:'))).toBe(true);
    await page.close();
  }, 60_000);

  it('checks on the main thread, with the same answer, where a Content Security Policy forbids workers', async () => {
    const strict = await startDeck("worker-src 'none'");
    const page = await browser.context.newPage();
    try {
      const workers: string[] = [];
      page.on('worker', (w) => workers.push(w.url()));
      await page.goto(strict.origin);
      const text = largeDeployYaml();
      // Gate answers this origin too.
      const gateForStrict = await startGate(() => strict.origin);
      try {
        expect(await validateInPage(page, `${gateForStrict.origin}${PREFIX}index.js`, text)).toEqual(expectedErrors(text));
      } finally {
        await gateForStrict.close();
      }
      expect(workers).toEqual([]);
    } finally {
      await page.close();
      await strict.close();
    }
  }, 60_000);

  it('names the chunk Gate does not have, and says to reload Deck', async () => {
    const validators = readdirSync(distDir).find((f) => /^validators-[\w-]+\.js$/.test(f));
    expect(validators).toBeDefined();
    // A Gate of its own: Chromium keeps what the first test loaded (Gate's 30-day cache).
    const other = await startGate(() => deck.origin);
    other.hidden.add(validators as string);
    const page = await browser.context.newPage();
    try {
      await page.goto(deck.origin);
      const answer = await validateInPage(page, `${other.origin}${PREFIX}index.js`, 'version: v1\n');
      expect(answer).toEqual({
        thrown: `The CD-as-a-Service plugin's file ${validators} could not be loaded (Gate may be serving another plugin version); reload Deck.`,
      });
    } finally {
      await page.close();
      await other.close();
    }
  }, 60_000);
});
