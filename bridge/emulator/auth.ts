/**
 * The emulated auth server (auth.cloud.armory.io): a real OAuth2/OIDC authorization server,
 * oidc-provider 9, configured for the client_credentials grant the way Armory's is used:
 * `POST /oauth/token` with `grant_type`, `client_id`, `client_secret` and `audience` (not
 * `resource`), answering an RS256 JWT access token that carries Armory's principal claim.
 */
import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Adapter, AdapterPayload, Configuration, Provider as ProviderType } from 'oidc-provider';
import { PRINCIPAL_CLAIM } from '../src/cdaas/upstream.js';
import type { FaultSet } from './faults.js';
import { listenOn, sendJson } from './http.js';
import type { EmulatorClient, EmulatorStats } from './types.js';

export const TOKEN_PATH = '/oauth/token';
export const JWKS_PATH = '/.well-known/jwks.json';

export interface ResolvedClient extends Required<Omit<EmulatorClient, 'clientSecret'>> {
  clientSecret: string;
  orgName: string;
}

export interface AuthServer {
  server: Server;
  issuer: string;
  /** The public signing keys, as served at JWKS_PATH; the API verifies tokens against them. */
  publicJwks: { keys: JWK[] };
  close(): Promise<void>;
}

/**
 * oidc-provider prints "Unsupported runtime" on import under Node 20 (it is tested on 22+; the
 * client_credentials path used here works on 20, see shared/reference/toolchain.md). That one
 * line is filtered out; every other warning still reaches the console.
 */
let providerModule: Promise<typeof import('oidc-provider')> | undefined;
function loadProvider(): Promise<typeof import('oidc-provider')> {
  if (!providerModule) {
    const original = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
      original(...args);
    };
    providerModule = import('oidc-provider').finally(() => {
      console.warn = original;
    });
  }
  return providerModule;
}

/** A small in-memory adapter; the built-in one works too but prints a development-only warning. */
function memoryAdapterFactory(): (name: string) => Adapter {
  const store = new Map<string, { payload: AdapterPayload; expiresAt?: number }>();
  return (name: string): Adapter => {
    const key = (id: string) => `${name}:${id}`;
    const get = (id: string) => {
      const entry = store.get(key(id));
      if (!entry) return undefined;
      if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
        store.delete(key(id));
        return undefined;
      }
      return entry.payload;
    };
    return {
      async upsert(id, payload, expiresIn) {
        store.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
      },
      async find(id) {
        return get(id);
      },
      async findByUserCode() {
        return undefined;
      },
      async findByUid() {
        return undefined;
      },
      async consume(id) {
        const payload = get(id);
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const [k, v] of store) if (v.payload.grantId === grantId) store.delete(k);
      },
    };
  };
}

export async function startAuthServer(opts: {
  host: string;
  port: number;
  clients: ResolvedClient[];
  audience: string;
  tokenTtlSeconds: number;
  faults: FaultSet;
  stats: EmulatorStats;
}): Promise<AuthServer> {
  const { Provider, errors } = await loadProvider();

  // Listen first: the issuer must name the real (possibly ephemeral) port.
  let handler: ReturnType<ProviderType["callback"]> | undefined;
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://emulator').pathname;
    opts.stats.requestsByPath.set(pathname, (opts.stats.requestsByPath.get(pathname) ?? 0) + 1);
    if (pathname === TOKEN_PATH) opts.stats.tokenRequests += 1;
    void opts.faults
      .apply('auth', req, res, pathname)
      .then((handled) => {
        if (!handled) handler!(req, res);
      })
      .catch(() => {
        if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
      });
  });
  const issuer = await listenOn(server, opts.host, opts.port, 'auth server');

  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };

  const byId = new Map(opts.clients.map((c) => [c.clientId, c]));
  const scope = [...new Set(opts.clients.flatMap((c) => c.scopes))].join(' ');

  const configuration: Configuration = {
    adapter: memoryAdapterFactory(),
    clients: opts.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    // Armory's clients post the secret in the form (client_secret_post); basic auth is accepted too.
    clientAuthMethods: ['client_secret_post', 'client_secret_basic'],
    jwks: { keys: [privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clientBasedCORS: () => false,
    routes: { token: TOKEN_PATH, jwks: JWKS_PATH },
    ttl: { AccessToken: opts.tokenTtlSeconds, ClientCredentials: opts.tokenTtlSeconds },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: false },
      revocation: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // Armory's clients name the API with `audience=` (Auth0 style), not RFC 8707 `resource=`.
        defaultResource: (ctx) => {
          const audience = ctx.oidc.body?.audience;
          return typeof audience === 'string' && audience ? audience : opts.audience;
        },
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => {
          if (resourceIndicator !== opts.audience) {
            throw new errors.InvalidTarget(`unknown audience; this server issues tokens for ${opts.audience}`);
          }
          return {
            scope,
            audience: opts.audience,
            accessTokenTTL: opts.tokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const client = token.clientId ? byId.get(token.clientId) : undefined;
      if (!client) return undefined;
      return {
        [PRINCIPAL_CLAIM]: {
          type: 'client',
          name: client.name,
          orgId: client.orgId,
          orgName: client.orgName,
          envId: client.envId,
          scopes: client.scopes,
          roles: ['Deployments Full Access'],
        },
      };
    },
  };

  const provider = new Provider(issuer, configuration);
  handler = provider.callback();

  return {
    server,
    issuer,
    publicJwks: { keys: [publicJwk] },
    close: () => closeServer(server),
  };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
