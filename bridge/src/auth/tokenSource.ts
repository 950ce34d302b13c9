/**
 * OAuth2 client_credentials token source for the CD-as-a-Service API.
 *
 * - One exchange at a time (single-flight): a thousand concurrent callers wait on one request.
 * - The token is kept until a random point at least 120 s before it expires (as Armory's own Go
 *   client does), so two replicas do not refresh in lockstep and no call carries a token that
 *   expires in flight.
 * - `invalidate(token)` after a 401 drops that token only if it is still the cached one, so a
 *   burst of 401s causes one refresh, not one per caller.
 * - Errors name the HTTP status and the server's `error` / `error_description`, passed through
 *   `redact`: some auth servers echo the posted form, secret included.
 * - An auth-server outage does not stop a valid token: past its refresh point it keeps serving
 *   (refreshing in the background) until shortly before it expires.
 * - Failed exchanges back off (doubling, jittered, up to `backoffMaxMs`): meanwhile callers get a
 *   still-valid token, or the last error at once, without another request. The same holds for
 *   401s from the API: a token dropped again and again soon after it was issued backs off too.
 */
import type { AxiosInstance } from 'axios';

import { oauthErrorSchema, PRINCIPAL_CLAIM, tokenAnswerSchema } from '../cdaas/upstream';
import { type RetryPolicy, parseRetryAfter, withRetry } from '../http/retry';

export interface Principal {
  orgId?: string;
  envId?: string;
  name?: string;
  type?: string;
}

export interface TokenSource {
  getToken(): Promise<string>;
  /** After a 401: forget `token` if it is still the cached one; the next getToken exchanges again. */
  invalidate(token: string): void;
  /** The principal claim of the current token (for console links), decoded without verification. */
  principal(): Principal | undefined;
}

export interface ClientCredentialsOptions {
  clientId: string;
  clientSecret: string;
  audience: string;
  /** The token endpoint; or `issuerUrl`, whose discovery document names it. */
  tokenUrl?: string;
  issuerUrl?: string;
  retry: RetryPolicy;
  timeoutMs?: number;
  /** Minimum time before expiry to refresh (120 s). */
  minEarlyRefreshMs?: number;
  now?: () => number;
  random?: () => number;
  onExchange?: (outcome: 'ok' | 'error') => void;
  /** Scrubs secrets from error text built from the auth server's answers. */
  redact?: (text: string) => string;
  /** Backoff between failed exchanges (or repeated 401s): base and cap; defaults 1 s and 60 s. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

export class TokenError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly oauthError?: string,
    readonly oauthErrorDescription?: string,
    /** Retryable failures: network errors, 5xx, 429. */
    readonly transient = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

/** The API refused the last tokens (401) and new ones are not requested yet (backing off). */
export class TokenRefusedError extends TokenError {
  constructor(message: string) {
    super(message, 401, undefined, undefined, true);
    this.name = 'TokenRefusedError';
  }
}

interface Cached {
  token: string;
  issuedAt: number;
  refreshAt: number;
  /** Served until this point (a margin before the real expiry, so no call carries an expiring token). */
  usableUntil: number;
  principal?: Principal;
}

/** A JWT's claims, decoded without verification (the bridge only reads what it was given). */
export function decodeClaims(jwt: string): Record<string, unknown> | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function decodePrincipal(jwt: string): Principal | undefined {
  const p = decodeClaims(jwt)?.[PRINCIPAL_CLAIM];
  if (!p || typeof p !== 'object') return undefined;
  const { orgId, envId, name, type } = p as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { orgId: str(orgId), envId: str(envId), name: str(name), type: str(type) };
}

/** Network error text without the request (axios errors carry the config, whose data is the secret form). */
export function networkMessage(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e?.code === 'ECONNABORTED' || e?.code === 'ETIMEDOUT') return `timed out (${e.code})`;
  return e?.code ? `${e.code}` : 'network error';
}

export class ClientCredentialsTokenSource implements TokenSource {
  private cached?: Cached;
  private inFlight?: Promise<Cached>;
  private discovered?: Promise<string>;
  private readonly now: () => number;
  private readonly random: () => number;
  /** Consecutive failures (exchanges that failed, tokens refused soon after issue). */
  private failures = 0;
  private notBefore = 0;
  private lastError?: TokenError;

  constructor(
    private readonly http: AxiosInstance,
    private readonly opts: ClientCredentialsOptions,
  ) {
    if (!opts.tokenUrl && !opts.issuerUrl) throw new Error('token source needs tokenUrl or issuerUrl');
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
  }

  async getToken(): Promise<string> {
    const now = this.now();
    const c = this.cached;
    if (c && now < c.refreshAt) return c.token;
    if (c && now < c.usableUntil) {
      // Still valid: refresh behind the callers' backs, and keep serving it if that fails.
      if (now >= this.notBefore) this.refresh().catch(() => undefined);
      return c.token;
    }
    if (now < this.notBefore) {
      throw this.lastError ?? new TokenError('token requests are backing off after failures', undefined, undefined, undefined, true);
    }
    return (await this.refresh()).token;
  }

  invalidate(token: string): void {
    const c = this.cached;
    if (c?.token !== token) return;
    this.cached = undefined;
    const now = this.now();
    // A token refused soon after it was issued will be refused again (a revoked client, a wrong
    // audience): back off instead of exchanging on every call. One that served a while resets.
    if (now - c.issuedAt > this.backoffMax()) this.failures = 0;
    this.failures++;
    this.lastError = new TokenRefusedError('CD-as-a-Service refused the last token (HTTP 401); new tokens are requested again after a backoff');
    // The first refusal refreshes at once (the common case: a token revoked early).
    if (this.failures > 1) this.notBefore = now + this.backoff();
  }

