/**
 * Polling as Deck's own views do it: load, then again after an interval; back off (doubling up to a
 * ceiling) while nothing is running and after failures; pause while the browser tab is hidden and
 * load at once when it shows again. The hook owns it and returns `{data, loading, error}`.
 */
import React from 'react';

import { CdaasReadError } from '../../api/readErrors';

export interface PollOptions<T> {
  /** The delay while something is in progress (Deck's `pollSchedule`). */
  intervalMs: number;
  /** The longest delay backing off reaches. */
  maxIntervalMs: number;
  /** Whether the answer shows something in progress (keeps the short interval). Default: always. */
  active?: (data: T) => boolean;
}

export interface PollState<T> {
  /** The last answer; kept while a later poll fails (shown with `error` beside it). */
  data?: T;
  /** True until the first answer or failure. */
  loading: boolean;
  /** The last poll's failure, cleared by the next success. */
  error?: CdaasReadError;
  /** When `data` arrived (ms since the epoch): what "updated 20s ago" says. */
  updatedAt?: number;
  /** A request is under way (the first one or a later poll). */
  refreshing: boolean;
  /** Load now (a retry button), resetting the backoff. */
  reload(): void;
}

/** The delay before the next poll. */
export function nextDelay(previous: number, outcome: { ok: boolean; active: boolean }, opts: { intervalMs: number; maxIntervalMs: number }): number {
  if (outcome.ok && outcome.active) return opts.intervalMs;
  return Math.min(opts.maxIntervalMs, Math.max(opts.intervalMs, previous * 2));
}

const asReadError = (e: unknown) => (e instanceof CdaasReadError ? e : new CdaasReadError(e instanceof Error ? e.message : String(e), 'network'));

/**
 * @param load one request; called with a signal aborted on unmount or when `key` changes
 * @param key what the data depends on (e.g. the application name): a new key starts over
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, key: string, opts: PollOptions<T>): PollState<T> {
  const [state, setState] = React.useState<Omit<PollState<T>, 'reload'>>({ loading: true, refreshing: true });
  const [attempt, setAttempt] = React.useState(0);
  // The latest load and options without restarting the loop on every render.
  const latest = React.useRef({ load, opts });
  latest.current = { load, opts };

  React.useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = latest.current.opts.intervalMs;
    let waitingForVisible = false;

    const schedule = () => {
      timer = setTimeout(tick, delay);
    };
    const tick = () => {
      timer = undefined;
      if (controller.signal.aborted) return;
      // Hidden tab: no request until the user looks again.
      if (typeof document !== 'undefined' && document.hidden) {
        waitingForVisible = true;
        return;
      }
      setState((s) => (s.refreshing ? s : { ...s, refreshing: true }));
      latest.current.load(controller.signal).then(
        (data) => {
          if (controller.signal.aborted) return;
          const active = latest.current.opts.active?.(data) ?? true;
          delay = nextDelay(delay, { ok: true, active }, latest.current.opts);
          setState({ loading: false, data, updatedAt: Date.now(), refreshing: false });
          schedule();
        },
        (e: unknown) => {
          if (controller.signal.aborted) return;
          delay = nextDelay(delay, { ok: false, active: false }, latest.current.opts);
          setState((s) => ({ loading: false, data: s.data, updatedAt: s.updatedAt, error: asReadError(e), refreshing: false }));
          schedule();
        },
      );
    };
    const onVisibility = () => {
      if (!document.hidden && waitingForVisible) {
        waitingForVisible = false;
        delay = latest.current.opts.intervalMs;
        tick();
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    setState((s) => (attempt === 0 ? { loading: true, refreshing: true } : { ...s, loading: !s.data }));
    tick();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [key, attempt]);

  const reload = React.useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
