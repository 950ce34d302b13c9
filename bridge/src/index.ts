/**
 * The bridge: holds the CD-as-a-Service credentials, runs deploy stages for Orca's Webhook stage
 * (deploy listener, default port 7002) and serves read-only data to Deck through Gate's proxy
 * (read listener, default port 7001).
 */
import http from 'node:http';
import https from 'node:https';

import axios from 'axios';

import { approvalRoutes } from './approvals/routes';
import { HttpFiatClient } from './approvals/fiat';
import { createApprovalPolicy } from './approvals/policy';
import { type ApprovalStore, sharedApprovalStore } from './approvals/store';
import { ArtifactResolver } from './artifacts/resolver';
import { ClientCredentialsTokenSource } from './auth/tokenSource';
import { HttpCdaasClient } from './cdaas/client';
import { type BridgeConfig, orcaUrlRestrictionWarnings } from './config/config';
import { deployRoutes } from './deploy/listener';
import { upstreamAgents } from './http/agents';
import { type Reply, createListener, listen } from './http/server';
import type { RetryPolicy } from './http/retry';
import { type LogSink, Redactor, createLogger } from './observability/log';
import { BridgeMetrics } from './observability/metrics';
import { preflightRoute } from './preflight/route';
import { TtlCache } from './read/cache';
import { readListenerRoutes } from './read/listener';
import type { UpstreamPipeline } from './cdaas/upstream';
import { DeploymentCoordinator } from './state/coordinator';
import { createStateStore } from './state/index';
import type { StateStore } from './state/types';

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
  /** The approvals' audit and deployment origins (default: the bridge's state store). */
  approvalStore?: ApprovalStore;
}

export interface RunningBridge {
  readUrl: string;
  deployUrl: string;
  close(): Promise<void>;
  metrics: BridgeMetrics;
  /** The state store (also the read listener's DeploymentLedger). */
  store: StateStore;
}

export const BRIDGE_VERSION = '0.1.0';

