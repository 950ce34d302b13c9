import { useViewsApi } from '../api/ViewsApiContext';
import type { ApplicationDeployments } from '../api/CdaasViewsClient';
import { deckPollIntervalMs, MAX_POLL_INTERVAL_MS } from '../common/pollSchedule';
import type { PollOptions, PollState } from '../common/usePolling';
import { usePolling } from '../common/usePolling';
import { isRunning } from './model';

/**
 * The application's CDaaS deployments, polled at Deck's interval while one runs, backing off while
 * none does or the bridge fails, paused while the browser tab is hidden.
 */
export function useApplicationDeployments(application: string, opts?: Partial<PollOptions<ApplicationDeployments>>): PollState<ApplicationDeployments> {
  const api = useViewsApi();
  return usePolling((signal) => api.listApplicationDeployments(application, signal), application, {
    intervalMs: deckPollIntervalMs(),
    maxIntervalMs: MAX_POLL_INTERVAL_MS,
    active: (a) => a.deployments.some(isRunning),
    ...opts,
  });
}
