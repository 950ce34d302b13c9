/**
 * Several bridges on one config sharing one Redis, against the emulator over loopback, as a
 * Deployment with N replicas and no session affinity runs them: Orca's start, its retries and the
 * cancel may each reach a different replica, or a replica restarted since.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';

import { deployRoutes } from '@cdaas/contract/deploy';
import { type Emulator, startEmulator } from '../emulator/index';
import { type Harness, PAYMENTS_PLACES, bridgeEnv, deployRequest, getJson, postJson, startHarness } from './harness';
import { waitFor } from '../../test/support/waitFor';
import { type TestRedis, startRedis } from './redis';

let redis: TestRedis;
let emu: Emulator;
beforeAll(async () => {
  [redis, emu] = await Promise.all([startRedis(), startEmulator({ stepIntervalMs: 60 })]);
});
afterAll(async () => {
  await Promise.all([redis?.close(), emu?.close()]);
});

const starts = () => emu.stats.requestsByPath.get('/pipelines/kubernetes') ?? 0;
const redisEnv = (url: string, prefix: string) => ({ BRIDGE_STATE_STORE: 'redis', BRIDGE_REDIS_URL: url, BRIDGE_REDIS_KEY_PREFIX: prefix });
const newExec = () => `01J${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`;
// Each stage its own application: the emulator refuses a second running pipeline per application.
const request = (exec: string, ref: string) => {
  const r = deployRequest(exec, ref);
  const app = `app-${exec.slice(-8).toLowerCase()}`;
  return { ...r, deployment: { ...r.deployment, application: app }, context: { ...r.context, application: app } };
};

async function replicas(n: number, url = redis.url, prefix = `r-${randomUUID()}:`): Promise<Harness[]> {
  return Promise.all(Array.from({ length: n }, () => startHarness({}, redisEnv(url, prefix), {}, emu)));
}
async function ready(deployUrl: string) {
  await waitFor(async () => ((await getJson(`${deployUrl}/readyz`)).body?.store?.ok === true ? true : undefined), 'readiness with the store up');
}

/** A bridge as its own process (`node --import tsx bridge/src/main.ts`), so it can be killed with -9. */
function spawnBridge(env: Record<string, string>): { child: ChildProcess; deployUrl: Promise<string>; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bridge/src/main.ts'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const deployUrl = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('"bridge listening"'));
      if (line) resolve((JSON.parse(line) as { deployUrl: string }).deployUrl);
    });
    child.once('exit', (code) => reject(new Error(`bridge exited (${code}): ${out.slice(-1000)}`)));
  });
  child.stderr?.resume();
  const exited = new Promise((r) => child.once('exit', r));
  return { child, deployUrl, exited };
}

describe.each([2, 3])('%i bridge replicas sharing one Redis', (n) => {
  it('a start on one replica and its retries on the others make exactly one upstream start; status and cancel through any replica', async () => {
    const bridges = await replicas(n);
    try {
      await Promise.all(bridges.map((b) => ready(b.bridge.deployUrl)));
      const exec = newExec();
      const before = starts();
      const path = deployRoutes.start.path({ executionId: exec, stageRefId: '1' });
      // Orca's first call, then its retries on every replica: some at once, some later.
      const first = postJson(bridges[0].bridge.deployUrl + path, request(exec, '1'));
      const concurrent = bridges.map((b) => postJson(b.bridge.deployUrl + path, request(exec, '1')));
      const answers = await Promise.all([first, ...concurrent]);
      for (const b of bridges) answers.push(await postJson(b.bridge.deployUrl + path, request(exec, '1')));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
      expect(new Set(answers.map((a) => a.body.pipelineId)).size).toBe(1);
      expect(answers.filter((a) => a.body.reused === false)).toHaveLength(1);
      expect(starts() - before).toBe(1);
      const pipelineId = answers[0].body.pipelineId as string;
      for (const b of bridges) {
        const s = await getJson(b.bridge.deployUrl + deployRoutes.status.path({ pipelineId: pipelineId }));
        expect([s.status, s.body.pipelineId]).toEqual([200, pipelineId]);
      }
      const cancel = await postJson(bridges[n - 1].bridge.deployUrl + deployRoutes.cancel.path({ executionId: exec, stageRefId: '1' }), {});
      expect(cancel.status).toBe(200);
      expect(cancel.body).toMatchObject({ pipelineId, cancelled: true });
      const after = await getJson(bridges[0].bridge.deployUrl + deployRoutes.status.path({ pipelineId: pipelineId }));
      expect(after.body.status).toBe('CANCELLED');
      // The read listener's ledger is the same on every replica.
      const ledgers = await Promise.all(bridges.map((b) => b.bridge.store.listByApplication(request(exec, '1').context.application)));
      for (const l of ledgers) expect(l.map((e) => [e.pipelineId, e.lastStatus])).toEqual([[pipelineId, 'CANCELLED']]);
      expect(ledgers[0][0]).toMatchObject({
        executionId: exec,
        stageRefId: '1',
        pipelineName: 'Deploy payments',
        user: 'alice@example.com',
        ...PAYMENTS_PLACES,
      });
    } finally {
      await Promise.all(bridges.map((b) => b.close()));
    }
  });
});