  private backoffMax(): number {
    return this.opts.backoffMaxMs ?? 60_000;
  }

  /** Doubling from the base per consecutive failure, capped, with full jitter over its upper half. */
  private backoff(): number {
    const exp = Math.min(this.backoffMax(), (this.opts.backoffBaseMs ?? 1_000) * 2 ** Math.max(0, this.failures - 1));
    return Math.round(exp / 2 + this.random() * (exp / 2));
  }

  principal(): Principal | undefined {
    return this.cached?.principal;
  }

  /** Whether a token has been obtained (readiness). */
  get hasToken(): boolean {
    return this.cached !== undefined && this.now() < this.cached.usableUntil;
  }

  private refresh(): Promise<Cached> {
    if (!this.inFlight) {
      this.inFlight = withRetry(this.opts.retry, () => this.exchange(), (err) =>
        err instanceof TokenError && err.transient ? { retry: true, retryAfterMs: err.retryAfterMs } : { retry: false },
      )
        .then((c) => {
          this.cached = c;
          // Only exchange failures reset here; 401 backoff resets when a token has served a while.
          if (this.lastError?.status !== 401) this.failures = 0;
          this.opts.onExchange?.('ok');
          return c;
        })
        .catch((err: unknown) => {
          this.opts.onExchange?.('error');
          this.failures++;
          this.notBefore = this.now() + this.backoff();
          this.lastError = err instanceof TokenError ? err : new TokenError('token exchange failed', undefined, undefined, undefined, true);
          throw err;
        })
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    return this.inFlight;
  }

  private tokenUrl(): Promise<string> {
    if (this.opts.tokenUrl) return Promise.resolve(this.opts.tokenUrl);
    if (!this.discovered) {
      const issuer = (this.opts.issuerUrl as string).replace(/\/+$/, '');
      const url = `${issuer}/.well-known/openid-configuration`;
      this.discovered = this.http
        .get<unknown>(url, { timeout: this.opts.timeoutMs, validateStatus: () => true, maxRedirects: 0 })
        .then(
          (res) => {
            if (res.status !== 200) throw new TokenError(`OIDC discovery at ${url} failed: HTTP ${res.status}`, res.status, undefined, undefined, res.status >= 500 || res.status === 429);
            const endpoint = (res.data as { token_endpoint?: unknown } | null)?.token_endpoint;
            if (typeof endpoint !== 'string' || !/^https?:\/\//.test(endpoint)) {
              throw new TokenError(`OIDC discovery at ${url} names no http(s) token_endpoint`);
            }
            return endpoint;
          },
          (err: unknown) => {
            throw new TokenError(`OIDC discovery at ${url} failed: ${networkMessage(err)}`, undefined, undefined, undefined, true);
          },
        );
      // A failed discovery is retried on the next exchange, not cached forever.
      this.discovered.catch(() => (this.discovered = undefined));
    }
    return this.discovered;
  }

  private async exchange(): Promise<Cached> {
    const url = await this.tokenUrl();
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.opts.clientId,
      client_secret: this.opts.clientSecret,
      audience: this.opts.audience,
    });
    const started = this.now();
    let res;
    try {
      res = await this.http.post<unknown>(url, form.toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        timeout: this.opts.timeoutMs,
        validateStatus: () => true,
        maxRedirects: 0,
      });
    } catch (err) {
      throw new TokenError(`token exchange at ${url} failed: ${networkMessage(err)}`, undefined, undefined, undefined, true);
    }
    if (res.status !== 200) {
      const redact = this.opts.redact ?? ((t: string) => t);
      const oauth = oauthErrorSchema.safeParse(res.data);
      const error = oauth.success ? redact(oauth.data.error) : undefined;
      const description = oauth.success && oauth.data.error_description ? redact(oauth.data.error_description) : undefined;
      const detail = error ? `: ${error}${description ? ` (${description})` : ''}` : '';
      const transient = res.status >= 500 || res.status === 429;
      throw new TokenError(
        `token exchange at ${url} failed: HTTP ${res.status}${detail}`,
        res.status,
        error,
        description,
        transient,
        parseRetryAfter(res.headers['retry-after']),
      );
    }
    const answer = tokenAnswerSchema.safeParse(res.data);
    if (!answer.success) {
      throw new TokenError(`token exchange at ${url} returned an unexpected answer: ${answer.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`);
    }
    const lifetimeMs = answer.data.expires_in * 1000;
    const minEarly = this.opts.minEarlyRefreshMs ?? 120_000;
    // At least `minEarly` before expiry, plus a random share of up to 10% of the lifetime (max 5 min).
    const early = minEarly + this.random() * Math.min(300_000, lifetimeMs * 0.1);
    // A token living less than that is used for half its life rather than never cached.
    const keepFor = lifetimeMs - early > 0 ? lifetimeMs - early : lifetimeMs / 2;
    // Served through an auth outage until shortly before expiry (never past it).
    const margin = Math.min(30_000, lifetimeMs * 0.05);
    return {
      token: answer.data.access_token,
      issuedAt: started,
      refreshAt: started + keepFor,
      usableUntil: started + lifetimeMs - margin,
      principal: decodePrincipal(answer.data.access_token),
    };
  }
}
