import { DeploymentRegistry, deploymentKey } from './registry';

const key = deploymentKey('01JEXEC', '3');
const deferred = <T,>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('DeploymentRegistry', () => {
  it('single-flights concurrent duplicate starts', async () => {
    const r = new DeploymentRegistry();
    const d = deferred<{ pipelineId: string; warnings: string[] }>();
    let starts = 0;
    const start = () => r.start(key, () => (starts++, d.promise), async () => true);
    const all = Promise.all([start(), start(), start()]);
    d.resolve({ pipelineId: 'p1', warnings: [] });
    expect((await all).map((a) => [a.pipelineId, a.reused])).toEqual([['p1', false], ['p1', true], ['p1', true]]);
    expect(starts).toBe(1);
  });

  it('reuses a running deployment, starts again once it finished', async () => {
    const r = new DeploymentRegistry();
    let n = 0;
    const doStart = async () => ({ pipelineId: `p${++n}`, warnings: [] });
    await r.start(key, doStart, async () => true);
    expect(await r.start(key, doStart, async () => true)).toMatchObject({ pipelineId: 'p1', reused: true });
    expect(await r.start(key, doStart, async () => false)).toMatchObject({ pipelineId: 'p2', reused: false });
    // A status poll that saw the end spares the check.
    r.recordStatus('p2', 'SUCCEEDED');
    expect(await r.start(key, doStart, async () => { throw new Error('not asked'); })).toMatchObject({ pipelineId: 'p3', reused: false });
  });

  it('reuses the earlier deployment when it cannot tell whether it still runs', async () => {
    const r = new DeploymentRegistry();
    await r.start(key, async () => ({ pipelineId: 'p1', warnings: [] }), async () => true);
    const again = await r.start(key, async () => ({ pipelineId: 'p2', warnings: [] }), () => Promise.reject(new Error('API down')));
    expect(again).toMatchObject({ pipelineId: 'p1', reused: true });
  });

  it('forgets a failed start, so the retry starts afresh; waiters of the failed start get its error', async () => {
    const r = new DeploymentRegistry();
    const d = deferred<{ pipelineId: string; warnings: string[] }>();
    const first = r.start(key, () => d.promise, async () => true);
    const dup = r.start(key, async () => ({ pipelineId: 'never', warnings: [] }), async () => true);
    d.reject(new Error('503'));
    await expect(first).rejects.toThrow('503');
    await expect(dup).rejects.toThrow('503');
    expect(await r.start(key, async () => ({ pipelineId: 'p2', warnings: [] }), async () => true)).toMatchObject({ pipelineId: 'p2', reused: false });
  });

  it('forgets entries older than maxAge', async () => {
    let now = 0;
    const r = new DeploymentRegistry({ maxAgeMs: 1000, now: () => now });
    await r.start(key, async () => ({ pipelineId: 'p1', warnings: [] }), async () => true);
    now = 5000;
    await r.start(deploymentKey('other', '1'), async () => ({ pipelineId: 'p2', warnings: [] }), async () => true);
    expect(r.pipelineFor(key)).toBeUndefined();
    expect(r.size).toBe(1);
  });
});
