/**
 * The bridge's one configuration: a YAML or JSON file (optional) overlaid by environment variables
 * (env wins). The client secret comes only from CDAAS_CLIENT_SECRET or a file named by
 * CDAAS_CLIENT_SECRET_FILE (or `cdaas.clientSecretFile`): config files tend to end up in
 * ConfigMaps and repositories, secrets must not.
 *
 * Every problem is reported at once, each naming the setting (file key and env var), never the
 * secret's value.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import { checkOrcaUrl, ORCA_DEFAULT_RULES } from '@cdaas/contract/orcaUrlRules';
import { DEFAULT_AGENT_HUB_URL, DEFAULT_API_BASE_URL, DEFAULT_AUDIENCE, DEFAULT_CONSOLE_URL, DEFAULT_GITHUB_URL, DEFAULT_TOKEN_URL } from '../cdaas/upstream';

export const DEFAULT_READ_PORT = 7001;
export const DEFAULT_DEPLOY_PORT = 7002;

export interface ArtifactCredential {
  /** Host (optionally host:port) the credential is sent to, and only to it. */
  host: string;
  type: 'bearer' | 'basic';
  username?: string;
  /** Bearer token or basic password. Never logged. */
  secret: string;
}

export interface BridgeConfig {
  cdaas: {
    clientId: string;
    clientSecret: string;
    /** Exactly one of tokenUrl / issuerUrl is used; tokenUrl wins when both are set. */
    tokenUrl?: string;
    issuerUrl?: string;
    audience: string;
    apiBaseUrl: string;
    consoleBaseUrl: string;
    /** Overrides the envId read from the token's principal claim (only used for console links). */
    envId?: string;
    timeoutMs: number;
    retries: number;
    retryBaseMs: number;
    retryMaxDelayMs: number;
    /** Between failed token exchanges (and repeated 401s): doubling from base, jittered, capped. */
    tokenBackoffBaseMs: number;
    tokenBackoffMaxMs: number;
  };
  read: {
    host: string;
    port: number;
    cacheTtlMs: number;
    maxBodyBytes: number;
    allowedCidrs: string[];
    /** Reads fail fast (Deck polls again); deploys retry patiently. */
    upstreamRetries: number;
    upstreamMaxRetryDelayMs: number;
  };
  deploy: {
    host: string;
    port: number;
    /** Absolute base URL Orca uses to reach the deploy listener; statusUrl is built from it. */
    publicBaseUrl?: string;
    allowedCidrs: string[];
    maxBodyBytes: number;
  };
  artifacts: {
    /** Hosts http/file artifacts may be fetched from (`host`, `host:port` or `*.domain`). */
    allowedHosts: string[];
    /** GitHub API hosts github/file artifacts may be fetched from. */
    githubApiHosts: string[];
    githubToken?: string;
    credentials: ArtifactCredential[];
    maxBytes: number;
    timeoutMs: number;
    /** Plain http is refused unless this is set (tests, in-cluster artifact servers). */
    allowHttp: boolean;
  };
  state: {
    /** memory: one replica only; redis: any number of replicas, kept across restarts. */
    store: 'memory' | 'redis';
    redis?: {
      url: string;
      username?: string;
      /** Read from `passwordFile`; never logged. */
      password?: string;
      /** TLS: a `rediss://` URL or `tls: true`; `ca` from `tlsCaFile` (a private CA). */
      tls?: { ca?: string; servername?: string };
      keyPrefix: string;
      commandTimeoutMs: number;
    };
    /** How long a start claim lives: longer than the slowest start, retries included. */
    claimTtlMs: number;
    /** How long a duplicate start waits for another replica's start before answering 503. */
    startWaitMs: number;
    entryTtlMs: number;
  };
  log: { level: 'debug' | 'info' | 'warn' | 'error' };
  /** What `cdaas-preflight` and `GET /v1/preflight` check beyond the endpoints above. */
  preflight: {
    agentHubUrl: string;
    githubUrl: string;
    /** repositories.json (or plugins.json) Spinnaker reads the plugin from; default: this plugin's. */
    pluginRepositoryUrl?: string;
    pluginId?: string;
    /** The version Gate pins (deck-proxy.plugins.<id>.version); default: the newest. */
    pluginVersion?: string;
    /** Spinnaker config files for check-config's checks (none: not checked). */
    spinnakerConfigFiles: string[];
    /** Per check step; the whole run stays under 10 s. */
    timeoutMs: number;
    /** TTL of the read listener's preflight answer. */
    cacheTtlMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`bridge configuration is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Env var -> dotted config key. Lists are comma separated. */
export const ENV_KEYS: Record<string, string> = {
  CDAAS_CLIENT_ID: 'cdaas.clientId',
  CDAAS_TOKEN_URL: 'cdaas.tokenUrl',
  CDAAS_ISSUER_URL: 'cdaas.issuerUrl',
  CDAAS_AUDIENCE: 'cdaas.audience',
  CDAAS_API_BASE_URL: 'cdaas.apiBaseUrl',
  CDAAS_CONSOLE_BASE_URL: 'cdaas.consoleBaseUrl',
  CDAAS_ENV_ID: 'cdaas.envId',
  CDAAS_TIMEOUT_MS: 'cdaas.timeoutMs',
  CDAAS_RETRIES: 'cdaas.retries',
  CDAAS_RETRY_BASE_MS: 'cdaas.retryBaseMs',
  CDAAS_RETRY_MAX_DELAY_MS: 'cdaas.retryMaxDelayMs',
  CDAAS_TOKEN_BACKOFF_BASE_MS: 'cdaas.tokenBackoffBaseMs',
  CDAAS_TOKEN_BACKOFF_MAX_MS: 'cdaas.tokenBackoffMaxMs',
  BRIDGE_READ_HOST: 'read.host',
  BRIDGE_READ_PORT: 'read.port',
  BRIDGE_READ_CACHE_TTL_MS: 'read.cacheTtlMs',
  BRIDGE_READ_MAX_BODY_BYTES: 'read.maxBodyBytes',
  BRIDGE_READ_ALLOWED_CIDRS: 'read.allowedCidrs',
  BRIDGE_READ_UPSTREAM_RETRIES: 'read.upstreamRetries',
  BRIDGE_READ_UPSTREAM_MAX_RETRY_DELAY_MS: 'read.upstreamMaxRetryDelayMs',
  BRIDGE_DEPLOY_HOST: 'deploy.host',
  BRIDGE_DEPLOY_PORT: 'deploy.port',
  BRIDGE_DEPLOY_PUBLIC_URL: 'deploy.publicBaseUrl',
  BRIDGE_DEPLOY_ALLOWED_CIDRS: 'deploy.allowedCidrs',
  BRIDGE_DEPLOY_MAX_BODY_BYTES: 'deploy.maxBodyBytes',
  BRIDGE_ARTIFACT_ALLOWED_HOSTS: 'artifacts.allowedHosts',
  BRIDGE_ARTIFACT_GITHUB_API_HOSTS: 'artifacts.githubApiHosts',
  BRIDGE_ARTIFACT_MAX_BYTES: 'artifacts.maxBytes',
  BRIDGE_ARTIFACT_TIMEOUT_MS: 'artifacts.timeoutMs',
  BRIDGE_ARTIFACT_ALLOW_HTTP: 'artifacts.allowHttp',
  BRIDGE_STATE_STORE: 'state.store',
  BRIDGE_REDIS_URL: 'state.redis.url',
  BRIDGE_REDIS_USERNAME: 'state.redis.username',
  BRIDGE_REDIS_PASSWORD_FILE: 'state.redis.passwordFile',
  BRIDGE_REDIS_TLS: 'state.redis.tls',
  BRIDGE_REDIS_TLS_CA_FILE: 'state.redis.tlsCaFile',
  BRIDGE_REDIS_TLS_SERVERNAME: 'state.redis.tlsServername',
  BRIDGE_REDIS_KEY_PREFIX: 'state.redis.keyPrefix',
  BRIDGE_REDIS_COMMAND_TIMEOUT_MS: 'state.redis.commandTimeoutMs',
  BRIDGE_STATE_CLAIM_TTL_MS: 'state.claimTtlMs',
  BRIDGE_STATE_START_WAIT_MS: 'state.startWaitMs',
  BRIDGE_STATE_ENTRY_TTL_MS: 'state.entryTtlMs',
  LOG_LEVEL: 'log.level',
  CDAAS_AGENT_HUB_URL: 'preflight.agentHubUrl',
  PREFLIGHT_GITHUB_URL: 'preflight.githubUrl',
  PREFLIGHT_PLUGIN_REPOSITORY_URL: 'preflight.pluginRepositoryUrl',
  PREFLIGHT_PLUGIN_ID: 'preflight.pluginId',
  PREFLIGHT_PLUGIN_VERSION: 'preflight.pluginVersion',
  PREFLIGHT_SPINNAKER_CONFIG_FILES: 'preflight.spinnakerConfigFiles',
  PREFLIGHT_TIMEOUT_MS: 'preflight.timeoutMs',
  PREFLIGHT_CACHE_TTL_MS: 'preflight.cacheTtlMs',
};
const LIST_KEYS = new Set(['read.allowedCidrs', 'deploy.allowedCidrs', 'artifacts.allowedHosts', 'artifacts.githubApiHosts', 'preflight.spinnakerConfigFiles']);
const envNameOf = (key: string) => Object.entries(ENV_KEYS).find(([, k]) => k === key)?.[0];

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL without credentials');

const cidr = z.string().refine(isCidr, 'must be a CIDR such as 10.0.0.0/8 or fd00::/8');
const port = z.coerce.number().int().min(0).max(65535);
const positive = z.coerce.number().int().positive();
const boolish = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1')]);

const fileSchema = z
  .object({
    cdaas: z
      .object({
        clientId: z.string().min(1, 'is empty'),
        clientSecretFile: z.string().optional(),
        tokenUrl: httpUrl.optional(),
        issuerUrl: httpUrl.optional(),
        audience: z.string().min(1).default(DEFAULT_AUDIENCE),
        apiBaseUrl: httpUrl.default(DEFAULT_API_BASE_URL),
        consoleBaseUrl: httpUrl.default(DEFAULT_CONSOLE_URL),
        envId: z.string().min(1).optional(),
        timeoutMs: positive.default(10_000),
        retries: z.coerce.number().int().min(0).max(10).default(3),
        retryBaseMs: positive.default(200),
        retryMaxDelayMs: positive.default(30_000),
        tokenBackoffBaseMs: positive.default(1_000),
        tokenBackoffMaxMs: positive.default(60_000),
      })
      .strict(),
    read: z
      .object({
        host: z.string().min(1).default('0.0.0.0'),
        port: port.default(DEFAULT_READ_PORT),
        cacheTtlMs: z.coerce.number().int().min(0).default(5_000),
        maxBodyBytes: positive.default(16 * 1024),
        allowedCidrs: z.array(cidr).default([]),
        upstreamRetries: z.coerce.number().int().min(0).max(10).default(1),
        upstreamMaxRetryDelayMs: positive.default(2_000),
      })
      .strict()
      .prefault({}),
    deploy: z
      .object({
        host: z.string().min(1).default('0.0.0.0'),
        port: port.default(DEFAULT_DEPLOY_PORT),
        publicBaseUrl: httpUrl.optional(),
        allowedCidrs: z.array(cidr).default([]),
        maxBodyBytes: positive.default(4 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    artifacts: z
      .object({
        allowedHosts: z.array(z.string().regex(/^(\*\.)?[a-z0-9.-]+(:\d+)?$/i, 'must be host, host:port or *.domain')).default([]),
        githubApiHosts: z.array(z.string().min(1)).default(['api.github.com']),
        githubTokenFile: z.string().optional(),
        credentials: z
          .array(
            z
              .object({
                host: z.string().min(1),
                type: z.enum(['bearer', 'basic']),
                username: z.string().optional(),
                secretFile: z.string().min(1),
              })
              .strict(),
          )
          .default([]),
        maxBytes: positive.default(1024 * 1024),
        timeoutMs: positive.default(10_000),
        allowHttp: boolish.default(false),
      })
      .strict()
      .prefault({}),
    state: z
      .object({
        store: z.enum(['memory', 'redis']).default('memory'),
        redis: z
          .object({
            url: z.string().refine((u) => {
              try {
                const url = new URL(u);
                return (url.protocol === 'redis:' || url.protocol === 'rediss:') && !url.password;
              } catch {
                return false;
              }
            }, 'must be redis://host:port[/db] or rediss://... (TLS), without a password (use state.redis.passwordFile)'),
            username: z.string().min(1).optional(),
            passwordFile: z.string().min(1).optional(),
            tls: boolish.default(false),
            tlsCaFile: z.string().min(1).optional(),
            tlsServername: z.string().min(1).optional(),
            keyPrefix: z.string().min(1).default('cdaas-bridge:'),
            commandTimeoutMs: positive.default(2_000),
          })
          .strict()
          .optional(),
        claimTtlMs: positive.default(300_000),
        startWaitMs: positive.default(20_000),
        entryTtlMs: positive.default(24 * 3600_000),
      })
      .strict()
      .prefault({}),
    log: z
      .object({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') })
      .strict()
      .prefault({}),
    preflight: z
      .object({
        agentHubUrl: httpUrl.default(DEFAULT_AGENT_HUB_URL),
        githubUrl: httpUrl.default(DEFAULT_GITHUB_URL),
        pluginRepositoryUrl: httpUrl.optional(),
        pluginId: z.string().regex(/^[\w-]+\.[\w-]+$/, 'must be <namespace>.<name>, e.g. Armory.CDaaSSpinnaker').optional(),
        pluginVersion: z.string().min(1).optional(),
        spinnakerConfigFiles: z.array(z.string().min(1)).default([]),
        timeoutMs: z.coerce.number().int().min(100).max(9_000).default(4_000),
        cacheTtlMs: z.coerce.number().int().min(0).default(30_000),
      })
      .strict()
      .prefault({}),
  })
  .strict();

function setPath(obj: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

function getPath(obj: unknown, path: PropertyKey[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

function describeKey(path: PropertyKey[]): string {
  const key = path.map(String).join('.');
  const env = envNameOf(key.replace(/\.\d+$/, ''));
  return env ? `${key} (env ${env})` : key;
}

function readSecretFile(path: string, setting: string, problems: string[]): string | undefined {
  try {
    const value = readFileSync(path, 'utf8').trim();
    if (!value) problems.push(`${setting}: file ${path} is empty`);
    return value || undefined;
  } catch (err) {
    problems.push(`${setting}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

/**
 * Loads and checks the configuration. `filePath` defaults to env BRIDGE_CONFIG_FILE. Throws a
 * ConfigError listing every bad or missing setting.
 */
export function loadConfig(env: Env = process.env, filePath: string | undefined = env.BRIDGE_CONFIG_FILE): BridgeConfig {
  const problems: string[] = [];
  let raw: Record<string, unknown> = {};
  if (filePath) {
    try {
      const parsed: unknown = parseYaml(readFileSync(filePath, 'utf8'));
      if (parsed != null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
        problems.push(`config file ${filePath}: must be a mapping`);
      } else raw = (parsed ?? {}) as Record<string, unknown>;
    } catch (err) {
      problems.push(`config file ${filePath}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  const cdaasRaw = (raw.cdaas ?? {}) as Record<string, unknown>;
  if (typeof cdaasRaw === 'object' && 'clientSecret' in cdaasRaw) {
    // Named, never echoed: the value is dropped before anything else sees it.
    delete cdaasRaw.clientSecret;
    problems.push('cdaas.clientSecret must not be in the config file: use env CDAAS_CLIENT_SECRET or CDAAS_CLIENT_SECRET_FILE');
  }
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, key, LIST_KEYS.has(key) ? value.split(',').map((s) => s.trim()).filter(Boolean) : value);
  }
  if (!raw.cdaas) raw.cdaas = {};

  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = describeKey(issue.path);
      const given = getPath(raw, issue.path);
      const msg =
        given === undefined
          ? 'is required'
          : issue.code === 'invalid_type'
            ? `expected ${issue.expected}, got ${JSON.stringify(given).slice(0, 60)}`
            : issue.message;
      problems.push(
        issue.code === 'unrecognized_keys' ? `${where ? where + ': ' : ''}unknown setting(s) ${issue.keys.join(', ')}` : `${where}: ${msg}`,
      );
    }
    throw new ConfigError(problems);
  }
  const c = parsed.data;

  let clientSecret = env.CDAAS_CLIENT_SECRET || undefined;
  const secretFile = env.CDAAS_CLIENT_SECRET_FILE || c.cdaas.clientSecretFile;
  if (!clientSecret && secretFile) clientSecret = readSecretFile(secretFile, 'CDAAS_CLIENT_SECRET_FILE', problems);
  if (!clientSecret && !secretFile) problems.push('client secret is missing: set env CDAAS_CLIENT_SECRET or CDAAS_CLIENT_SECRET_FILE');

  let githubToken = env.BRIDGE_GITHUB_TOKEN || undefined;
  const ghFile = env.BRIDGE_GITHUB_TOKEN_FILE || c.artifacts.githubTokenFile;
  if (!githubToken && ghFile) githubToken = readSecretFile(ghFile, 'BRIDGE_GITHUB_TOKEN_FILE', problems);

  const credentials: ArtifactCredential[] = [];
  c.artifacts.credentials.forEach((cred, i) => {
    const secret = readSecretFile(cred.secretFile, `artifacts.credentials.${i}.secretFile`, problems);
    if (cred.type === 'basic' && !cred.username) problems.push(`artifacts.credentials.${i}.username: is required for type basic`);
    if (secret) credentials.push({ host: cred.host.toLowerCase(), type: cred.type, username: cred.username, secret });
  });

  const tokenUrl = c.cdaas.tokenUrl ?? (c.cdaas.issuerUrl ? undefined : DEFAULT_TOKEN_URL);

  let redis: BridgeConfig['state']['redis'];
  const r = c.state.redis;
  if (c.state.store === 'redis' && !r) problems.push('state.redis.url (env BRIDGE_REDIS_URL): is required when state.store is redis');
  if (r && c.state.store === 'redis') {
    const password = r.passwordFile ? readSecretFile(r.passwordFile, 'state.redis.passwordFile (env BRIDGE_REDIS_PASSWORD_FILE)', problems) : undefined;
    let ca: string | undefined;
    if (r.tlsCaFile) {
      try {
        ca = readFileSync(r.tlsCaFile, 'utf8');
      } catch (err) {
        problems.push(`state.redis.tlsCaFile (env BRIDGE_REDIS_TLS_CA_FILE): cannot read ${r.tlsCaFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
    const tls = r.tls || r.url.startsWith('rediss:') || r.tlsCaFile ? { ...(ca ? { ca } : {}), ...(r.tlsServername ? { servername: r.tlsServername } : {}) } : undefined;
    redis = { url: r.url, username: r.username, password, tls, keyPrefix: r.keyPrefix, commandTimeoutMs: r.commandTimeoutMs };
  }
  // A claim that expires while its start still runs would let a duplicate through.
  const slowestStartMs = c.cdaas.timeoutMs * (c.cdaas.retries + 1) + c.cdaas.retryMaxDelayMs * c.cdaas.retries + c.artifacts.timeoutMs;
  if (c.state.claimTtlMs <= slowestStartMs) {
    problems.push(`state.claimTtlMs (env BRIDGE_STATE_CLAIM_TTL_MS): ${c.state.claimTtlMs} ms is not longer than the slowest start these settings allow (${slowestStartMs} ms: cdaas.timeoutMs x (retries + 1) + retryMaxDelayMs x retries + artifacts.timeoutMs)`);
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    cdaas: {
      clientId: c.cdaas.clientId,
      clientSecret: clientSecret as string,
      tokenUrl,
      issuerUrl: tokenUrl ? undefined : c.cdaas.issuerUrl,
      audience: c.cdaas.audience,
      apiBaseUrl: c.cdaas.apiBaseUrl.replace(/\/+$/, ''),
      consoleBaseUrl: c.cdaas.consoleBaseUrl.replace(/\/+$/, ''),
      envId: c.cdaas.envId,
      timeoutMs: c.cdaas.timeoutMs,
      retries: c.cdaas.retries,
      retryBaseMs: c.cdaas.retryBaseMs,
      retryMaxDelayMs: c.cdaas.retryMaxDelayMs,
      tokenBackoffBaseMs: c.cdaas.tokenBackoffBaseMs,
      tokenBackoffMaxMs: Math.max(c.cdaas.tokenBackoffMaxMs, c.cdaas.tokenBackoffBaseMs),
    },
    read: c.read,
    deploy: { ...c.deploy, publicBaseUrl: c.deploy.publicBaseUrl?.replace(/\/+$/, '') },
    artifacts: {
      allowedHosts: c.artifacts.allowedHosts.map((h) => h.toLowerCase()),
      githubApiHosts: c.artifacts.githubApiHosts.map((h) => h.toLowerCase()),
      githubToken,
      credentials,
      maxBytes: c.artifacts.maxBytes,
      timeoutMs: c.artifacts.timeoutMs,
      allowHttp: c.artifacts.allowHttp,
    },
    state: { store: c.state.store, redis, claimTtlMs: c.state.claimTtlMs, startWaitMs: c.state.startWaitMs, entryTtlMs: c.state.entryTtlMs },
    log: c.log,
    preflight: c.preflight,
  };
}

export function isCidr(s: string): boolean {
  const m = /^(.+)\/(\d{1,3})$/.exec(s);
  if (!m) return false;
  const v = isIP(m[1]);
  const bits = Number(m[2]);
  return (v === 4 && bits <= 32) || (v === 6 && bits <= 128);
}

/**
 * Orca's default `user-configured-url-restrictions` refuse webhook URLs to bare IPs, localhost,
 * names without a dot and names under .spinnaker/.local/.localdomain/.internal. A deploy URL that
 * Orca refuses fails every stage at start, so say so when the bridge starts.
 */
export function orcaUrlRestrictionWarnings(url: string): string[] {
  const verdict = checkOrcaUrl(url, ORCA_DEFAULT_RULES);
  // A URL that does not parse, or is not http(s), is refused by the config schema itself.
  if (verdict.ok || verdict.rule === 'url' || verdict.rule === 'scheme') return [];
  return [
    `deploy.publicBaseUrl ${url} is refused by Orca's default webhook URL restrictions: host ${verdict.detail}; ` +
      `give the bridge a dotted name such as cdaas-bridge.spinnaker.svc or relax user-configured-url-restrictions in orca-local.yml`,
  ];
}
