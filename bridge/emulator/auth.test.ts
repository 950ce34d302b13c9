import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { PRINCIPAL_CLAIM, tokenAnswerSchema, oauthErrorSchema } from '../src/cdaas/upstream.js';
import { startEmulator, SANDBOX_CLIENT, type Emulator } from './index.js';
import { requestToken } from './testkit.js';

describe('emulated auth server (oidc-provider, client_credentials)', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      clients: [
        { ...SANDBOX_CLIENT },
        { clientId: 'other-env-client', clientSecret: 'other-secret', orgId: 'org-2', envId: 'env-2' },
      ],
      tokenTtlSeconds: 3600,
    });
  });
  afterAll(() => emu.close());

  it('publishes a discovery document naming the /oauth/token endpoint and the JWKS', async () => {
    const res = await fetch(`${emu.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(emu.issuer);
    expect(doc.token_endpoint).toBe(emu.tokenUrl);
    expect(emu.tokenUrl).toBe(`${emu.issuer}/oauth/token`);
    expect(doc.grant_types_supported).toContain('client_credentials');
    expect(doc.token_endpoint_auth_methods_supported).toContain('client_secret_post');
    expect(typeof doc.jwks_uri).toBe('string');
    const jwks = (await (await fetch(doc.jwks_uri as string)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d'); // never the private part
  });

  it('issues an RS256 JWT for audience= that verifies against the JWKS, with Armory principal claim', async () => {
    const res = await requestToken(emu);
    expect(res.status).toBe(200);
    const answer = tokenAnswerSchema.parse(await res.json());
    expect(answer.token_type).toBe('Bearer');
    expect(answer.expires_in).toBe(3600);

    expect(decodeProtectedHeader(answer.access_token).alg).toBe('RS256');
    const jwks = createRemoteJWKSet(new URL(`${emu.issuer}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(answer.access_token, jwks, { issuer: emu.issuer, audience: 'https://api.cloud.armory.io' });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.client_id).toBe(SANDBOX_CLIENT.clientId);
    expect(payload[PRINCIPAL_CLAIM]).toEqual({
      type: 'client',
      name: SANDBOX_CLIENT.name,
      orgId: SANDBOX_CLIENT.orgId,
      orgName: 'Emulator Org',
      envId: SANDBOX_CLIENT.envId,
      scopes: ['api:deployment:full', 'read:infrastructure:data'],
      roles: ['Deployments Full Access'],
    });
  });

  it('puts each client\'s own org and environment in its token', async () => {
    const res = await requestToken(emu, { client_id: 'other-env-client', client_secret: 'other-secret' });
    const { access_token } = tokenAnswerSchema.parse(await res.json());
    const jwks = createRemoteJWKSet(new URL(`${emu.issuer}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(access_token, jwks, { audience: emu.audience });
    expect(payload[PRINCIPAL_CLAIM]).toMatchObject({ orgId: 'org-2', envId: 'env-2', name: 'other-env-client' });
  });

  it('refuses a token verified against the wrong audience (the aud claim is really checked)', async () => {
    const { access_token } = tokenAnswerSchema.parse(await (await requestToken(emu)).json());
    const jwks = createRemoteJWKSet(new URL(`${emu.issuer}/.well-known/jwks.json`));
    await expect(jwtVerify(access_token, jwks, { audience: 'https://elsewhere.example' })).rejects.toThrow(/aud/);
  });

  it('answers 401 invalid_client for a wrong secret and for an unknown client', async () => {
    for (const fields of [{ client_secret: 'wrong' }, { client_id: 'nobody', client_secret: 'x' }]) {
      const res = await requestToken(emu, fields);
      expect(res.status).toBe(401);
      const body = oauthErrorSchema.parse(await res.json());
      expect(body.error).toBe('invalid_client');
      expect(JSON.stringify(body)).not.toContain(SANDBOX_CLIENT.clientSecret);
    }
  });

  it('answers 400 invalid_target for an audience it does not serve', async () => {
    const res = await requestToken(emu, { audience: 'https://api.example.com' });
    expect(res.status).toBe(400);
    const body = oauthErrorSchema.parse(await res.json());
    expect(body.error).toBe('invalid_target');
    expect(body.error_description).toContain('https://api.cloud.armory.io');
  });

  it('answers 400 unsupported_grant_type for a grant other than client_credentials', async () => {
    const res = await requestToken(emu, { grant_type: 'password' });
    expect(res.status).toBe(400);
    expect(oauthErrorSchema.parse(await res.json()).error).toBe('unsupported_grant_type');
  });

  it('counts token requests', async () => {
    const before = emu.stats.tokenRequests;
    await requestToken(emu);
    expect(emu.stats.tokenRequests).toBe(before + 1);
    expect(emu.stats.requestsByPath.get('/oauth/token')).toBeGreaterThan(0);
  });
});

describe('token expiry', () => {
  let emu: Emulator;
  // The API's clock: real until a test sets it.
  let clockMs: number | undefined;
  beforeAll(async () => {
    emu = await startEmulator({ tokenTtlSeconds: 1, now: () => clockMs ?? Date.now() });
  });
  afterAll(() => emu.close());

  it('regression (flaky under load: the 1 s token was judged on the wall clock, so a slow first call or poll decided the outcome): expires_in and exp follow tokenTtlSeconds, and the API accepts the token until exp and refuses it from exp on', async () => {
    const answer = tokenAnswerSchema.parse(await (await requestToken(emu)).json());
    expect(answer.expires_in).toBe(1);
    const jwks = createRemoteJWKSet(new URL(`${emu.issuer}/.well-known/jwks.json`));
    // Verified as of its own issue time: this check must not depend on how long the request took either.
    const { payload } = await jwtVerify(answer.access_token, jwks, { audience: emu.audience, currentDate: new Date(decodeJwt(answer.access_token).iat! * 1000) });
    expect(payload.exp! - payload.iat!).toBe(1);

    const call = () => fetch(`${emu.apiUrl}/identity/connected-agents`, { headers: { Authorization: `Bearer ${answer.access_token}` } });
    // The API's clock, not the time the requests happen to land, decides: at issue and in exp's last millisecond it accepts...
    for (const at of [payload.iat! * 1000, payload.exp! * 1000 - 1]) {
      clockMs = at;
      expect((await call()).status, `at ${at - payload.iat! * 1000} ms after issue`).toBe(200);
    }
    // ...and from exp on it refuses, saying why.
    clockMs = payload.exp! * 1000;
    const res = await call();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    const body = (await res.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toBe('token is expired');
    clockMs = undefined;
  });
});

