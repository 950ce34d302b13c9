import { SETTINGS } from '@spinnaker/core';
import React from 'react';

import { READ_PROXY_ID } from '@cdaas/contract/read';
import type { CdaasReadApi } from './CdaasReadClient';
import { CdaasReadClient } from './CdaasReadClient';

/** The read client built from Deck's settings: Gate's proxy `cdaas`, with the browser's fetch. */
export function defaultReadApi(): CdaasReadApi {
  return new CdaasReadClient(browserFetch, readProxyBaseUrl());
}

/** Gate's proxy `cdaas` URL, from Deck's settings. */
export function readProxyBaseUrl(): string {
  const gateUrl = String(SETTINGS.gateUrl ?? '').replace(/\/+$/, '');
  return `${gateUrl}/proxies/${READ_PROXY_ID}`;
}

/** A lambda, not `fetch` itself: some browsers refuse a fetch called with another `this`. */
export const browserFetch = (url: string, init?: RequestInit): Promise<Response> => fetch(url, init);

const CdaasApiContext = React.createContext<CdaasReadApi | null>(null);

/** Gives views a read client; without a provider they get `defaultReadApi()`. */
export function CdaasApiProvider(props: { api: CdaasReadApi; children?: React.ReactNode }) {
  return <CdaasApiContext.Provider value={props.api}>{props.children}</CdaasApiContext.Provider>;
}

export function useCdaasApi(): CdaasReadApi {
  const provided = React.useContext(CdaasApiContext);
  // Built once per view, not per render, so hooks depending on it do not refetch in a loop.
  const fallback = React.useMemo(() => (provided ? null : defaultReadApi()), [provided]);
  return provided ?? (fallback as CdaasReadApi);
}
