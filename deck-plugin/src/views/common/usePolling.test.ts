import { nextDelay } from './usePolling';

describe('nextDelay', () => {
  const opts = { intervalMs: 1000, maxIntervalMs: 8000 };
  it('stays at the interval while something runs', () => {
    expect(nextDelay(1000, { ok: true, active: true }, opts)).toBe(1000);
    expect(nextDelay(4000, { ok: true, active: true }, opts)).toBe(1000);
  });
  it('doubles while nothing runs and after failures, up to the ceiling', () => {
    expect(nextDelay(1000, { ok: true, active: false }, opts)).toBe(2000);
    expect(nextDelay(2000, { ok: false, active: false }, opts)).toBe(4000);
    expect(nextDelay(8000, { ok: false, active: false }, opts)).toBe(8000);
  });
});
