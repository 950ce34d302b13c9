/**
 * Asks Spinnaker's authorization service, Fiat, whether a user may EXECUTE an application.
 *
 * fiat-web's AuthorizeController (read from spinnaker/fiat): `GET /authorize/{userId}/{resourceType}/
 * {resourceName}/{authorization}` answers 200 with no body when the user's permissions hold that
 * authorization on the resource, and 404 otherwise (also for a user or application Fiat does not
 * know). `resourceType` goes through ResourceType.parse, which accepts the plural `applications`;
 * names compare case-insensitively. Fiat's own fallback for a user it has not synced yet applies
 * only when the request's X-SPINNAKER-USER is that user, so the call carries it, as Spinnaker's
 * services do when they call Fiat for a request's user.
 *
 * Definite answers (200, 404) are cached for a short TTL; anything else (timeout, 5xx, a status
 * Fiat does not give) is FiatUnavailableError and never cached: the policy refuses on it.
 */
import type { AxiosInstance } from 'axios';

import { TtlCache } from '../read/cache';

export interface FiatClient {
  /** True when Fiat says the user holds EXECUTE on the application. Throws FiatUnavailableError. */
  canExecute(user: string, application: string): Promise<boolean>;
}

export class FiatUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FiatUnavailableError';
  }
}

/** The Fiat path for one authorization check. */
export const fiatAuthorizePath = (user: string, application: string, authorization = 'EXECUTE') =>
  `/authorize/${encodeURIComponent(user)}/applications/${encodeURIComponent(application)}/${authorization}`;

export interface HttpFiatClientOptions {
  timeoutMs: number;
  cacheTtlMs: number;
  now?: () => number;
  onLookup?: (outcome: 'allowed' | 'denied' | 'unavailable') => void;
}

export class HttpFiatClient implements FiatClient {
  private readonly cache: TtlCache<boolean>;

  /** @param http an axios instance whose baseURL is Fiat's base URL (config approvals.fiatUrl) */
  constructor(
    private readonly http: AxiosInstance,
    private readonly opts: HttpFiatClientOptions,
  ) {
    this.cache = new TtlCache<boolean>({ ttlMs: opts.cacheTtlMs, now: opts.now, maxEntries: 10_000 });
  }

  canExecute(user: string, application: string): Promise<boolean> {
    // Fiat compares ids case-insensitively: so does the cache key.
    const key = `${user.toLowerCase()}\u0000${application.toLowerCase()}`;
    return this.cache.get(key, () => this.ask(user, application));
  }

  private async ask(user: string, application: string): Promise<boolean> {
    let status: number;
    try {
      const res = await this.http.request({
        method: 'GET',
        url: fiatAuthorizePath(user, application),
        headers: { Accept: 'application/json', 'X-SPINNAKER-USER': user },
        timeout: this.opts.timeoutMs,
        validateStatus: () => true,
        maxRedirects: 0,
        allowAbsoluteUrls: false,
      });
      status = res.status;
    } catch (err) {
      this.opts.onLookup?.('unavailable');
      const code = (err as { code?: string }).code;
      throw new FiatUnavailableError(`Fiat did not answer (${code ?? (err instanceof Error ? err.message : 'network error')})`);
    }
    if (status === 200) {
      this.opts.onLookup?.('allowed');
      return true;
    }
    if (status === 404) {
      this.opts.onLookup?.('denied');
      return false;
    }
    this.opts.onLookup?.('unavailable');
    throw new FiatUnavailableError(`Fiat answered HTTP ${status}`);
  }
}
