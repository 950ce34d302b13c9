/**
 * Retries with exponential backoff and full jitter, honouring Retry-After. Used for every call the
 * bridge makes upstream; which failures are retryable is the caller's decision.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseMs: number;
  /** Upper bound for any one wait, Retry-After included (a huge Retry-After must not hang Orca). */
  maxDelayMs: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or garbled. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const s = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number): number {
  const random = policy.random ?? Math.random;
  const exp = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** attempt);
  const jittered = Math.round(exp / 2 + random() * (exp / 2));
  // Retry-After is a floor: the server said when it will accept the call again.
  return Math.min(policy.maxDelayMs, retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered);
}

export interface RetryDecision {
  retry: boolean;
  retryAfterMs?: number;
}

export async function withRetry<T>(
  policy: RetryPolicy,
  attemptFn: (attempt: number) => Promise<T>,
  decide: (err: unknown) => RetryDecision,
): Promise<T> {
  const sleep = policy.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptFn(attempt);
    } catch (err) {
      const d = decide(err);
      if (!d.retry || attempt >= policy.retries) throw err;
      // Told to come back later than we are willing to wait: give up now rather than retry early.
      if (d.retryAfterMs !== undefined && d.retryAfterMs > policy.maxDelayMs) throw err;
      await sleep(backoffDelay(attempt, policy, d.retryAfterMs));
    }
  }
}
