import axios from 'axios';
import { http, HttpResponse } from 'msw';

import { failClosedServer, fakeJwt, noSleep } from '../../test/msw';
import { ClientCredentialsTokenSource, TokenError } from './tokenSource';

const TOKEN_URL = 'https://auth.test/oauth/token';
const SECRET = 's3cr3t-value-that-must-not-leak';
const server = failClosedServer();

function source(over: Partial<ConstructorParameters<typeof ClientCredentialsTokenSource>[1]> = {}) {
  return new ClientCredentialsTokenSource(axios.create(), {
    clientId: 'client-a',
    clientSecret: SECRET,
    audience: 'https://api.test',
    tokenUrl: TOKEN_URL,
    retry: { retries: 2, baseMs: 1, maxDelayMs: 5, sleep: noSleep() },
    ...over,
  });
}

/** A token endpoint that counts requests and records the form it got. */
function tokenEndpoint(expiresIn = 86400, url = TOKEN_URL) {
  const seen = { count: 0, forms: [] as URLSearchParams[], contentTypes: [] as string[] };
  server.use(
    http.post(url, async ({ request }) => {
      seen.count++;
      seen.contentTypes.push(request.headers.get('content-type') ?? '');
      seen.forms.push(new URLSearchParams(await request.text()));
      // A little latency so concurrent callers really overlap the exchange.
      await new Promise((r) => setTimeout(r, 20));
      return HttpResponse.json({ access_token: fakeJwt(seen.count), expires_in: expiresIn, token_type: 'Bearer' });
    }),
  );
  return seen;
}

describe('ClientCredentialsTokenSource', () => {
  it('sends the client_credentials form with the configured audience', async () => {
    const seen = tokenEndpoint();
    expect(await source().getToken()).toBe(fakeJwt(1));
    expect(seen.contentTypes[0]).toMatch(/application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(seen.forms[0])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-a',
      client_secret: SECRET,
      audience: 'https://api.test',
    });
  });

  it('single-flights: 1,000 concurrent callers cause one token request', async () => {
    const seen = tokenEndpoint();
    const tokens = source();
    const all = await Promise.all(Array.from({ length: 1000 }, () => tokens.getToken()));
    expect(seen.count).toBe(1);
    expect(new Set(all)).toEqual(new Set([fakeJwt(1)]));
  });

  it('keeps the token until at least 120 s before expiry, at a random point', async () => {
    const seen = tokenEndpoint(3600);
    let now = 1_000_000;
    // random() = 1: the earliest refresh, 120 s + 10% of the lifetime capped at 300 s = 420 s before expiry.
    const tokens = source({ now: () => now, random: () => 1 });
    await tokens.getToken();
    now += (3600 - 420) * 1000 - 1;
    await tokens.getToken();
    expect(seen.count).toBe(1);
    now += 2;
    // Past the refresh point the still-valid token serves at once while the refresh runs behind.
    expect(await tokens.getToken()).toBe(fakeJwt(1));
    await vi.waitFor(() => expect(seen.count).toBe(2));
    await vi.waitFor(async () => expect(await tokens.getToken()).toBe(fakeJwt(2)));
  });

  it('with random() = 0 still refreshes 120 s before expiry, never later', async () => {
    const seen = tokenEndpoint(3600);
    let now = 0;
    const tokens = source({ now: () => now, random: () => 0 });
    await tokens.getToken();
    now = (3600 - 120) * 1000;
    await tokens.getToken();
    await vi.waitFor(() => expect(seen.count).toBe(2));
  });

  it('invalidate() drops only the token it names, so a burst of 401s refreshes once', async () => {
    const seen = tokenEndpoint();
    const tokens = source();
    const first = await tokens.getToken();
    tokens.invalidate('some-older-token');
    expect(await tokens.getToken()).toBe(first);
    for (let i = 0; i < 50; i++) tokens.invalidate(first);
    const again = await Promise.all(Array.from({ length: 50 }, () => tokens.getToken()));
    expect(seen.count).toBe(2);
    expect(new Set(again)).toEqual(new Set([fakeJwt(2)]));
  });

  it('reports a refused exchange with status, error and error_description, never the secret', async () => {
    server.use(
      http.post(TOKEN_URL, () => HttpResponse.json({ error: 'invalid_client', error_description: 'client authentication failed' }, { status: 401 })),
    );
    const err = await source().getToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenError);
    const te = err as TokenError;
    expect(te.message).toBe(`token exchange at ${TOKEN_URL} failed: HTTP 401: invalid_client (client authentication failed)`);
    expect([te.status, te.oauthError, te.oauthErrorDescription]).toEqual([401, 'invalid_client', 'client authentication failed']);
    expect(JSON.stringify(te) + te.message + String(te.stack)).not.toContain(SECRET);
  });

  it('does not retry a 4xx refusal, retries 5xx and succeeds', async () => {
    let calls = 0;
    server.use(
      http.post(TOKEN_URL, () => {
        calls++;
        return calls < 3 ? HttpResponse.json({ error: 'temporarily_unavailable' }, { status: 503 }) : HttpResponse.json({ access_token: 'tok', expires_in: 60, token_type: 'Bearer' });
      }),
    );
    expect(await source().getToken()).toBe('tok');
    expect(calls).toBe(3);
  });

  it('names the network failure when the auth server is unreachable', async () => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.error()));
    await expect(source().getToken()).rejects.toThrow(/^token exchange at https:\/\/auth\.test\/oauth\/token failed: /);
  });

  it('refuses an answer without access_token, naming the field', async () => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.json({ token_type: 'Bearer', expires_in: 10 })));
    await expect(source().getToken()).rejects.toThrow(/unexpected answer: access_token/);
  });

  it('finds the token endpoint through the issuer discovery document', async () => {
    server.use(
      http.get('https://issuer.test/tenant/.well-known/openid-configuration', () =>
        HttpResponse.json({ issuer: 'https://issuer.test/tenant', token_endpoint: 'https://issuer.test/tenant/token' }),
      ),
    );
    const seen = tokenEndpoint(86400, 'https://issuer.test/tenant/token');
    const tokens = source({ tokenUrl: undefined, issuerUrl: 'https://issuer.test/tenant/' });
    expect(await tokens.getToken()).toBe(fakeJwt(1));
    expect(seen.count).toBe(1);
    expect(tokens.principal()).toEqual({ envId: 'env-1', orgId: 'org-1', name: 'spinnaker', type: undefined });
  });

  it('says so when discovery names no token endpoint', async () => {
    server.use(http.get('https://issuer.test/.well-known/openid-configuration', () => HttpResponse.json({ issuer: 'x' })));
    await expect(source({ tokenUrl: undefined, issuerUrl: 'https://issuer.test' }).getToken()).rejects.toThrow(/names no http\(s\) token_endpoint/);
  });
});

