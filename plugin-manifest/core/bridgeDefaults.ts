/** Where the bridge listens by default, from the contract and the bridge's own configuration. */
import { DEFAULT_READ_PORT } from '@cdaas/bridge/config';
import { DEFAULT_BRIDGE_URL } from '@cdaas/contract/deploy';

export { DEFAULT_BRIDGE_URL };

/** The read listener (Gate's `cdaas` proxy target): the deploy URL's host on the read port. */
export function defaultReadUrl(): string {
  const url = new URL(DEFAULT_BRIDGE_URL);
  url.port = String(DEFAULT_READ_PORT);
  return url.href.replace(/\/$/, '');
}
