import type { KubeReplicaSet } from '@cdaas/contract/read';
import { FINAL_STATUSES } from '@cdaas/contract/deploy';
import { useViewsApi } from '../api/ViewsApiContext';
import { deckPollIntervalMs, MAX_POLL_INTERVAL_MS } from '../common/pollSchedule';
import type { PollState } from '../common/usePolling';
import { usePolling } from '../common/usePolling';
import type { ClusterData } from './model';
import { joinClusterData } from './model';

const shifting = (rs: KubeReplicaSet) => !!rs.traffic && !(rs.traffic.status && FINAL_STATUSES.includes(rs.traffic.status));

/** One agent's namespaces, deployments and replica sets, polled (fast while traffic shifts). */
export function useClusterData(agent: string): PollState<ClusterData> {
  const api = useViewsApi();
  return usePolling(
    async (signal) => {
      const joined = joinClusterData(
        agent,
        await Promise.allSettled([api.listNamespaces(agent, signal), api.listDeployments(agent, signal), api.listReplicaSets(agent, signal)]),
      );
      if ('failed' in joined) throw joined.failed;
      return joined;
    },
    agent,
    { intervalMs: deckPollIntervalMs(), maxIntervalMs: MAX_POLL_INTERVAL_MS, active: (d) => d.replicaSets.some(shifting) },
  );
}
