import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError, loadConfig, orcaUrlRestrictionWarnings } from './config';

const dir = mkdtempSync(join(tmpdir(), 'bridge-config-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const SECRET = 'the-client-secret-123';

function problems(env: Record<string, string>, path?: string): string[] {
  try {
    loadConfig(env, path);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).not.toContain(SECRET);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has defaults for everything but the client id and secret', () => {
    const c = loadConfig({ CDAAS_CLIENT_ID: 'id', CDAAS_CLIENT_SECRET: SECRET });
    expect(c.cdaas).toMatchObject({
      clientId: 'id',
      clientSecret: SECRET,
      tokenUrl: 'https://auth.cloud.armory.io/oauth/token',
      audience: 'https://api.cloud.armory.io',
      apiBaseUrl: 'https://api.cloud.armory.io',
    });
    expect(c.read).toMatchObject({ host: '0.0.0.0', port: 7001, cacheTtlMs: 5000 });
    expect(c.deploy).toMatchObject({ host: '0.0.0.0', port: 7002, allowedCidrs: [] });
    expect(c.artifacts).toMatchObject({ allowedHosts: [], githubApiHosts: ['api.github.com'], allowHttp: false });
  });

  it('reads a YAML file and lets env win', () => {
    const path = file(
      'a.yml',
      'cdaas:\n  clientId: from-file\n  issuerUrl: https://issuer.example.com\nread:\n  port: 9001\n  cacheTtlMs: 2000\ndeploy:\n  publicBaseUrl: http://cdaas-bridge.spinnaker.svc:7002/\n  allowedCidrs: [10.0.0.0/8]\n',
    );
    const c = loadConfig({ CDAAS_CLIENT_SECRET: SECRET, BRIDGE_READ_PORT: '7101', BRIDGE_DEPLOY_ALLOWED_CIDRS: '10.1.0.0/16, 10.2.0.0/16' }, path);
    expect(c.cdaas.clientId).toBe('from-file');
    expect(c.cdaas.tokenUrl).toBeUndefined();
    expect(c.cdaas.issuerUrl).toBe('https://issuer.example.com');
    expect(c.read).toMatchObject({ port: 7101, cacheTtlMs: 2000 });
    expect(c.deploy).toMatchObject({ publicBaseUrl: 'http://cdaas-bridge.spinnaker.svc:7002', allowedCidrs: ['10.1.0.0/16', '10.2.0.0/16'] });
  });

  it('reads the secret from CDAAS_CLIENT_SECRET_FILE', () => {
    const c = loadConfig({ CDAAS_CLIENT_ID: 'id', CDAAS_CLIENT_SECRET_FILE: file('secret', `${SECRET}\n`) });
    expect(c.cdaas.clientSecret).toBe(SECRET);
  });

  it('names every missing or bad setting at once, with its env var', () => {
    expect(problems({ BRIDGE_READ_PORT: '70000', BRIDGE_DEPLOY_ALLOWED_CIDRS: '10.0.0.0/33', CDAAS_API_BASE_URL: 'ftp://x' })).toEqual([
      'cdaas.clientId (env CDAAS_CLIENT_ID): is required',
      'cdaas.apiBaseUrl (env CDAAS_API_BASE_URL): must be an absolute http(s) URL without credentials',
      'read.port (env BRIDGE_READ_PORT): Too big: expected number to be <=65535',
      'deploy.allowedCidrs.0 (env BRIDGE_DEPLOY_ALLOWED_CIDRS): must be a CIDR such as 10.0.0.0/8 or fd00::/8',
    ]);
    expect(problems({ CDAAS_CLIENT_ID: 'id' })).toEqual(['client secret is missing: set env CDAAS_CLIENT_SECRET or CDAAS_CLIENT_SECRET_FILE']);
    expect(problems({ CDAAS_CLIENT_ID: 'id', CDAAS_CLIENT_SECRET_FILE: join(dir, 'nope') })).toEqual([
      `CDAAS_CLIENT_SECRET_FILE: cannot read ${join(dir, 'nope')} (ENOENT)`,
    ]);
  });

  it('refuses a secret in the config file without echoing it, and unknown keys', () => {
    const path = file('b.yml', `cdaas:\n  clientId: id\n  clientSecret: ${SECRET}\n  tokenURL: https://x\n`);
    expect(problems({}, path)).toEqual([
      'cdaas.clientSecret must not be in the config file: use env CDAAS_CLIENT_SECRET or CDAAS_CLIENT_SECRET_FILE',
      'cdaas: unknown setting(s) tokenURL',
    ]);
  });

  it('reports a broken config file', () => {
    expect(problems({}, file('c.yml', 'cdaas: [\n'))[0]).toMatch(/^config file .*c\.yml: /);
  });
});

