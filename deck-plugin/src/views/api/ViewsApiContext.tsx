import React from 'react';

import { browserFetch, CdaasApiProvider, readProxyBaseUrl } from '../../api/CdaasApiContext';
import type { CdaasViewsApi } from './CdaasViewsClient';
import { CdaasViewsClient } from './CdaasViewsClient';

/** The views' client built from Deck's settings (Gate's proxy `cdaas`). */
export function defaultViewsApi(): CdaasViewsApi {
  return new CdaasViewsClient(browserFetch, readProxyBaseUrl());
}

const ViewsApiContext = React.createContext<CdaasViewsApi | null>(null);

/** Gives the views (and the account picker's hooks they reuse) one client. */
export function ViewsApiProvider(props: { api: CdaasViewsApi; children?: React.ReactNode }) {
  return (
    <ViewsApiContext.Provider value={props.api}>
      <CdaasApiProvider api={props.api}>{props.children}</CdaasApiProvider>
    </ViewsApiContext.Provider>
  );
}

export function useViewsApi(): CdaasViewsApi {
  const provided = React.useContext(ViewsApiContext);
  // Built once per view, so hooks depending on it do not refetch in a loop.
  const fallback = React.useMemo(() => (provided ? null : defaultViewsApi()), [provided]);
  return provided ?? (fallback as CdaasViewsApi);
}
