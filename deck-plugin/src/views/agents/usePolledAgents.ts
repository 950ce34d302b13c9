import type { AgentsData } from '../../api/useAgents';
import { loadAgentsData } from '../../api/useAgents';
import { useViewsApi } from '../api/ViewsApiContext';
import { deckPollIntervalMs, MAX_POLL_INTERVAL_MS } from '../common/pollSchedule';
import type { PollOptions, PollState } from '../common/usePolling';
import { usePolling } from '../common/usePolling';

/**
 * The agents and their clusters, polled as the application tab polls: at Deck's interval (the
 * heartbeats move all the time), backing off while the bridge fails, paused while the browser
 * tab is hidden.
 */
export function usePolledAgents(opts?: Partial<PollOptions<AgentsData>>): PollState<AgentsData> {
  const api = useViewsApi();
  return usePolling((signal) => loadAgentsData(api, signal), 'agents', {
    intervalMs: deckPollIntervalMs(),
    maxIntervalMs: MAX_POLL_INTERVAL_MS,
    ...opts,
  });
}