describe('orcaUrlRestrictionWarnings', () => {
  it.each([
    ['http://cdaas-bridge.spinnaker.svc:7002', 0],
    ['http://cdaas-bridge.spinnaker.svc.cluster.local:7002', 1],
    ['http://cdaas-bridge:7002', 1],
    ['http://10.0.0.4:7002', 1],
    ['http://localhost:7002', 1],
    ['http://bridge.corp.internal', 1],
  ])('%s -> %i warning(s)', (url, count) => {
    expect(orcaUrlRestrictionWarnings(url)).toHaveLength(count);
  });
});

describe('loadConfig: the state store', () => {
  const base = { CDAAS_CLIENT_ID: 'id', CDAAS_CLIENT_SECRET: SECRET };

  it('defaults to the in-memory store, claims of 5 minutes and entries of a day', () => {
    expect(loadConfig(base).state).toEqual({ store: 'memory', redis: undefined, claimTtlMs: 300_000, startWaitMs: 20_000, entryTtlMs: 86_400_000 });
  });

  it('reads Redis from the file and env: URL, TLS with a CA, password from a file, key prefix', () => {
    const password = file('redis-password', 'redis-pass-xyz\n');
    const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const path = file('state.yml', `state:\n  store: redis\n  redis:\n    url: rediss://spin-redis.spinnaker.svc:6380/2\n    passwordFile: ${password}\n    tlsCaFile: ${ca}\n`);
    const c = loadConfig({ ...base, BRIDGE_REDIS_KEY_PREFIX: 'mine:' }, path);
    expect(c.state.store).toBe('redis');
    expect(c.state.redis).toEqual({
      url: 'rediss://spin-redis.spinnaker.svc:6380/2',
      username: undefined,
      password: 'redis-pass-xyz',
      tls: { ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
      keyPrefix: 'mine:',
      commandTimeoutMs: 2000,
    });
    expect(loadConfig({ ...base, BRIDGE_STATE_STORE: 'redis', BRIDGE_REDIS_URL: 'redis://r:6379' }).state.redis).toMatchObject({ tls: undefined, keyPrefix: 'cdaas-bridge:' });
  });

  it('names what is wrong: no URL, a password in the URL (never echoed), a missing password file, a claim shorter than a start', () => {
    expect(problems({ ...base, BRIDGE_STATE_STORE: 'redis' })).toEqual(['state.redis.url (env BRIDGE_REDIS_URL): is required when state.store is redis']);
    const bad = problems({ ...base, BRIDGE_STATE_STORE: 'redis', BRIDGE_REDIS_URL: 'redis://:hunter22@r:6379' });
    expect(bad).toEqual(['state.redis.url (env BRIDGE_REDIS_URL): must be redis://host:port[/db] or rediss://... (TLS), without a password (use state.redis.passwordFile)']);
    expect(bad.join()).not.toContain('hunter22');
    expect(problems({ ...base, BRIDGE_STATE_STORE: 'redis', BRIDGE_REDIS_URL: 'redis://r', BRIDGE_REDIS_PASSWORD_FILE: join(dir, 'nope') })).toEqual([
      `state.redis.passwordFile (env BRIDGE_REDIS_PASSWORD_FILE): cannot read ${join(dir, 'nope')} (ENOENT)`,
    ]);
    expect(problems({ ...base, BRIDGE_STATE_STORE: 'mongo' })[0]).toMatch(/^state\.store \(env BRIDGE_STATE_STORE\): /);
    expect(problems({ ...base, BRIDGE_STATE_CLAIM_TTL_MS: '60000' })).toEqual([
      'state.claimTtlMs (env BRIDGE_STATE_CLAIM_TTL_MS): 60000 ms is not longer than the slowest start these settings allow (140000 ms: cdaas.timeoutMs x (retries + 1) + retryMaxDelayMs x retries + artifacts.timeoutMs)',
    ]);
  });
});
