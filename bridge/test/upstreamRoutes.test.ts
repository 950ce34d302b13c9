/**
 * upstream.ts is the one file to change when a CDaaS path moves: the bridge's client and the
 * emulator's router are both built from its route table. Here every route is renamed (what an edit
 * of upstream.ts would do) and handed to both sides, which must still talk, over real loopback.
 */
import axios from 'axios';

import { route } from '@cdaas/contract/routes';
import { type Emulator, startEmulator } from '../emulator/index';
import { ClientCredentialsTokenSource } from '../src/auth/tokenSource';
import { HttpCdaasClient, UpstreamError } from '../src/cdaas/client';
import { type UpstreamRoutes, upstreamRoutes } from '../src/cdaas/upstream';
import { canaryDeployment, PAYMENTS } from './harness';

/** Every pattern moved under /renamed-v9, as a one-line edit per route of upstream.ts would. */
const renamed = Object.fromEntries(
  Object.entries(upstreamRoutes).map(([name, r]) => [name, route(r.method, `/renamed-v9${r.pattern}`)]),
) as unknown as UpstreamRoutes;

const retry = { retries: 0, baseMs: 1, maxDelayMs: 10 };

function clientFor(emu: Emulator, routes?: UpstreamRoutes): HttpCdaasClient {
  const c = emu.clients[0]!;
  const tokens = new ClientCredentialsTokenSource(axios.create(), {
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    audience: emu.audience,
    tokenUrl: emu.tokenUrl,
    retry,
  });
  return new HttpCdaasClient(axios.create({ baseURL: emu.apiUrl }), tokens, { retry, timeoutMs: 3000, routes });
}

describe('a renamed upstream route table', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ stepIntervalMs: 20, routes: renamed });
  });
  afterAll(() => emu.close());

  it('is followed by the bridge client and the emulator alike, for every route', async () => {
    const client = clientFor(emu, renamed);
    expect((await client.connectedAgents()).map((a) => a.agentIdentifier)).toContain('staging');
    const started = await client.startPipeline({
      ...canaryDeployment(),
      application: 'payments',
      files: PAYMENTS.files,
      context: { executionId: 'e1' },
    });
    expect((await client.pipeline(started.pipelineId)).id).toBe(started.pipelineId);
    await client.cancelPipeline(started.pipelineId);
    expect((await client.pipeline(started.pipelineId)).status).toBe('CANCELLED');
    expect((await client.cluster('staging')).kubernetesVersion).toBe('1.27.3');
    expect((await client.namespaces('staging')).items.map((n) => n.name)).toContain('payments');
    expect((await client.deployments('staging')).items.map((d) => d.name)).toContain('nginx');
    expect(Array.isArray((await client.replicaSets('staging')).items)).toBe(true);
    expect((await client.services('staging', 'potato-facts')).items.map((s) => s.name)).toContain('potato-facts-preview');

    // Every API request went to a renamed path (the token request is the auth server's, not the table's).
    const paths = [...emu.stats.requestsByPath.keys()].filter((p) => p !== new URL(emu.tokenUrl).pathname);
    expect(paths.length).toBeGreaterThanOrEqual(6);
    expect(paths.filter((p) => !p.startsWith('/renamed-v9/'))).toEqual([]);
  });

  it('no longer serves the old paths, which a client on the old table finds missing', async () => {
    const stale = clientFor(emu);
    const err = await stale.connectedAgents().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).status).toBe(404);
  });
});
