/**
 * The bridge: holds the CD-as-a-Service credentials, runs deploy stages for Orca's Webhook stage
 * (deploy listener, default port 7002) and serves read-only data to Deck through Gate's proxy
 * (read listener, default port 7001).
 */
import http from 'node:http';
import https from 'node:https';

import axios from 'axios';

import { ArtifactResolver } from './artifacts/resolver';
import { ClientCredentialsTokenSource } from './auth/tokenSource';
import { HttpCdaasClient } from './cdaas/client';
import { type BridgeConfig, orcaUrlRestrictionWarnings } from './config/config';
import { deployRoutes } from './deploy/listener';
import { DeploymentRegistry } from './deploy/registry';
import { type Reply, createListener, listen } from './http/server';
import type { RetryPolicy } from './http/retry';
import { type LogSink, Redactor, createLogger } from './observability/log';
import { BridgeMetrics } from './observability/metrics';
import { preflightRoute } from './preflight/route';
import { TtlCache } from './read/cache';
import { InMemoryLedger } from './read/ledger';
import { readListenerRoutes } from './read/listener';
import type { UpstreamPipeline } from './cdaas/upstream';

export { ConfigError, loadConfig } from './config/config';
export type { BridgeConfig } from './config/config';

export interface StartBridgeOptions {
  /** Where JSON log lines go (default: stdout). */
  logSink?: LogSink;
  /** Process-level metrics (CPU, memory, event loop); off by default so tests stay quiet. */
  defaultMetrics?: boolean;
  /** Overrides for tests: waits between retries, clock. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** How often to retry the first token exchange until it succeeds (readiness). */
  warmupRetryMs?: number;
}

export interface RunningBridge {
  readUrl: string;
  deployUrl: string;
  close(): Promise<void>;
  metrics: BridgeMetrics;
  registry: DeploymentRegistry;
  /** What the read side lists of this bridge's deployments (swapped for the shared state store at merge). */
  ledger: InMemoryLedger;
}

export const BRIDGE_VERSION = '0.1.0';

