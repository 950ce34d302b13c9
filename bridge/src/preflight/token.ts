/**
 * The token exchange with the configured credentials, through the bridge's own token source (the
 * same request the bridge makes), and what the token grants against what the features need.
 * Neither the secret nor the token ever reaches a result: only the client id, expiry, scopes and
 * roles read from the token's claims.
 */
import axios, { type AxiosInstance } from 'axios';

import type { CheckResult } from '@cdaas/contract/preflight';
import { REQUIRED_SCOPES } from '@cdaas/contract/preflight';
import { ClientCredentialsTokenSource, TokenError, decodeClaims } from '../auth/tokenSource';
import { PRINCIPAL_CLAIM } from '../cdaas/upstream';
import type { BridgeConfig } from '../config/config';
import type { RetryPolicy } from '../http/retry';
import { type CheckMeta, result, skipped, withTimeout } from './checks';

export interface Grants {
  scopes: string[];
  roles: string[];
  expiresAt?: number;
}

/** Scopes may sit in the principal claim (Armory) or the standard `scope` claim (space separated). */
export function grantsOf(token: string): Grants {
  const claims = decodeClaims(token) ?? {};
  const principal = (claims[PRINCIPAL_CLAIM] ?? {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
  const scopes = new Set([...strings(principal.scopes), ...(typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [])]);
  return {
    scopes: [...scopes].sort(),
    roles: strings(principal.roles),
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
  };
}

/** Preflight reports, it does not wait out an outage: no retries. */
export const NO_RETRY: RetryPolicy = { retries: 0, baseMs: 0, maxDelayMs: 0 };

/** A token source like the bridge's own (same request, same credentials), without retries. */
export function preflightTokens(config: BridgeConfig, timeoutMs: number, http: AxiosInstance = axios.create()): ClientCredentialsTokenSource {
  const { clientId, clientSecret, audience, tokenUrl, issuerUrl } = config.cdaas;
  return new ClientCredentialsTokenSource(http, { clientId, clientSecret, audience, tokenUrl, issuerUrl, retry: NO_RETRY, timeoutMs });
}

const where = (c: BridgeConfig) => c.cdaas.tokenUrl ?? c.cdaas.issuerUrl ?? '';

function exchangeFix(err: unknown, c: BridgeConfig): string {
  if (err instanceof TokenError) {
    if (err.oauthError === 'invalid_client' || err.status === 401) {
      return `the auth server refused client ${c.cdaas.clientId}: set CDAAS_CLIENT_SECRET / CDAAS_CLIENT_SECRET_FILE to that client's current secret, or create a new credential in the CD-as-a-Service console`;
    }
    if (err.oauthError === 'invalid_target') return `the auth server refused audience ${c.cdaas.audience}: set cdaas.audience (env CDAAS_AUDIENCE) to https://api.cloud.armory.io`;
    if (err.transient && err.status === undefined) return `the bridge cannot reach ${where(c)}: see the network checks for that host`;
    if (err.status === 404) return `${where(c)} is not a token endpoint: correct cdaas.tokenUrl (env CDAAS_TOKEN_URL)`;
  }
  return `the token exchange at ${where(c)} failed: check cdaas.tokenUrl and the credentials`;
}

const hours = (ms: number) => (ms >= 3_600_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.max(0, Math.round(ms / 60_000))} min`);

export async function checkToken(config: BridgeConfig, timeoutMs: number, now: () => number = Date.now): Promise<CheckResult[]> {
  const target = where(config);
  const exchange: CheckMeta = { id: 'token:exchange', group: 'token', requirement: 'The configured client ID and secret get a token from the auth server', target };
  const scopeMeta = (key: keyof typeof REQUIRED_SCOPES): CheckMeta => ({
    id: `token:scope:${key}`,
    group: 'token',
    requirement: `The credential grants ${REQUIRED_SCOPES[key].scope}, needed for ${REQUIRED_SCOPES[key].feature}`,
    target: config.cdaas.clientId,
  });
  const tokens = preflightTokens(config, timeoutMs);
  const started = performance.now();
  let token: string;
  try {
    token = await withTimeout(tokens.getToken(), timeoutMs + 500);
  } catch (err) {
    const detail = err instanceof Error ? err.message : 'token exchange failed';
    return [
      result(exchange, { state: 'fail', detail, fix: exchangeFix(err, config) }, performance.now() - started),
      skipped(scopeMeta('deploy'), 'not checked: no token'),
      skipped(scopeMeta('infrastructure'), 'not checked: no token'),
    ];
  }
  const grants = grantsOf(token);
  const left = grants.expiresAt !== undefined ? grants.expiresAt - now() : undefined;
  const out: CheckResult[] = [
    result(
      exchange,
      left !== undefined && left <= 0
        ? { state: 'fail', detail: 'the auth server issued a token that has already expired', fix: `the bridge's clock or the auth server's is wrong: check NTP on the node` }
        : { state: 'pass', detail: `token issued to client ${config.cdaas.clientId}${left !== undefined ? `, expires in ${hours(left)}` : ''}; roles: ${grants.roles.join(', ') || 'none'}` },
      performance.now() - started,
    ),
  ];
  const granted = grants.scopes.join(', ') || 'none';
  const deploy = REQUIRED_SCOPES.deploy;
  out.push(
    result(
      scopeMeta('deploy'),
      grants.scopes.includes(deploy.scope) || grants.roles.includes(deploy.role)
        ? { state: 'pass', detail: `granted (scopes: ${granted})` }
        : { state: 'fail', detail: `not granted (scopes: ${granted})`, fix: `give credential ${config.cdaas.clientId} the "${deploy.role}" role in the CD-as-a-Service console` },
      0,
    ),
  );
  const infra = REQUIRED_SCOPES.infrastructure;
  out.push(
    result(
      scopeMeta('infrastructure'),
      grants.scopes.includes(infra.scope)
        ? { state: 'pass', detail: `granted (scopes: ${granted})` }
        : { state: 'fail', detail: `not granted (scopes: ${granted})`, fix: `grant ${infra.scope} to credential ${config.cdaas.clientId} in the CD-as-a-Service console, or Deck's agents and cluster views stay empty` },
      0,
    ),
  );
  return out;
}