export async function startBridge(config: BridgeConfig, opts: StartBridgeOptions = {}): Promise<RunningBridge> {
  const redactor = new Redactor();
  redactor.add(config.cdaas.clientSecret);
  redactor.add(config.artifacts.githubToken);
  for (const c of config.artifacts.credentials) redactor.add(c.secret);
  redactor.add(config.state.redis?.password);
  const logger = createLogger(config.log.level, opts.logSink, redactor);
  const store = createStateStore(config.state, logger, opts.now);
  const metrics = new BridgeMetrics({ defaultMetrics: opts.defaultMetrics, stateStoreUp: () => (store.health().ok ? 1 : 0) });

  const agents = upstreamAgents();
  const { httpAgent, httpsAgent } = agents.pooled;
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
    // The auth server's error text may quote the posted form: nothing from it leaves unredacted.
    redact: (text) => redactor.redact(text),
    backoffBaseMs: config.cdaas.tokenBackoffBaseMs,
    backoffMaxMs: config.cdaas.tokenBackoffMaxMs,
    onExchange: (outcome) => {
      metrics.tokenRequests.inc({ outcome });
      if (outcome === 'ok') metrics.ready.set(1);
    },
  });
  const client = new HttpCdaasClient(axios.create({ baseURL: config.cdaas.apiBaseUrl, httpAgent, httpsAgent }), tokens, {
    retry,
    freshConnection: agents.fresh,
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
  const coordinator = new DeploymentCoordinator(store, {
    claimTtlMs: config.state.claimTtlMs,
    waitMs: config.state.startWaitMs,
    // Orca retries a start for 5 minutes: hold a lost answer's stage a little longer than that.
    unknownHoldMs: 10 * 60_000,
    now: opts.now,
    onRecordFailed: (err, d) =>
      logger.error('deployment started but not recorded in the state store: a retried start or a cancel through another replica will not find it', {
        pipelineId: d.pipelineId,
        error: err instanceof Error ? err.message : String(err),
      }),
  });
  const artifacts = new ArtifactResolver(axios.create({ httpAgent: new http.Agent(), httpsAgent: new https.Agent() }), config.artifacts);
  const cache = new TtlCache<Reply>({ ttlMs: config.read.cacheTtlMs, now: opts.now, onLookup: (result) => metrics.cacheLookups.inc({ result }) });
  const pipelineCache = new TtlCache<UpstreamPipeline>({ ttlMs: config.read.cacheTtlMs, now: opts.now, onLookup: (result) => metrics.cacheLookups.inc({ result }) });

  const fiat = config.approvals.fiatUrl
    ? new HttpFiatClient(axios.create({ baseURL: config.approvals.fiatUrl, httpAgent, httpsAgent }), {
        timeoutMs: config.approvals.fiatTimeoutMs,
        cacheTtlMs: config.approvals.fiatCacheTtlMs,
        now: opts.now,
        onLookup: (outcome) => metrics.fiatRequests.inc({ outcome }),
      })
    : undefined;
  const approvals = {
    // The full client: approvals retry like deploys, not like fail-fast reads.
    client,
    store: opts.approvalStore ?? sharedApprovalStore(store),
    policy: createApprovalPolicy(config.approvals, fiat),
    logger,
    metrics,
    now: opts.now,
  };

  let lastTokenError = 'no token exchange yet';
  // A Redis outage does not make the bridge unready: status polls and reads still work (they need
  // no state), and pulling every replica out of the Service would break them too. Starts and
  // cancels answer 503 themselves; /readyz says why in `store`.
  const ready = () => {
    const health = store.health();
    const storeReport = { kind: health.kind, ok: health.ok, ...(health.reason ? { reason: health.reason } : {}) };
    return tokens.hasToken ? { ready: true, store: storeReport } : { ready: false, reason: `not ready: ${lastTokenError}`, store: storeReport };
  };

  const readServer = createListener({
    name: 'read',
    routes: readListenerRoutes({
      client: readClient,
      cache,
      pipelines: pipelineCache,
      ledger: store,
      onStatus: (id, status) => store.recordStatus(id, status, (opts.now ?? Date.now)()),
      consoleBaseUrl: config.cdaas.consoleBaseUrl,
      envId,
      now: opts.now,
    }).concat(preflightRoute({ config, client: readClient }), approvalRoutes(approvals)),
    logger,
    metrics,
    maxBodyBytes: config.read.maxBodyBytes,
    allowedCidrs: config.read.allowedCidrs,
    onlyMethods: ['GET'],
    ready,
    redact: (text) => redactor.redact(text),
  });
  const deployServer = createListener({
    name: 'deploy',
    routes: deployRoutes({ client, coordinator, artifacts, logger, metrics, publicBaseUrl: config.deploy.publicBaseUrl, consoleBaseUrl: config.cdaas.consoleBaseUrl, envId, entryTtlMs: config.state.entryTtlMs }),
    logger,
    metrics,
    maxBodyBytes: config.deploy.maxBodyBytes,
    allowedCidrs: config.deploy.allowedCidrs,
    ready,
    redact: (text) => redactor.redact(text),
  });

  let readUrl: string;
  let deployUrl: string;
  try {
    readUrl = await listen(readServer, config.read.host, config.read.port);
    deployUrl = await listen(deployServer, config.deploy.host, config.deploy.port);
  } catch (err) {
    readServer.close();
    deployServer.close();
    await store.close();
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
  logger.info('bridge listening', { readUrl, deployUrl, apiBaseUrl: config.cdaas.apiBaseUrl, stateStore: store.kind });

  const closeServer = (s: http.Server) =>
    new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeIdleConnections();
    });
  return {
    readUrl,
    deployUrl,
    metrics,
    store,
    close: async () => {
      closed = true;
      if (warmup) clearTimeout(warmup);
      await Promise.all([closeServer(readServer), closeServer(deployServer)]);
      await store.close();
      agents.destroy();
    },
  };
}
