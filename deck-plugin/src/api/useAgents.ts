import React from 'react';

import type { ClusterSummary } from '@cdaas/contract/read';
import type { AgentList, CdaasReadApi } from './CdaasReadClient';
import { CdaasReadError } from './readErrors';
import { useCdaasApi } from './CdaasApiContext';

export interface AgentsData extends AgentList {
  /** Cluster summaries by agent identifier, when the bridge could give them. */
  clusters: Record<string, ClusterSummary>;
}

export interface AgentsState {
  loading: boolean;
  /** The agents could not be read at all. */
  error?: CdaasReadError;
  /** The agents, with what could not be read beside them in `errors` (never a blank list for one failure). */
  data?: AgentsData;
  reload(): void;
}

/**
 * One read of the connected agents and their clusters' summaries. The summaries only add detail:
 * when they fail, the agents still come back, with the failure among `errors`.
 */
export async function loadAgentsData(api: CdaasReadApi, signal?: AbortSignal): Promise<AgentsData> {
  const clusters = api.listClusters(signal).then(
    (list) => list,
    (e: unknown) => ({ clusters: [], errors: [`Cluster details could not be loaded: ${e instanceof Error ? e.message : String(e)}`] }),
  );
  const [agents, details] = await Promise.all([api.listAgents(signal), clusters]);
  const byName: Record<string, ClusterSummary> = {};
  for (const c of details.clusters) byName[c.cluster] = c;
  return { ...agents, errors: [...agents.errors, ...details.errors], clusters: byName };
}

/**
 * Loads the agents once per mount (and on `reload`) for the stage forms' account picker; owns
 * loading, error and data. (The agents page polls the same read: views/agents.)
 */
export function useAgents(): AgentsState {
  const api = useCdaasApi();
  const [attempt, setAttempt] = React.useState(0);
  const [state, setState] = React.useState<Omit<AgentsState, 'reload'>>({ loading: true });

  React.useEffect(() => {
    const controller = new AbortController();
    // Already loading on mount: a new object here rendered the picker again for nothing.
    setState((s) => (s.loading ? s : { loading: true, data: s.data }));
    loadAgentsData(api, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ loading: false, data });
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        const error = e instanceof CdaasReadError ? e : new CdaasReadError(String(e), 'network');
        setState({ loading: false, error });
      },
    );
    return () => controller.abort();
  }, [api, attempt]);

  const reload = React.useCallback(() => setAttempt((n) => n + 1), []);
  // One object per answer: views memoise on it (a new object per render redrew the YAML form's
  // whole summary and re-ran its account checks on every keystroke).
  return React.useMemo(() => ({ ...state, reload }), [state, reload]);
}
