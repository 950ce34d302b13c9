// The requirements panel in the real Deck UI: rendered with Deck's own React and @spinnaker/core
// (the shared libraries a plugin gets), it reads GET /v1/preflight through the Gate stand-in's
// `cdaas` proxy from the sandbox bridge, which checks the emulator and loopback endpoints only.
import { build } from 'esbuild';

import { refusedPort } from '../../bridge/test/preflightStandIns';
import { screenshot } from './browser';
import { type E2E, E2E_TEST_TIMEOUT_MS, useE2E, withScreenshot } from './harness';

let e2e: E2E;
let closed = 0;
const nowhere = () => `http://127.0.0.1:${closed}`;

// Preflight's endpoints point at a refused loopback port: nothing reaches a real host.
beforeAll(async () => {
  closed = await refusedPort();
});
useE2E((started) => (e2e = started), {
  bridgeEnv: {
    get CDAAS_AGENT_HUB_URL() {
      return nowhere();
    },
    get PREFLIGHT_GITHUB_URL() {
      return nowhere();
    },
    get PREFLIGHT_PLUGIN_REPOSITORY_URL() {
      return `${nowhere()}/repositories.json`;
    },
  },
});

/** The panel as one script whose React, ReactDOM and core are Deck's, never second copies. */
async function panelScript(): Promise<string> {
  // The same mapping rollup applies to the plugin bundle (a JS module without typings).
  const { sharedLibraryGlobalName } = (await import('../../deck-plugin/build/sharedLibraries.js' as string)) as { sharedLibraryGlobalName(name: string): string };
  const shared = new Set(['react', 'react-dom', '@spinnaker/core']);
  const out = await build({
    entryPoints: ['test/e2e/fixtures/mountPreflight.tsx'],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__cdaasPreflight',
    platform: 'browser',
    jsx: 'transform',
    logLevel: 'silent',
    plugins: [
      {
        name: 'deck-shared-libraries',
        setup(b) {
          b.onResolve({ filter: /^(react|react-dom|@spinnaker\/core)$/ }, (args) => (shared.has(args.path) ? { path: args.path, namespace: 'deck-shared' } : undefined));
          b.onLoad({ filter: /.*/, namespace: 'deck-shared' }, (args) => ({ contents: `module.exports = ${sharedLibraryGlobalName(args.path)};`, loader: 'js' }));
        },
      },
    ],
  });
  return out.outputFiles[0]!.text;
}

test(
  'shows each requirement with its state and the fix for the unmet ones',
  async () => {
    const script = await panelScript();
    const w = await e2e.page();
    await withScreenshot(w, 'preflight-panel', async (page) => {
      await page.goto(e2e.sandbox.urls.deck);
      // Deck exposes its shared libraries when it loads plugins.
      await page.waitForFunction(() => Boolean((window as { spinnaker?: { plugins?: { sharedLibraries?: Record<string, unknown> } } }).spinnaker?.plugins?.sharedLibraries?._spinnaker_core), undefined, { timeout: 30_000 });
      await page.addScriptTag({ content: script });
      await page.evaluate(() => {
        const el = document.createElement('div');
        el.id = 'cdaas-preflight';
        document.body.prepend(el);
        (window as unknown as { __cdaasPreflight: { mount(e: HTMLElement): void } }).__cdaasPreflight.mount(el);
      });
      const panel = page.getByRole('region', { name: 'CD-as-a-Service requirements' });
      const agents = panel.getByRole('rowgroup', { name: 'Agents and clusters' });
      const legacy = agents.getByRole('row').filter({ hasText: 'Kubernetes 1.15.12 is older than 1.16' });
      await legacy.waitFor({ timeout: 20_000 });
      expect(await legacy.getByText('Unmet').count()).toBe(1);
      expect(await legacy.innerText()).toContain('Fix: upgrade cluster legacy-onprem to Kubernetes 1.16 or later');
      const hub = panel.getByRole('rowgroup', { name: 'Network from the bridge' }).getByRole('row').filter({ hasText: 'Agent Hub' }).filter({ hasText: 'ECONNREFUSED' });
      expect(await hub.innerText()).toContain(`Fix: open egress from the bridge pod to 127.0.0.1:${closed}`);
      const credentials = await panel.getByRole('rowgroup', { name: 'Credentials' }).innerText();
      expect(credentials).toContain('token issued to client cdaas-emulator-sandbox');
      await screenshot(page, 'preflight-panel');
      await w.settled();
    });
    expect(w.problems).toEqual([]);
    // The answer that reached the browser holds no secret.
    const answer = w.responses.find((r) => r.url.endsWith('/proxies/cdaas/v1/preflight'));
    expect(answer?.status).toBe(200);
    expect(answer?.body).not.toContain('emulator-only-secret');
  },
  E2E_TEST_TIMEOUT_MS,
);
