/**
 * What every check shares: a result builder that times the check, and a deadline that turns a hung
 * step into a failure naming the timeout instead of a hung run.
 */
import type { CheckResult, CheckState, PreflightGroup } from '@cdaas/contract/preflight';

export type Outcome = { state: CheckState; detail: string; fix?: string };

export interface CheckMeta {
  id: string;
  group: PreflightGroup;
  requirement: string;
  target?: string;
}

export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Rejects with TimeoutError after `ms`, calling `onTimeout` (close the socket) first. */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new TimeoutError(ms));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export const result = (meta: CheckMeta, outcome: Outcome, durationMs: number): CheckResult => ({
  ...meta,
  state: outcome.state,
  detail: outcome.detail,
  ...(outcome.fix && outcome.state !== 'pass' && outcome.state !== 'skip' ? { fix: outcome.fix } : {}),
  durationMs: Math.round(durationMs),
});

export const skipped = (meta: CheckMeta, why: string): CheckResult => result(meta, { state: 'skip', detail: why }, 0);

/** Runs one check, timing it; an exception becomes a failure rather than a lost row. */
export async function timed(meta: CheckMeta, run: () => Promise<Outcome>, fixOnError?: (err: unknown) => string): Promise<CheckResult> {
  const started = performance.now();
  try {
    return result(meta, await run(), performance.now() - started);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return result(meta, { state: 'fail', detail: message, fix: fixOnError?.(err) }, performance.now() - started);
  }
}

export const errorCode = (err: unknown): string | undefined => {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
};
