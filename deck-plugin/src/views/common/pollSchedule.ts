import { SETTINGS } from '@spinnaker/core';

/** Deck's own refresh interval (`pollSchedule`, 30 s by default), which its views poll at. */
export function deckPollIntervalMs(): number {
  const n = Number((SETTINGS as { pollSchedule?: unknown }).pollSchedule);
  return Number.isFinite(n) && n > 0 ? n : 30_000;
}

/** Backing off stops at this: a quiet view still refreshes about every two minutes. */
export const MAX_POLL_INTERVAL_MS = 120_000;