describe('a replica killed with -9', () => {
  it('restarted, the retried start reuses its deployment and a cancel stops it', async () => {
    const prefix = `k-${randomUUID()}:`;
    const env = bridgeEnv(emu, { ...redisEnv(redis.url, prefix), LOG_LEVEL: 'info' });
    const exec = newExec();
    const path = deployRoutes.start.path({ executionId: exec, stageRefId: '1' });
    const before = starts();
    const a = spawnBridge(env);
    let restarted: ReturnType<typeof spawnBridge> | undefined;
    try {
      const aUrl = await a.deployUrl;
      await ready(aUrl);
      const started = await postJson(aUrl + path, request(exec, '1'));
      expect(started.status).toBe(202);
      a.child.kill('SIGKILL');
      await a.exited;
      restarted = spawnBridge(env);
      const bUrl = await restarted.deployUrl;
      await ready(bUrl);
      const retried = await postJson(bUrl + path, request(exec, '1'));
      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({ pipelineId: started.body.pipelineId, reused: true });
      expect(starts() - before).toBe(1);
      const cancel = await postJson(bUrl + deployRoutes.cancel.path({ executionId: exec, stageRefId: '1' }), {});
      expect(cancel.body).toMatchObject({ pipelineId: started.body.pipelineId, cancelled: true });
      expect((await getJson(bUrl + deployRoutes.status.path({ pipelineId: started.body.pipelineId }))).body.status).toBe('CANCELLED');
    } finally {
      a.child.kill('SIGKILL');
      restarted?.child.kill('SIGKILL');
      await Promise.all([a.exited, restarted?.exited]);
    }
  }, 60_000);
});

describe('Redis stopped and restarted mid-deployment', () => {
  it('starts answer 503 (never a blind start), status keeps working, /readyz reports the store, and it recovers without a restart', async () => {
    const own = await startRedis();
    const [a, b] = await replicas(2, own.url);
    try {
      await Promise.all([ready(a.bridge.deployUrl), ready(b.bridge.deployUrl)]);
      const exec = newExec();
      const path = deployRoutes.start.path({ executionId: exec, stageRefId: '1' });
      const before = starts();
      const started = await postJson(a.bridge.deployUrl + path, request(exec, '1'));
      expect(started.status).toBe(202);
      const pipelineId = started.body.pipelineId as string;

      await own.stop();
      await waitFor(async () => ((await getJson(`${b.bridge.deployUrl}/readyz`)).body?.store?.ok === false ? true : undefined), 'the store reported down');
      const readyz = await getJson(`${b.bridge.readUrl}/readyz`);
      // Still ready (status polls and reads need no state), with the store's trouble named.
      expect(readyz.status).toBe(200);
      expect(readyz.body.store).toMatchObject({ kind: 'redis', ok: false, reason: expect.stringMatching(/^Redis /) });
      const retry = await postJson(b.bridge.deployUrl + path, request(exec, '1'));
      expect(retry.status).toBe(503);
      expect(retry.body.error).toMatch(/state store \(Redis\) is unreachable/);
      const status = await getJson(b.bridge.deployUrl + deployRoutes.status.path({ pipelineId: pipelineId }));
      expect([status.status, status.body.pipelineId]).toEqual([200, pipelineId]);
      expect((await postJson(b.bridge.deployUrl + deployRoutes.cancel.path({ executionId: exec, stageRefId: '1' }), {})).status).toBe(503);
      expect(starts() - before).toBe(1);

      await own.start();
      await Promise.all([ready(a.bridge.deployUrl), ready(b.bridge.deployUrl)]);
      const again = await postJson(b.bridge.deployUrl + path, request(exec, '1'));
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ pipelineId, reused: true });
      const cancel = await postJson(a.bridge.deployUrl + deployRoutes.cancel.path({ executionId: exec, stageRefId: '1' }), {});
      expect(cancel.body).toMatchObject({ pipelineId, cancelled: true });
      expect(starts() - before).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await own.close();
    }
  }, 60_000);
});
