import { SETTINGS } from '@spinnaker/core';

import { READ_PROXY_ID } from '@cdaas/contract/read';
import { type CdaasApprovalsApi, CdaasApprovalsClient } from './CdaasApprovalsClient';
import { createApiContext } from './apiContext';

/** The approvals client built from Deck's settings: Gate's proxy `cdaas`, with the browser's fetch. */
export function defaultApprovalsApi(): CdaasApprovalsApi {
  const gateUrl = String(SETTINGS.gateUrl ?? '').replace(/\/+$/, '');
  return new CdaasApprovalsClient((url, init) => fetch(url, init), `${gateUrl}/proxies/${READ_PROXY_ID}`);
}

const approvalsContext = createApiContext<CdaasApprovalsApi>(defaultApprovalsApi);

/** Gives views an approvals client; without a provider they get `defaultApprovalsApi()`. */
export const CdaasApprovalsProvider = approvalsContext.Provider;
export const useCdaasApprovalsApi = approvalsContext.useApi;