describe('ClientCredentialsTokenSource through auth-server failures', () => {
  it('keeps serving a valid token through an auth outage, until shortly before it expires', async () => {
    let up = true;
    let exchanges = 0;
    server.use(
      http.post(TOKEN_URL, () => {
        exchanges++;
        return up ? HttpResponse.json({ access_token: fakeJwt(exchanges), expires_in: 3600, token_type: 'Bearer' }) : HttpResponse.json({ error: 'temporarily_unavailable' }, { status: 503 });
      }),
    );
    let now = 0;
    const tokens = source({ now: () => now, random: () => 0 });
    const first = await tokens.getToken();
    up = false;
    // Past the refresh point (120 s before expiry) with the auth server down: calls keep working.
    now = (3600 - 100) * 1000;
    expect(await tokens.getToken()).toBe(first);
    await vi.waitFor(() => expect(exchanges).toBeGreaterThan(1));
    now = (3600 - 60) * 1000;
    expect(await tokens.getToken()).toBe(first);
    expect(tokens.hasToken).toBe(true);
    // Past its usable life the error shows.
    now = 3600 * 1000;
    await expect(tokens.getToken()).rejects.toThrow(/HTTP 503/);
    expect(tokens.hasToken).toBe(false);
  });

  it('backs off (doubling, jittered) while the auth server fails, answering callers from the last error meanwhile', async () => {
    let exchanges = 0;
    server.use(http.post(TOKEN_URL, () => (exchanges++, HttpResponse.json({ error: 'server_error' }, { status: 500 }))));
    let now = 0;
    const tokens = source({ now: () => now, random: () => 1, retry: { retries: 0, baseMs: 1, maxDelayMs: 5, sleep: noSleep() }, backoffBaseMs: 1000, backoffMaxMs: 8000 });
    await expect(tokens.getToken()).rejects.toThrow(/HTTP 500/);
    expect(exchanges).toBe(1);
    // 1,000 calls during the first backoff (1 s): no request, the last error at once.
    const during = await Promise.allSettled(Array.from({ length: 1000 }, () => tokens.getToken()));
    expect(during.every((r) => r.status === 'rejected' && /HTTP 500/.test(String(r.reason)))).toBe(true);
    expect(exchanges).toBe(1);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const before = exchanges;
      let t = now;
      // Find when the next exchange is allowed, in 100 ms steps.
      while (exchanges === before) {
        t += 100;
        now = t;
        await tokens.getToken().catch(() => undefined);
      }
      waits.push(t);
    }
    const gaps = waits.map((t, i) => t - (i ? waits[i - 1] : 0));
    // random() = 1: the upper end of each jittered window: 1 s, 2 s, 4 s, then the 8 s cap.
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('a 401 storm (every token refused) causes bounded, backed-off token requests', async () => {
    const seen = tokenEndpoint();
    let now = 0;
    const tokens = source({ now: () => now, random: () => 1, backoffBaseMs: 1000, backoffMaxMs: 8000 });
    // 20 s of calls, 100 per simulated second, each refused with 401 (the client invalidates its token).
    for (let second = 0; second < 20; second++) {
      now = second * 1000;
      for (let i = 0; i < 100; i++) {
        const token = await tokens.getToken().catch(() => undefined);
        if (token) tokens.invalidate(token);
      }
    }
    // Without backoff: one exchange per call (2,000). With it: the first refusal refreshes at
    // once, then 1, 2, 4, 8, 8 s apart.
    expect(seen.count).toBeLessThanOrEqual(7);
    expect(seen.count).toBeGreaterThanOrEqual(4);
  });

  it('an auth server that echoes the posted form never gets the secret into an error', async () => {
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        const form = await request.text();
        return HttpResponse.json({ error: 'invalid_request', error_description: `could not parse ${form} (secret ${SECRET})` }, { status: 400 });
      }),
    );
    const { Redactor } = await import('../observability/log');
    const redactor = new Redactor();
    redactor.add(SECRET);
    const err = (await source({ redact: (t) => redactor.redact(t) }).getToken().catch((e: unknown) => e)) as TokenError;
    expect(err.message).toContain('could not parse grant_type=client_credentials');
    expect(err.message).toContain('[redacted]');
    expect(err.message + String(err.oauthErrorDescription)).not.toContain(SECRET);
    expect(err.message).not.toContain(encodeURIComponent(SECRET));
  });
});
