/**
 * One suite, two stores: the in-memory store and the Redis store (a real redis-server on a free
 * loopback port) must behave the same, and the coordinator on top of either must start exactly
 * once per stage however many "replicas" (coordinators sharing the store) see the start.
 */
import { randomUUID } from 'node:crypto';

import { type TestRedis, startRedis } from '../../test/redis';
import { PAYMENTS_PLACES } from '../../test/payments';
import { AnswerLostError, DeploymentCoordinator, StartInProgressError, UnknownOutcomeError } from './coordinator';
import { MemoryStateStore } from './memoryStore';
import { RedisStateStore } from './redisStore';
import { type DeploymentRecord, type StateStore, StoreUnavailableError } from './types';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis?.close());

const open: StateStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const stores: [string, (opts?: { entryTtlMs?: number }) => Promise<StateStore>][] = [
  ['memory', async (opts) => new MemoryStateStore(opts)],
  [
    'redis',
    async (opts) => {
      const s = new RedisStateStore({ url: redis.url, keyPrefix: `t-${randomUUID()}:`, ...opts });
      open.push(s);
      await vi.waitFor(() => expect(s.health().ok).toBe(true));
      return s;
    },
  ],
];

function record(over: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    pipelineId: 'p-1',
    executionId: '01JEXEC',
    stageRefId: '3',
    application: 'payments',
    pipelineName: 'Deploy payments',
    user: 'alice@example.com',
    ...PAYMENTS_PLACES,
    startedAt: 1_000,
    updatedAt: 1_000,
    warnings: [],
    ...over,
  };
}

const started = (pipelineId: string) => ({ pipelineId, warnings: [], targets: [], resources: [] });
const deferred = <T,>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
const facts = (executionId = '01JEXEC', stageRefId = '3') => ({ executionId, stageRefId, application: 'payments' });
const coordinator = (store: StateStore, over: Partial<ConstructorParameters<typeof DeploymentCoordinator>[1]> = {}) =>
  new DeploymentCoordinator(store, { claimTtlMs: 10_000, waitMs: 10_000, unknownHoldMs: 60_000, ...over });

