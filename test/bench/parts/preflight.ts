// cdaas-preflight over loopback stand-ins (the emulator for token and agents, TLS servers for the
// endpoints, a small HTTP server for the plugin repository), one endpoint silent so that its TLS
// step runs into the timeout:
// - the whole run, groups and endpoints concurrent (as the CLI runs it); baseline: the same
//   endpoints and groups one after another in the same process, which is what "each check
//   bounded, run concurrently" saves;
// - the slowest single endpoint or group, which the concurrent run cannot beat.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { PreflightGroup } from '@cdaas/contract/preflight';
import { PREFLIGHT_GROUPS } from '@cdaas/contract/preflight';
import { startEmulator } from '../../../bridge/emulator/index';
import { loadConfig } from '../../../bridge/src/config/config';
import { checkEndpoint } from '../../../bridge/src/preflight/network';
import { proxySettings } from '../../../bridge/src/preflight/proxy';
import { endpointsOf, runPreflight } from '../../../bridge/src/preflight/run';
import { bridgeEnv } from '../../../bridge/test/harness';
import { makeCa, startHttp1Server, startHttp2Server, startSilentServer } from '../../../bridge/test/preflightStandIns';
import { sha512Hex } from '../../../plugin-manifest/core/bundle';
import type { BenchRow } from '../types';

const TIMEOUT_MS = 2_000;
const PLUGIN_ID = 'Armory.CDaaSSpinnaker';

/** repositories.json, plugins.json and a bundle-sized asset (plugin-manifest's own stand-in needs vitest). */
async function pluginRepository(): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = randomBytes(300 * 1024);
  const files = new Map<string, Buffer | string>();
  const server = http.createServer((req, res) => {
    const body = files.get(req.url ?? '');
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  files.set('/bundle.zip', bundle);
  files.set('/plugins.json', JSON.stringify([{ id: PLUGIN_ID, releases: [{ version: '1.2.0', date: '2026-11-24T21:00:00Z', requires: 'deck>=0.0.0', sha512sum: sha512Hex(bundle), url: `${origin}/bundle.zip` }] }]));
  files.set('/repositories.json', JSON.stringify([{ id: 'bench', url: `${origin}/repositories.json` }]));
  return { url: `${origin}/repositories.json`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export async function run(): Promise<BenchRow[]> {
  const ca = makeCa();
  const pair = ca.issue(['localhost']);
  const [emu, github, hub, silent, repo] = await Promise.all([startEmulator({}), startHttp1Server(pair), startHttp2Server(pair), startSilentServer(), pluginRepository()]);
  try {
    const config = loadConfig(
      bridgeEnv(emu, {
        CDAAS_AGENT_HUB_URL: hub.url,
        PREFLIGHT_GITHUB_URL: github.url,
        PREFLIGHT_PLUGIN_REPOSITORY_URL: repo.url,
        PREFLIGHT_PLUGIN_ID: PLUGIN_ID,
        PREFLIGHT_TIMEOUT_MS: String(TIMEOUT_MS),
      }),
      undefined,
    );
    // Two endpoints that never answer TLS (GitHub's and the Agent Hub's), for the timeouts' cost.
    const hung = { ...config, preflight: { ...config.preflight, githubUrl: silent.url, agentHubUrl: silent.url.replace('localhost', '127.0.0.1') } };
    const opts = { env: {}, ca: [ca.ca], pluginInfo: null };
    await runPreflight({ config, ...opts }); // warm-up: module loading and first connections

    const t0 = performance.now();
    const all = await runPreflight({ config: hung, ...opts });
    const concurrent = performance.now() - t0;

    // Baseline: every endpoint and every other group one after another.
    const perGroup: number[] = [];
    const proxy = proxySettings({});
    for (const e of endpointsOf(hung, repo.url)) {
      const t = performance.now();
      await checkEndpoint(e, { timeoutMs: TIMEOUT_MS, proxy, ca: opts.ca });
      perGroup.push(performance.now() - t);
    }
    for (const g of PREFLIGHT_GROUPS.filter((g) => g !== 'network')) {
      const t = performance.now();
      await runPreflight({ config: hung, ...opts, only: [g as PreflightGroup] });
      perGroup.push(performance.now() - t);
    }
    const sequential = perGroup.reduce((a, b) => a + b, 0);
    return [
      { name: `whole run, ${all.checks.length} checks, two endpoints silent (${TIMEOUT_MS} ms timeout)`, value: Math.round(concurrent), unit: 'ms', baseline: { name: 'endpoints and groups one after another', value: Math.round(sequential) }, target: '< 10000 ms' },
      { name: 'slowest single endpoint or group', value: Math.round(Math.max(...perGroup)), unit: 'ms' },
    ];
  } finally {
    await Promise.all([emu.close(), github.close(), hub.close(), silent.close(), repo.close()]);
    ca.remove();
  }
}
