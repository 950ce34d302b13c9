/**
 * The esbuild bundle the image runs (`npm run build:bridge` -> build/bridge/main.cjs) starts on
 * plain Node with nothing but its own file, serves, and stops on SIGTERM; a bad config stops it
 * with exit code 2 naming the setting.
 */
import { join } from 'node:path';

import { type Emulator, startEmulator } from '../emulator/index';
import { waitFor } from '../../test/support/waitFor';
import { bridgeEnv, getJson, isolatedBundle, listeningUrls, runBundle } from './harness';
import { startRedis } from './redis';

let emu: Emulator;
let isolated: string;
beforeAll(async () => {
  isolated = isolatedBundle('bridge-bundle-');
  emu = await startEmulator({ stepIntervalMs: 50 });
}, 120_000);
afterAll(async () => emu?.close());

const run = (env: Record<string, string>) => runBundle(join(isolated, 'main.cjs'), env);

describe('bridge bundle', () => {
  it('starts, becomes ready, serves both listeners and stops cleanly on SIGTERM', async () => {
    const p = run(bridgeEnv(emu));
    try {
      const listening = await listeningUrls(p.out);
      await waitFor(async () => ((await getJson(`${listening.readUrl}/readyz`)).status === 200 ? true : undefined), 'readiness');
      expect((await getJson(`${listening.readUrl}/v1/agents`)).body.agents.length).toBeGreaterThan(0);
      expect((await getJson(`${listening.deployUrl}/healthz`)).body).toEqual({ status: 'ok' });
      const metrics = await (await fetch(`${listening.deployUrl}/metrics`)).text();
      expect(metrics).toContain('process_cpu_user_seconds_total');
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.out.join('\n')).not.toContain(emu.clients[0].clientSecret);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('bundles the Redis client: with state.store redis it connects and reports the store ready', async () => {
    const redis = await startRedis();
    const p = run({ ...bridgeEnv(emu), BRIDGE_STATE_STORE: 'redis', BRIDGE_REDIS_URL: redis.url });
    try {
      const listening = await waitFor(async () => p.out.map((l) => JSON.parse(l) as { msg: string; deployUrl?: string; stateStore?: string }).find((l) => l.msg === 'bridge listening'), 'the listening log line');
      expect(listening.stateStore).toBe('redis');
      const ready = await waitFor(async () => {
        const r = await getJson(`${listening.deployUrl}/readyz`);
        return r.status === 200 && r.body.store?.ok ? r : undefined;
      }, 'readiness with Redis');
      expect(ready.body.store).toEqual({ kind: 'redis', ok: true });
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
      await redis.close();
    }
  });

  it('refuses to start on a bad setting, naming it, exit code 2', async () => {
    const p = run({ ...bridgeEnv(emu), BRIDGE_READ_PORT: 'seven' });
    expect(await p.exited).toBe(2);
    const line = JSON.parse(p.out.join('')) as { msg: string; problems: string[] };
    expect(line.msg).toBe('refusing to start');
    expect(line.problems).toEqual(['read.port (env BRIDGE_READ_PORT): expected number, got \"seven\"']);
    expect(p.out.join('\n')).not.toContain(emu.clients[0].clientSecret);
  });
});
