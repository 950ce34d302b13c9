import { SETTINGS } from '@spinnaker/core';

import { READ_PROXY_ID } from '@cdaas/contract/read';
import type { CdaasReadApi } from './CdaasReadClient';
import { CdaasReadClient } from './CdaasReadClient';
import { createApiContext } from './apiContext';

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

const readContext = createApiContext<CdaasReadApi>(defaultReadApi);

/** Gives views a read client; without a provider they get `defaultReadApi()`. */
export const CdaasApiProvider = readContext.Provider;
export const useCdaasApi = readContext.useApi;