export async function startBridge(config: BridgeConfig, opts: StartBridgeOptions = {}): Promise<RunningBridge> {
  const redactor = new Redactor();
  redactor.add(config.cdaas.clientSecret);
  redactor.add(config.artifacts.githubToken);
  for (const c of config.artifacts.credentials) redactor.add(c.secret);
  const logger = createLogger(config.log.level, opts.logSink, redactor);
  const metrics = new BridgeMetrics({ defaultMetrics: opts.defaultMetrics });

  const agentOpts = { keepAlive: true, maxSockets: 64 };
  const httpAgent = new http.Agent(agentOpts);
  const httpsAgent = new https.Agent(agentOpts);
  const retry: RetryPolicy = {
    retries: config.cdaas.retries,
    baseMs: config.cdaas.retryBaseMs,
    maxDelayMs: config.cdaas.retryMaxDelayMs,
    sleep: opts.sleep,
  };

  const tokens = new ClientCredentialsTokenSource(axios.create({ httpAgent, httpsAgent }), {
    clientId: config.cdaas.clientId,
    clientSecret: config.cdaas.clientSecret,
    audience: config.cdaas.audience,
    tokenUrl: config.cdaas.tokenUrl,
    issuerUrl: config.cdaas.issuerUrl,
    retry,
    timeoutMs: config.cdaas.timeoutMs,
    now: opts.now,
    onExchange: (outcome) => {
      metrics.tokenRequests.inc({ outcome });
      if (outcome === 'ok') metrics.ready.set(1);
    },
  });
  const client = new HttpCdaasClient(axios.create({ baseURL: config.cdaas.apiBaseUrl, httpAgent, httpsAgent }), tokens, {
    retry,
    timeoutMs: config.cdaas.timeoutMs,
    clientName: `cdaas-spinnaker-bridge/${BRIDGE_VERSION}`,
    onRequest: (operation, outcome) => metrics.upstreamRequests.inc({ operation, outcome }),
  });
  // Reads answer Deck through Gate's proxy timeout: fewer retries, shorter waits.
  const readClient = new HttpCdaasClient(axios.create({ baseURL: config.cdaas.apiBaseUrl, httpAgent, httpsAgent }), tokens, {
    retry: { ...retry, retries: config.read.upstreamRetries, maxDelayMs: Math.min(config.read.upstreamMaxRetryDelayMs, config.cdaas.retryMaxDelayMs) },
    timeoutMs: config.cdaas.timeoutMs,
    clientName: `cdaas-spinnaker-bridge/${BRIDGE_VERSION}`,
    onRequest: (operation, outcome) => metrics.upstreamRequests.inc({ operation, outcome }),
  });
  const envId = () => config.cdaas.envId ?? tokens.principal()?.envId;
  const registry = new DeploymentRegistry({ now: opts.now });
  const artifacts = new ArtifactResolver(axios.create({ httpAgent: new http.Agent(), httpsAgent: new https.Agent() }), config.artifacts);
  const cache = new TtlCache<Reply>({ ttlMs: config.read.cacheTtlMs, now: opts.now, onLookup: (result) => metrics.cacheLookups.inc({ result }) });
  const pipelineCache = new TtlCache<UpstreamPipeline>({ ttlMs: config.read.cacheTtlMs, now: opts.now, onLookup: (result) => metrics.cacheLookups.inc({ result }) });
  const ledger = new InMemoryLedger({ now: opts.now });

  let lastTokenError = 'no token exchange yet';
  const ready = () => (tokens.hasToken ? { ready: true } : { ready: false, reason: `not ready: ${lastTokenError}` });

  const readServer = createListener({
    name: 'read',
    routes: readListenerRoutes({
      client: readClient,
      cache,
      pipelines: pipelineCache,
      ledger,
      onStatus: (id, status) => ledger.recordStatus(id, status),
      consoleBaseUrl: config.cdaas.consoleBaseUrl,
      envId,
      now: opts.now,
    }).concat(preflightRoute({ config, client: readClient })),
    logger,
    metrics,
    maxBodyBytes: config.read.maxBodyBytes,
    allowedCidrs: config.read.allowedCidrs,
    onlyMethods: ['GET'],
    ready,
  });
  const deployServer = createListener({
    name: 'deploy',
    routes: deployRoutes({ client, registry, ledger, artifacts, logger, metrics, publicBaseUrl: config.deploy.publicBaseUrl, consoleBaseUrl: config.cdaas.consoleBaseUrl, envId }),
    logger,
    metrics,
    maxBodyBytes: config.deploy.maxBodyBytes,
    allowedCidrs: config.deploy.allowedCidrs,
    ready,
  });

  let readUrl: string;
  let deployUrl: string;
  try {
    readUrl = await listen(readServer, config.read.host, config.read.port);
    deployUrl = await listen(deployServer, config.deploy.host, config.deploy.port);
  } catch (err) {
    readServer.close();
    deployServer.close();
    throw err;
  }
  if (config.deploy.publicBaseUrl) for (const w of orcaUrlRestrictionWarnings(config.deploy.publicBaseUrl)) logger.warn(w);
  else logger.warn('deploy.publicBaseUrl is not set: statusUrl is built from the Host header Orca sends');

  // Readiness: the first successful token exchange, retried in the background until it works.
  let warmup: NodeJS.Timeout | undefined;
  let closed = false;
  const warm = () => {
    tokens.getToken().then(
      () => logger.info('token exchange succeeded; ready', { principal: tokens.principal()?.name }),
      (err: unknown) => {
        lastTokenError = err instanceof Error ? err.message : 'token exchange failed';
        logger.warn('token exchange failed; not ready yet', { error: lastTokenError });
        if (!closed) warmup = setTimeout(warm, opts.warmupRetryMs ?? 10_000).unref();
      },
    );
  };
  warm();
  logger.info('bridge listening', { readUrl, deployUrl, apiBaseUrl: config.cdaas.apiBaseUrl });

  const closeServer = (s: http.Server) =>
    new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeIdleConnections();
    });
  return {
    readUrl,
    deployUrl,
    metrics,
    registry,
    ledger,
    close: async () => {
      closed = true;
      if (warmup) clearTimeout(warmup);
      await Promise.all([closeServer(readServer), closeServer(deployServer)]);
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
