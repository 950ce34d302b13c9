/**
 * A short TTL cache with request coalescing: while a value is loading, every caller for the same
 * key waits on that one load; a loaded value is served until the TTL ends. With many Deck users
 * polling the same resource that is about one upstream call per key per TTL.
 */
export type LookupResult = 'hit' | 'coalesced' | 'miss';

interface Slot<T> {
  value?: T;
  expiresAt: number;
  loading?: Promise<T>;
}

export interface TtlCacheOptions {
  ttlMs: number;
  now?: () => number;
  maxEntries?: number;
  onLookup?: (result: LookupResult) => void;
}

export class TtlCache<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private readonly now: () => number;

  constructor(private readonly opts: TtlCacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.now();
    const slot = this.slots.get(key);
    if (slot?.loading) {
      this.opts.onLookup?.('coalesced');
      return slot.loading;
    }
    if (slot && slot.value !== undefined && now < slot.expiresAt) {
      this.opts.onLookup?.('hit');
      return Promise.resolve(slot.value);
    }
    this.opts.onLookup?.('miss');
    if (this.slots.size >= (this.opts.maxEntries ?? 5_000)) this.sweep(now);
    const fresh: Slot<T> = { expiresAt: 0 };
    fresh.loading = load().then(
      (value) => {
        fresh.value = value;
        // The TTL counts from when the answer arrived, not from when it was asked for.
        fresh.expiresAt = this.now() + this.opts.ttlMs;
        fresh.loading = undefined;
        return value;
      },
      (err: unknown) => {
        if (this.slots.get(key) === fresh) this.slots.delete(key);
        throw err;
      },
    );
    this.slots.set(key, fresh);
    return fresh.loading;
  }

  private sweep(now: number): void {
    for (const [k, s] of this.slots) if (!s.loading && now >= s.expiresAt) this.slots.delete(k);
    // Still full of live entries: drop the oldest rather than grow without bound.
    while (this.slots.size >= (this.opts.maxEntries ?? 5_000)) {
      const first = this.slots.keys().next().value as string;
      this.slots.delete(first);
    }
  }
}
