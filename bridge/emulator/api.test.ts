import { generateKeyPair, SignJWT } from 'jose';
import { connectedAgentsSchema, PRINCIPAL_CLAIM, upstreamRoutes } from '../src/cdaas/upstream.js';
import { startEmulator, SANDBOX_CLIENT, type Emulator } from './index.js';
import { ApiClient, canaryDeployment, token, type ApiErrorJson, useEmulator } from './testkit.js';

describe('emulated REST API: authentication', () => {
  let emu: Emulator;
  let other: Emulator;
  beforeAll(async () => {
    [emu, other] = await Promise.all([startEmulator(), startEmulator()]);
  });
  afterAll(() => Promise.all([emu.close(), other.close()]));

  const agentsUrl = () => `${emu.apiUrl}${upstreamRoutes.connectedAgents.path()}`;

  it('answers 401 with Armory\'s error body when there is no Bearer token', async () => {
    const res = await fetch(agentsUrl());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const body = (await res.json()) as ApiErrorJson;
    expect(body.error_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.errors[0]!.message).toBe('No valid auth credentials found.');
  });

  it('answers 401 for garbage, for a token of another auth server and for a self-signed token', async () => {
    const foreign = await token(other); // a real token, but signed by the other emulator's key
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ [PRINCIPAL_CLAIM]: { orgId: 'o', envId: SANDBOX_CLIENT.envId, type: 'client', scopes: ['api:deployment:full'] } })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(emu.issuer)
      .setAudience(emu.audience)
      .setExpirationTime('1h')
      .sign(privateKey);
    for (const bearer of ['not-a-jwt', foreign, forged]) {
      const res = await fetch(agentsUrl(), { headers: { Authorization: `Bearer ${bearer}` } });
      expect(res.status, bearer.slice(0, 12)).toBe(401);
      expect(((await res.json()) as ApiErrorJson).errors[0]!.message).toMatch(/invalid|rejected/);
    }
  });

  it('accepts its own auth server\'s token', async () => {
    const api = new ApiClient(emu, await token(emu));
    expect((await api.get(upstreamRoutes.connectedAgents.path())).status).toBe(200);
  });

  it('answers 404 with an error body for an unknown path and 405 for a wrong method', async () => {
    const api = new ApiClient(emu, await token(emu));
    const notFound = await api.get('/nope');
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as ApiErrorJson).errors[0]!.message).toContain('/nope');
    const wrong = await api.post(upstreamRoutes.connectedAgents.path(), {});
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    // Regression: a malformed escape used to escape the router as a 500.
    const malformed = await api.get('/pipelines/%E0%A4%A');
    expect(malformed.status).toBe(400);
  });
});

describe('emulated REST API: connected agents', () => {
  let api: ApiClient;
  useEmulator({}, (_, a) => (api = a));

  it('lists the connected agents with every field Armory documents, not the disconnected one', async () => {
    const res = await api.get(upstreamRoutes.connectedAgents.path());
    expect(res.status).toBe(200);
    const raw = (await res.json()) as Record<string, unknown>[];
    const agents = connectedAgentsSchema.parse(raw);
    expect(agents.map((a) => a.agentIdentifier).sort()).toEqual(['edge-eu-central', 'legacy-onprem', 'prod-us-east', 'staging']);
    expect(Object.fromEntries(agents.map((a) => [a.agentIdentifier, a.k8sClusterRoleSupport]))).toMatchObject({ 'legacy-onprem': false, staging: true });
    for (const a of raw) {
      expect(Object.keys(a).sort()).toEqual(
        [
          'agentIdentifier', 'agentInstanceUuid', 'agentVersion', 'clientId', 'connectedAtIso8601', 'envId',
          'hubInstanceUuid', 'ipAddress', 'k8sClusterRoleSupport', 'lastHeartbeatAtIso8601', 'nodeIp', 'orgId', 'streamId',
        ].sort(),
      );
      expect(a.envId).toBe(SANDBOX_CLIENT.envId);
      expect(a.orgId).toBe(SANDBOX_CLIENT.orgId);
      expect(typeof a.k8sClusterRoleSupport).toBe('boolean');
      for (const key of ['agentInstanceUuid', 'hubInstanceUuid', 'streamId'])
        expect(a[key], key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number.isNaN(Date.parse(a.connectedAtIso8601 as string))).toBe(false);
    }
  });

  it('answers the same identifiers on every read (derived from the agent, not random)', async () => {
    const a = await api.json(api.get(upstreamRoutes.connectedAgents.path()));
    const b = await api.json(api.get(upstreamRoutes.connectedAgents.path()));
    const ids = (x: unknown) => (x as Record<string, unknown>[]).map(({ agentInstanceUuid, clientId, ipAddress }) => ({ agentInstanceUuid, clientId, ipAddress }));
    expect(ids(b)).toEqual(ids(a));
    expect(new Set(ids(a).map((i) => i.agentInstanceUuid)).size).toBe(4);
  });

  it('filters by agent-identifier and answers [] for a disconnected or unknown agent', async () => {
    const one = connectedAgentsSchema.parse(await api.json(api.get(`${upstreamRoutes.connectedAgents.path()}?agent-identifier=staging`)));
    expect(one.map((a) => a.agentIdentifier)).toEqual(['staging']);
    expect(await api.json(api.get(`${upstreamRoutes.connectedAgents.path()}?agent-identifier=dr-eu-west`))).toEqual([]);
    expect(await api.json(api.get(`${upstreamRoutes.connectedAgents.path()}?agent-identifier=nope`))).toEqual([]);
  });

  it('shows a client of another environment none of this environment\'s agents', async () => {
    const emu2 = await startEmulator({ clients: [SANDBOX_CLIENT, { clientId: 'b', clientSecret: 'b-secret', envId: 'env-b' }] });
    try {
      const res = await fetch(emu2.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'b', client_secret: 'b-secret', audience: emu2.audience }),
      });
      const { access_token } = (await res.json()) as { access_token: string };
      const other = new ApiClient(emu2, access_token);
      expect(await other.json(other.get(upstreamRoutes.connectedAgents.path()))).toEqual([]);
    } finally {
      await emu2.close();
    }
  });

  it('answers 403 to a credential without read:infrastructure:data when it reads the agents\' cache', async () => {
    const emu2 = await startEmulator({ clients: [{ ...SANDBOX_CLIENT, scopes: ['api:deployment:full'] }] });
    try {
      const deployer = new ApiClient(emu2, await token(emu2));
      const res = await deployer.get(upstreamRoutes.cacheNamespaces.path({ agent: 'staging' }));
      expect(res.status).toBe(403);
      expect(((await res.json()) as ApiErrorJson).errors[0]!.message).toBe('the credential lacks the read:infrastructure:data scope');
      expect((await deployer.get(upstreamRoutes.connectedAgents.path())).status).toBe(200);
    } finally {
      await emu2.close();
    }
  });

  it('answers 403 to a credential without the deployment scope when it starts a deployment', async () => {
    const emu2 = await startEmulator({ clients: [{ ...SANDBOX_CLIENT, scopes: ['api:organization:read'] }] });
    try {
      const reader = new ApiClient(emu2, await token(emu2));
      expect((await reader.get(upstreamRoutes.connectedAgents.path())).status).toBe(200);
      const res = await reader.start(canaryDeployment());
      expect(res.status).toBe(403);
      expect(((await res.json()) as ApiErrorJson).errors[0]!.message).toContain('api:deployment:full');
    } finally {
      await emu2.close();
    }
  });
});