describe.each(stores)('%s state store', (kind, make) => {
  it('gives a claim to one caller at a time; only its holder releases it', async () => {
    const s = await make();
    const claims = await Promise.all(Array.from({ length: 20 }, () => s.claim('e', '1', 10_000)));
    const won = claims.filter((c): c is string => !!c);
    expect(won).toHaveLength(1);
    expect(await s.claimed('e', '1')).toBe(true);
    await s.release('e', '1', 'not-the-token');
    expect(await s.claim('e', '1', 10_000)).toBeUndefined();
    await s.release('e', '1', won[0]);
    expect(await s.claimed('e', '1')).toBe(false);
    expect(await s.claim('e', '1', 10_000)).toEqual(expect.any(String));
  });

  it('lets a claim whose holder died expire', async () => {
    const s = await make();
    expect(await s.claim('e', '2', 150)).toEqual(expect.any(String));
    expect(await s.claim('e', '2', 150)).toBeUndefined();
    await vi.waitFor(async () => expect(await s.claim('e', '2', 150)).toEqual(expect.any(String)), { timeout: 3000, interval: 50 });
  });

  it('inspects in one step: the lost-answer marker, else the record, else a claim taken with seeing none', async () => {
    const s = await make();
    const first = await s.inspect('i', '1', 10_000);
    expect(first).toEqual({ claim: expect.any(String) });
    // Held by the first caller: neither a record nor a claim.
    expect(await s.inspect('i', '1', 10_000)).toEqual({});
    await s.put(record({ executionId: 'i', stageRefId: '1' }), first.claim);
    expect(await s.claimed('i', '1')).toBe(false);
    expect(await s.inspect('i', '1', 10_000)).toEqual({ record: record({ executionId: 'i', stageRefId: '1' }) });
    const outcome = { executionId: 'i', stageRefId: '1', application: 'payments', at: 1, until: 2, reason: 'socket hang up' };
    await s.putUnknown(outcome, 10_000);
    expect(await s.inspect('i', '1', 10_000)).toEqual({ unknown: outcome });
  });

  it('keeps a record per stage, updates its status by pipeline id, and ignores a replaced one', async () => {
    const s = await make();
    await s.put(record());
    expect(await s.get('01JEXEC', '3')).toEqual(record());
    await s.recordStatus('p-1', 'RUNNING', 2_000);
    expect(await s.get('01JEXEC', '3')).toMatchObject({ lastStatus: 'RUNNING', updatedAt: 2_000 });
    await s.put(record({ pipelineId: 'p-2', startedAt: 3_000, updatedAt: 3_000 }));
    await s.recordStatus('p-1', 'SUCCEEDED', 4_000);
    await s.recordStatus('p-unknown', 'SUCCEEDED', 4_000);
    const now = await s.get('01JEXEC', '3');
    expect(now).toMatchObject({ pipelineId: 'p-2', updatedAt: 3_000 });
    expect(now?.lastStatus).toBeUndefined();
  });

  it('lists ledger entries per application (newest first) and overall', async () => {
    const s = await make();
    const t = Date.now();
    await s.put(record({ executionId: 'e1', pipelineId: 'a1', startedAt: t - 2000 }));
    await s.put(record({ executionId: 'e2', pipelineId: 'a2', startedAt: t - 1000 }));
    await s.put(record({ executionId: 'e3', pipelineId: 'b1', application: 'checkout', startedAt: t }));
    await s.recordStatus('a1', 'SUCCEEDED', t);
    const payments = await s.listByApplication('payments');
    expect(payments.map((e) => [e.pipelineId, e.lastStatus])).toEqual([['a2', undefined], ['a1', 'SUCCEEDED']]);
    expect(payments[0]).not.toHaveProperty('warnings');
    expect(payments[0]).toMatchObject({ targets: record().targets, resources: record().resources, user: 'alice@example.com', pipelineName: 'Deploy payments' });
    expect((await s.listAll()).map((e) => e.pipelineId)).toEqual(['b1', 'a2', 'a1']);
    expect(await s.listByApplication('nobody')).toEqual([]);
  });

  it('forgets entries after their time to live', async () => {
    const s = await make({ entryTtlMs: 200 });
    await s.put(record({ startedAt: Date.now() }));
    expect(await s.get('01JEXEC', '3')).toBeDefined();
    await vi.waitFor(async () => expect(await s.get('01JEXEC', '3')).toBeUndefined(), { timeout: 3000, interval: 50 });
    expect(await s.listAll()).toEqual([]);
  });

  it('appends audit entries per pipeline and lists them in order', async () => {
    const s = await make();
    await s.appendAudit('p-1', { step: 'canary-25', by: 'alice', ok: true });
    await s.appendAudit('p-1', { step: 'canary-25', by: 'bob', ok: false, errors: [] });
    await s.appendAudit('p-2', { other: 1 });
    expect(await s.listAudit('p-1')).toEqual([{ step: 'canary-25', by: 'alice', ok: true }, { step: 'canary-25', by: 'bob', ok: false, errors: [] }]);
    expect(await s.listAudit('p-none')).toEqual([]);
  });

  describe(`coordinator on the ${kind} store`, () => {
    it('three replicas, 300 concurrent duplicate starts: one upstream start, all get its pipeline', async () => {
      const s = await make();
      const replicas = [coordinator(s), coordinator(s), coordinator(s)];
      const d = deferred<ReturnType<typeof started>>();
      let starts = 0;
      const all = Promise.all(Array.from({ length: 300 }, (_, i) => replicas[i % 3].start(facts(), () => (starts++, d.promise), async () => true)));
      await new Promise((r) => setTimeout(r, 50));
      d.resolve(started('p1'));
      const answers = await all;
      expect(starts).toBe(1);
      expect(new Set(answers.map((a) => a.pipelineId))).toEqual(new Set(['p1']));
      expect(answers.filter((a) => !a.reused)).toHaveLength(1);
      expect(await s.get('01JEXEC', '3')).toMatchObject({ pipelineId: 'p1', application: 'payments' });
    });

    it('reuses a running deployment from any replica, starts again once it finished', async () => {
      const s = await make();
      const [a, b] = [coordinator(s), coordinator(s)];
      let n = 0;
      const doStart = async () => started(`p${++n}`);
      await a.start(facts(), doStart, async () => true);
      expect(await b.start(facts(), doStart, async () => true)).toMatchObject({ pipelineId: 'p1', reused: true });
      expect(await b.start(facts(), doStart, async () => false)).toMatchObject({ pipelineId: 'p2', reused: false });
      // A status read that saw the end spares the check.
      await s.recordStatus('p2', 'SUCCEEDED', Date.now());
      expect(await a.start(facts(), doStart, async () => { throw new Error('not asked'); })).toMatchObject({ pipelineId: 'p3', reused: false });
    });

    it('reuses the earlier deployment when it cannot tell whether it still runs', async () => {
      const s = await make();
      await coordinator(s).start(facts(), async () => started('p1'), async () => true);
      const again = await coordinator(s).start(facts(), async () => started('p2'), () => Promise.reject(new Error('API down')));
      expect(again).toMatchObject({ pipelineId: 'p1', reused: true });
    });

    it('releases the claim of a failed start, so the retry starts afresh', async () => {
      const s = await make();
      await expect(coordinator(s).start(facts(), () => Promise.reject(new Error('503')), async () => true)).rejects.toThrow('503');
      expect(await s.claimed('01JEXEC', '3')).toBe(false);
      expect(await coordinator(s).start(facts(), async () => started('p2'), async () => true)).toMatchObject({ pipelineId: 'p2', reused: false });
    });

    it('a duplicate that waits longer than waitMs for another replica gets StartInProgressError (503), not a second start', async () => {
      const s = await make();
      const d = deferred<ReturnType<typeof started>>();
      const first = coordinator(s).start(facts(), () => d.promise, async () => true);
      await vi.waitFor(async () => expect(await s.claimed('01JEXEC', '3')).toBe(true));
      let second = 0;
      await expect(coordinator(s, { waitMs: 200 }).start(facts(), async () => (second++, started('dup')), async () => true)).rejects.toBeInstanceOf(StartInProgressError);
      expect(second).toBe(0);
      d.resolve(started('p1'));
      await first;
    });

    it('a lost start answer holds the stage: every later start gets the same UnknownOutcomeError', async () => {
      const s = await make();
      const lost = coordinator(s).start(facts(), () => Promise.reject(new AnswerLostError('socket hang up', undefined)), async () => true);
      await expect(lost).rejects.toBeInstanceOf(UnknownOutcomeError);
      let starts = 0;
      const retry = await coordinator(s).start(facts(), async () => (starts++, started('dup')), async () => true).catch((e: unknown) => e);
      expect(retry).toBeInstanceOf(UnknownOutcomeError);
      expect((retry as UnknownOutcomeError).outcome).toMatchObject({ executionId: '01JEXEC', stageRefId: '3', application: 'payments', reason: 'socket hang up' });
      expect(starts).toBe(0);
    });

    it('cancel finds the pipeline through any replica, waiting for a start in flight', async () => {
      const s = await make();
      const d = deferred<ReturnType<typeof started>>();
      const first = coordinator(s).start(facts(), () => d.promise, async () => true);
      await vi.waitFor(async () => expect(await s.claimed('01JEXEC', '3')).toBe(true));
      const cancel = coordinator(s).settled('01JEXEC', '3');
      setTimeout(() => d.resolve(started('p1')), 100);
      expect(await cancel).toBe('p1');
      await first;
      expect(await coordinator(s).settled('other', '1')).toBeUndefined();
    });
  });
});

describe('redis state store while Redis is down', () => {
  it('fails fast with StoreUnavailableError, reports it, and recovers by itself', async () => {
    const own = await startRedis();
    const s = new RedisStateStore({ url: own.url, keyPrefix: 'down:' });
    try {
      await vi.waitFor(() => expect(s.health().ok).toBe(true));
      await s.put(record());
      await own.stop();
      await vi.waitFor(() => expect(s.health()).toMatchObject({ kind: 'redis', ok: false }));
      expect(s.health().reason).toMatch(/Redis/);
      let starts = 0;
      const err = await coordinator(s).start(facts(), async () => (starts++, started('blind')), async () => true).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(starts).toBe(0);
      await own.start();
      await vi.waitFor(() => expect(s.health().ok).toBe(true), { timeout: 10_000, interval: 50 });
      // The data survived (the test Redis keeps an append-only file), and the stage reuses it.
      expect(await coordinator(s).start(facts(), async () => (starts++, started('dup')), async () => true)).toMatchObject({ pipelineId: 'p-1', reused: true });
      expect(starts).toBe(0);
    } finally {
      await s.close();
      await own.close();
    }
  });
});
