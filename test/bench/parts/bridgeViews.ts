// The read listener's answers for the infrastructure views on the emulator's scale seed (10,000
// replica sets across 50 agents), each beside the direct upstream calls it stands for, in the
// same run and over the same loopback:
// - one agent's replica sets (200) with the traffic join for a running deployment on it; baseline:
//   GET /agents/{agent}/kubernetes/replicasets straight from the emulator;
// - one application's deployments (20 running, started through the deploy listener); baseline:
//   the 20 GET /pipelines/{id} straight from the emulator, 8 at a time as the bridge reads them.
// Uncached (TTL 0: every request goes upstream, so the figure is the listener's own cost on top;
// the join's extra pipeline read is served by the same process, so its cost counts too) and cached
// (TTL 5 s: what a Deck poll costs once one user loaded the view). Bench, bridges and emulator
// share one event loop.
import http from 'node:http';

import { type Emulator, startEmulator } from '../../../bridge/emulator/index';
import { bridgeEnv, canaryDeployment } from '../../../bridge/test/harness';
import { loadConfig, startBridge } from '../../../bridge/src/index';
import type { BenchRow } from '../types';
import { potatoFacts } from '../../support/potatoFacts';
import { pct, round, timeCalls, timeGets, waitReady } from './bridge';

const APP = 'bench-app';
const DEPLOYMENTS = 20;
const N = 300;

const env = (emu: Emulator, ttlMs: number) => bridgeEnv(emu, { BRIDGE_READ_CACHE_TTL_MS: String(ttlMs), LOG_LEVEL: 'error' });

const manifest = (name: string) => potatoFacts({ name, replicas: 4, image: `registry.example.com/web/${name}:2.0.0` }).manifest;

/**
 * Starts one deployment per agent (scale-01..) through a bridge, all of Spinnaker application APP,
 * each waiting for approval. `tag` keeps the executions and CDaaS applications of two bridges apart.
 */
async function startDeployments(deployUrl: string, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < DEPLOYMENTS; i++) {
    const exec = `01JBENCH${tag}${String(i).padStart(12, '0')}`;
    const agent = `scale-${String(i + 1).padStart(2, '0')}`;
    const body = {
      contractVersion: 'v1',
      // One CDaaS application per start: CDaaS rejects a second in-progress deployment of one.
      deployment: canaryDeployment(`${APP}-${tag}-${i}`, { targets: { prod: { account: agent, namespace: 'web', strategy: 'canary' } } }),
      files: { 'manifests/api.yml': [manifest('web-service-01')] },
      artifacts: [],
      context: { application: APP, pipelineName: 'Bench', executionId: exec, stageRefId: '1', user: 'bench@example.com' },
    };
    const res = await fetch(`${deployUrl}/v1/executions/${exec}/stages/1/deployment`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await res.json()) as { pipelineId?: string; error?: string };
    if (res.status !== 202 || !answer.pipelineId) throw new Error(`start ${i}: HTTP ${res.status} ${answer.error ?? ''}`);
    ids.push(answer.pipelineId);
  }
  return ids;
}

async function emulatorToken(emu: Emulator): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: emu.clients[0]!.clientId, client_secret: emu.clients[0]!.clientSecret, audience: emu.audience });
  const res = await fetch(emu.tokenUrl, { method: 'POST', body: form });
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function run(): Promise<BenchRow[]> {
  // Steps take a minute: the deployments stay at their first approval pause for the whole run.
  const emu = await startEmulator({ seed: 'scale', stepIntervalMs: 60_000 });
  const uncached = await startBridge(loadConfig(env(emu, 0), undefined), { logSink: () => undefined });
  const cached = await startBridge(loadConfig(env(emu, 5000), undefined), { logSink: () => undefined });
  const rows: BenchRow[] = [];
  try {
    await waitReady(uncached.readUrl);
    await waitReady(cached.readUrl);
    // Each bridge lists what it started itself (its own ledger).
    const ids = await startDeployments(uncached.deployUrl, 'U');
    await startDeployments(cached.deployUrl, 'C');

    const token = await emulatorToken(emu);
    const auth = { Authorization: `Bearer ${token}` };
    const rsPath = '/agents/scale-01/kubernetes/replicasets';
    const directRs = await timeGets(emu.apiUrl + rsPath, N, auth);
    const viaRs = await timeGets(`${uncached.readUrl}/v1/clusters/scale-01/replicasets`, N);
    const cachedRs = await timeGets(`${cached.readUrl}/v1/clusters/scale-01/replicasets`, N);
    // An agent nothing of this bridge runs on: the listener's cost without the traffic join.
    const directPlain = await timeGets(`${emu.apiUrl}/agents/scale-40/kubernetes/replicasets`, N, auth);
    const viaPlain = await timeGets(`${uncached.readUrl}/v1/clusters/scale-40/replicasets`, N);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const getPipeline = (id: string) =>
      new Promise<void>((resolve, reject) => {
        http.get(`${emu.apiUrl}/pipelines/${id}`, { agent, headers: auth }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`pipeline ${id}: HTTP ${res.statusCode}`))));
        }).on('error', reject);
      });
    const directApp = await timeCalls(() => Promise.all(ids.map(getPipeline)).then(() => undefined), N);
    agent.destroy();
    const viaApp = await timeGets(`${uncached.readUrl}/v1/applications/${APP}/deployments`, N);
    const cachedApp = await timeGets(`${cached.readUrl}/v1/applications/${APP}/deployments`, N);

    const d = (xs: number[]) => round(pct(xs, 50));
    rows.push(
      { name: 'replica sets of one scale-seed agent (200, traffic join), added latency p50, uncached', value: round(pct(viaRs, 50) - pct(directRs, 50)), unit: 'ms', baseline: { name: 'direct upstream replicasets p50', value: d(directRs) } },
      { name: 'replica sets of one scale-seed agent, added latency p95, uncached', value: round(pct(viaRs, 95) - pct(directRs, 95)), unit: 'ms', baseline: { name: 'direct upstream replicasets p95', value: round(pct(directRs, 95)) } },
      { name: 'replica sets of an agent with no running deployment (200, no join), added latency p50, uncached', value: round(pct(viaPlain, 50) - pct(directPlain, 50)), unit: 'ms', baseline: { name: 'direct upstream replicasets p50', value: d(directPlain) } },
      { name: 'replica sets of one scale-seed agent, latency p50, cached (TTL 5 s)', value: d(cachedRs), unit: 'ms', baseline: { name: 'direct upstream replicasets p50', value: d(directRs) } },
      { name: `application deployments (${DEPLOYMENTS} running), added latency p50, uncached`, value: round(pct(viaApp, 50) - pct(directApp, 50)), unit: 'ms', baseline: { name: `direct: ${DEPLOYMENTS} pipeline reads, 8 at a time, p50`, value: d(directApp) } },
      { name: `application deployments (${DEPLOYMENTS} running), added latency p95, uncached`, value: round(pct(viaApp, 95) - pct(directApp, 95)), unit: 'ms', baseline: { name: `direct: ${DEPLOYMENTS} pipeline reads p95`, value: round(pct(directApp, 95)) } },
      { name: `application deployments (${DEPLOYMENTS} running), latency p50, cached (TTL 5 s)`, value: d(cachedApp), unit: 'ms', baseline: { name: `direct: ${DEPLOYMENTS} pipeline reads p50`, value: d(directApp) } },
    );
  } finally {
    await uncached.close();
    await cached.close();
    await emu.close();
  }
  return rows;
}
