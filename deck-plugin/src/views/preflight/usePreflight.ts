import { SETTINGS } from '@spinnaker/core';
import React from 'react';

import { READ_PROXY_ID } from '@cdaas/contract/read';
import { CdaasReadError } from '../../api/readErrors';
import { type PreflightApi, PreflightClient, type PreflightReport } from './PreflightClient';

/** The client built from Deck's settings: Gate's proxy `cdaas`, with the browser's fetch. */
export function defaultPreflightApi(): PreflightApi {
  const gateUrl = String(SETTINGS.gateUrl ?? '').replace(/\/+$/, '');
  return new PreflightClient((url, init) => fetch(url, init), `${gateUrl}/proxies/${READ_PROXY_ID}`);
}

const PreflightApiContext = React.createContext<PreflightApi | null>(null);

export function PreflightApiProvider(props: { api: PreflightApi; children?: React.ReactNode }) {
  return React.createElement(PreflightApiContext.Provider, { value: props.api }, props.children);
}

export interface PreflightState {
  loading: boolean;
  error?: CdaasReadError;
  data?: PreflightReport;
  reload(): void;
}

/** Loads the preflight answer once per mount and on `reload`; the client comes from props, context or Deck's settings. */
export function usePreflight(given?: PreflightApi): PreflightState {
  const provided = React.useContext(PreflightApiContext);
  const fallback = React.useMemo(() => (given ?? provided ? null : defaultPreflightApi()), [given, provided]);
  const api = (given ?? provided ?? fallback) as PreflightApi;
  const [attempt, setAttempt] = React.useState(0);
  const [state, setState] = React.useState<Omit<PreflightState, 'reload'>>({ loading: true });

  React.useEffect(() => {
    const controller = new AbortController();
    // A reload keeps the last answer on screen while the new one comes.
    setState((s) => ({ loading: true, data: s.data }));
    api.loadPreflight(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ loading: false, data });
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setState({ loading: false, error: e instanceof CdaasReadError ? e : new CdaasReadError(String(e), 'network') });
      },
    );
    return () => controller.abort();
  }, [api, attempt]);

  const reload = React.useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
