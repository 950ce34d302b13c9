/**
 * Polls `check` until it returns something other than undefined: tests wait on conditions, never
 * on fixed sleeps. A check that throws is tried again; the last error (and `context()`, e.g. the
 * captured logs) is in the timeout message.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  what: string,
  opts: { timeoutMs?: number; everyMs?: number; context?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const context = opts.context?.();
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}${context ? `\n${context}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 25));
  }
}
