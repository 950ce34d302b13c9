/**
 * `GET /v1/preflight` on the read listener (Deck's agents page shows it as a requirements panel).
 * Cached briefly and coalesced, so an admin reloading the page, or several admins, cost one run per
 * TTL. The answer holds only check rows: no secret, token or header is ever part of one.
 */
import { preflightRoutes } from '@cdaas/contract/preflight';
import type { CdaasClient } from '../cdaas/client';
import type { BridgeConfig } from '../config/config';
import type { Route } from '../http/server';
import { TtlCache } from '../read/cache';
import { runPreflight } from './run';

export interface PreflightRouteDeps {
  config: BridgeConfig;
  /** The bridge's read client (its token source); default: preflight builds its own. */
  client?: CdaasClient;
  env?: Record<string, string | undefined>;
  now?: () => number;
}

export function preflightRoute(deps: PreflightRouteDeps): Route {
  const cache = new TtlCache<Buffer>({ ttlMs: deps.config.preflight.cacheTtlMs, now: deps.now });
  const load = async () => Buffer.from(JSON.stringify(await runPreflight({ config: deps.config, env: deps.env ?? process.env, client: deps.client })));
  return {
    name: 'preflight',
    method: 'GET',
    path: preflightRoutes.preflight.pattern,
    handler: async () => ({ status: 200, body: await cache.get('preflight', load) }),
  };
}
