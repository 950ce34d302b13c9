import React from 'react';

import type { AgentList } from './CdaasReadClient';
import { CdaasReadError } from './readErrors';
import { useCdaasApi } from './CdaasApiContext';

export interface AgentsState {
  loading: boolean;
  error?: CdaasReadError;
  data?: AgentList;
  reload(): void;
}

/** Loads the connected agents once per mount (and on `reload`); owns loading, error and data. */
export function useAgents(): AgentsState {
  const api = useCdaasApi();
  const [attempt, setAttempt] = React.useState(0);
  const [state, setState] = React.useState<Omit<AgentsState, 'reload'>>({ loading: true });

  React.useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ loading: true, data: s.data }));
    api.listAgents(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ loading: false, data }),
      (e: unknown) => {
        if (controller.signal.aborted) return;
        const error = e instanceof CdaasReadError ? e : new CdaasReadError(String(e), 'network');
        setState({ loading: false, error });
      },
    );
    return () => controller.abort();
  }, [api, attempt]);

  const reload = React.useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
