import { TtlCache } from './cache';

describe('TtlCache', () => {
  it('coalesces concurrent loads and serves the value until the TTL ends', async () => {
    let now = 0;
    let loads = 0;
    const results: string[] = [];
    const cache = new TtlCache<string>({ ttlMs: 5000, now: () => now, onLookup: (r) => void results.push(r) });
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return `v${loads}`;
    };
    expect(await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)])).toEqual(['v1', 'v1', 'v1']);
    now += 4999;
    expect(await cache.get('k', load)).toBe('v1');
    now += 1;
    expect(await cache.get('k', load)).toBe('v2');
    expect(loads).toBe(2);
    expect(results).toEqual(['miss', 'coalesced', 'coalesced', 'hit', 'miss']);
  });

  it('keeps keys apart and forgets a failed load', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1000 });
    await expect(cache.get('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('a', async () => 'a')).toBe('a');
    expect(await cache.get('b', async () => 'b')).toBe('b');
  });

  it('stays bounded', async () => {
    const cache = new TtlCache<number>({ ttlMs: 60_000, maxEntries: 10 });
    for (let i = 0; i < 100; i++) await cache.get(`k${i}`, async () => i);
    let reloaded = false;
    await cache.get('k0', async () => ((reloaded = true), 0));
    expect(reloaded).toBe(true);
  });
});
