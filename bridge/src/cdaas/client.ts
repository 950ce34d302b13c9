/**
 * The CD-as-a-Service REST client: a class behind an interface, given its axios instance and token
 * source. Paths and answer schemas come from ./upstream (the single module for them); every answer
 * is validated here, so the rest of the bridge trusts what it gets.
 *
 * Retries (backoff, jitter, Retry-After) on 429, 5xx and network errors for reads and cancel. A
 * start is only retried when the API cannot have acted on it (429, 503, connection refused or
 * unresolvable host): a 500 or a reset connection may already have created the pipeline, and the
 * caller (Orca) retries the whole start anyway, where the bridge's idempotency map helps. Those
 * calls go on a new connection (`freshConnection`), so a server's idle close cannot reset them.
 * A 401 drops the token, fetches a new one and retries once.
 */
import type { AxiosInstance, AxiosResponse } from 'axios';
import type { HttpMethod } from '@cdaas/contract/routes';
import type { z } from 'zod';

import { TokenError, TokenRefusedError, type TokenSource, networkMessage } from '../auth/tokenSource';
import type { AgentPair } from '../http/agents';
import { type RetryPolicy, parseRetryAfter, withRetry } from '../http/retry';
import {
  START_PIPELINE_MEDIA_TYPE,
  type ConnectedAgent,
  type StartPipelineAnswer,
  type UpstreamPipeline,
  cacheClusterSchema,
  cacheDeploymentsSchema,
  cacheNamespacesSchema,
  cacheReplicaSetsSchema,
  cacheServicesSchema,
  connectedAgentsSchema,
  startPipelineAnswerSchema,
  type UpstreamRoutes,
  upstreamRoutes,
  upstreamPipelineSchema,
} from './upstream';

export type CacheCluster = z.infer<typeof cacheClusterSchema>;
export type CacheNamespaces = z.infer<typeof cacheNamespacesSchema>;
export type CacheDeployments = z.infer<typeof cacheDeploymentsSchema>;
export type CacheReplicaSets = z.infer<typeof cacheReplicaSetsSchema>;
export type CacheServices = z.infer<typeof cacheServicesSchema>;

/** deploy.yml as JSON plus application, files and context: the v2 start body. */
export interface StartPipelineBody extends Record<string, unknown> {
  application: string;
  files: Record<string, string[]>;
  context: Record<string, string>;
}

export interface CdaasClient {
  connectedAgents(): Promise<ConnectedAgent[]>;
  startPipeline(body: StartPipelineBody): Promise<StartPipelineAnswer>;
  pipeline(id: string): Promise<UpstreamPipeline>;
  cancelPipeline(id: string): Promise<void>;
  cluster(agent: string): Promise<CacheCluster>;
  namespaces(agent: string): Promise<CacheNamespaces>;
  deployments(agent: string): Promise<CacheDeployments>;
  replicaSets(agent: string): Promise<CacheReplicaSets>;
  /** One namespace's Services, or every namespace's; a 404 means the agent's cache has none. */
  services(agent: string, namespace?: string): Promise<CacheServices>;
}

/**
 * Acting on a step paused until approved (project contract paths, see ./upstream). Kept apart from
 * CdaasClient so the deploy and read sides (and their fakes) do not grow write calls they never make.
 */
export interface CdaasStepActions {
  approveStep(pipelineId: string, stepRef: string): Promise<void>;
  rollbackStep(pipelineId: string, stepRef: string): Promise<void>;
}

/** `request`: the bridge could not even build the request (a body that cannot be serialised). */
export type UpstreamErrorKind = 'status' | 'network' | 'invalid' | 'auth' | 'request';

/** Why an upstream call failed, in words fit for an answer (no token, no secret, no headers). */
export class UpstreamError extends Error {
  constructor(
    readonly operation: string,
    readonly kind: UpstreamErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    /** Failed before the API could act on it (safe to retry even a start). */
    readonly notSent = false,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface CdaasClientOptions {
  retry: RetryPolicy;
  timeoutMs: number;
  clientName?: string;
  onRequest?: (operation: string, outcome: string) => void;
  /** The CDaaS paths; upstream.ts's table unless a test renames one. */
  routes?: UpstreamRoutes;
  /**
   * Agents that open a new connection per request, for the calls never retried after a reset
   * (`notActedOn`): a kept-alive socket the server closes as the request is written loses it.
   * Unset, every call uses the axios instance's agents.
   */
  freshConnection?: AgentPair;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

interface CallSpec<S extends z.ZodType> {
  operation: string;
  method: HttpMethod;
  path: string;
  schema?: S;
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Which failures may be retried: `all` transient ones, or only those the API never acted on. */
  retryOn: 'transient' | 'notActedOn';
}

function upstreamMessage(data: unknown): string | undefined {
  if (typeof data === 'string') return data.slice(0, 300) || undefined;
  if (data && typeof data === 'object') {
    const d = data as Record<string, unknown>;
    for (const k of ['message', 'error_description', 'error', 'detail']) if (typeof d[k] === 'string') return (d[k] as string).slice(0, 300);
    if (Array.isArray(d.errors)) {
      return d.errors
        .map((e) => (typeof e === 'string' ? e : typeof (e as { message?: unknown })?.message === 'string' ? (e as { message: string }).message : JSON.stringify(e)))
        .join('; ')
        .slice(0, 300);
    }
  }
  return undefined;
}

export class HttpCdaasClient implements CdaasClient, CdaasStepActions {
  constructor(
    private readonly http: AxiosInstance,
    private readonly tokens: TokenSource,
    private readonly opts: CdaasClientOptions,
  ) {}

  /** The operation (named as its route), its method and concrete path, from the route table. */
  private at<K extends keyof UpstreamRoutes>(operation: K, ...params: Parameters<UpstreamRoutes[K]['path']>): { operation: K; method: HttpMethod; path: string } {
    const r = (this.opts.routes ?? upstreamRoutes)[operation];
    // The table types each path's parameters; indexing by a generic key loses that correlation.
    return { operation, method: r.method, path: (r.path as (...a: typeof params) => string)(...params) };
  }

  connectedAgents(): Promise<ConnectedAgent[]> {
    return this.call({ ...this.at('connectedAgents'), schema: connectedAgentsSchema, retryOn: 'transient' });
  }

  startPipeline(body: StartPipelineBody): Promise<StartPipelineAnswer> {
    return this.call({
      ...this.at('startPipeline'),
      schema: startPipelineAnswerSchema,
      body,
      contentType: START_PIPELINE_MEDIA_TYPE,
      accept: START_PIPELINE_MEDIA_TYPE,
      retryOn: 'notActedOn',
    });
  }

  pipeline(id: string): Promise<UpstreamPipeline> {
    return this.call({ ...this.at('pipeline', { id }), schema: upstreamPipelineSchema, retryOn: 'transient' });
  }

  async cancelPipeline(id: string): Promise<void> {
    await this.call({ ...this.at('cancelPipeline', { id }), body: {}, retryOn: 'transient' });
  }

  // A 500 or a reset connection may mean CDaaS acted: only retried when it cannot have (like a start).
  async approveStep(pipelineId: string, stepRef: string): Promise<void> {
    await this.call({ ...this.at('approveStep', { id: pipelineId, ref: stepRef }), body: {}, retryOn: 'notActedOn' });
  }

  async rollbackStep(pipelineId: string, stepRef: string): Promise<void> {
    await this.call({ ...this.at('rollbackStep', { id: pipelineId, ref: stepRef }), body: {}, retryOn: 'notActedOn' });
  }

  cluster(agent: string): Promise<CacheCluster> {
    return this.call({ ...this.at('cacheCluster', { agent }), schema: cacheClusterSchema, retryOn: 'transient' });
  }
  namespaces(agent: string): Promise<CacheNamespaces> {
    return this.call({ ...this.at('cacheNamespaces', { agent }), schema: cacheNamespacesSchema, retryOn: 'transient' });
  }
  deployments(agent: string): Promise<CacheDeployments> {
    return this.call({ ...this.at('cacheDeployments', { agent }), schema: cacheDeploymentsSchema, retryOn: 'transient' });
  }
  replicaSets(agent: string): Promise<CacheReplicaSets> {
    return this.call({ ...this.at('cacheReplicaSets', { agent }), schema: cacheReplicaSetsSchema, retryOn: 'transient' });
  }

  services(agent: string, namespace?: string): Promise<CacheServices> {
    const at = this.at('cacheServices', { agent });
    const path = namespace ? `${at.path}?${new URLSearchParams({ namespace })}` : at.path;
    return this.call({ ...at, path, schema: cacheServicesSchema, retryOn: 'transient' });
  }

  private async call<S extends z.ZodType>(spec: CallSpec<S>): Promise<z.infer<S>> {
    return withRetry(
      this.opts.retry,
      () => this.attempt(spec),
      (err) => {
        if (!(err instanceof UpstreamError)) return { retry: false };
        const transient = err.kind === 'network' || (err.kind === 'status' && (err.status === 429 || (err.status ?? 0) >= 500));
        if (!transient) return { retry: false };
        if (spec.retryOn === 'notActedOn' && !(err.notSent || err.status === 429 || err.status === 503)) return { retry: false };
        return { retry: true, retryAfterMs: err.retryAfterMs };
      },
    );
  }

  private async attempt<S extends z.ZodType>(spec: CallSpec<S>): Promise<z.infer<S>> {
    // Serialised here, before any request: a RangeError from a too-deep body is the caller's
    // mistake (400), never a network error (503, retried by Orca for five minutes).
    let payload: string | undefined;
    if (spec.body !== undefined) {
      try {
        payload = JSON.stringify(spec.body);
      } catch (err) {
        throw new UpstreamError(spec.operation, 'request', `the request body cannot be serialised as JSON (${err instanceof Error ? err.message : String(err)})`, undefined, undefined, true);
      }
    }
    const specWithData = { ...spec, data: payload };
    let res = await this.send(specWithData, await this.token(spec.operation));
    if (res.response.status === 401) {
      // The token was revoked or expired early: one fresh token, one more try.
      this.tokens.invalidate(res.token);
      // While token requests back off the source hands out nothing new: then the 401 stands.
      const fresh = await this.tokens.getToken().catch(() => undefined);
      if (fresh !== undefined && fresh !== res.token) res = await this.send(specWithData, fresh);
    }
    const { status, data, headers } = res.response;
    if (status === 401 || status === 403) {
      this.opts.onRequest?.(spec.operation, String(status));
      const why = upstreamMessage(data);
      throw new UpstreamError(spec.operation, 'status', `CD-as-a-Service refused the bridge's credentials (HTTP ${status}${why ? `: ${why}` : ''}); check the client's role (Deployments Full Access)`, status);
    }
    if (status < 200 || status >= 300) {
      this.opts.onRequest?.(spec.operation, String(status));
      const why = upstreamMessage(data);
      throw new UpstreamError(spec.operation, 'status', `CD-as-a-Service answered HTTP ${status} to ${spec.operation}${why ? `: ${why}` : ''}`, status, parseRetryAfter(headers['retry-after']));
    }
    if (!spec.schema) {
      this.opts.onRequest?.(spec.operation, String(status));
      return undefined as z.infer<S>;
    }
    const parsed = spec.schema.safeParse(data);
    if (!parsed.success) {
      this.opts.onRequest?.(spec.operation, 'invalid');
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
      throw new UpstreamError(spec.operation, 'invalid', `CD-as-a-Service answered ${spec.operation} with an unexpected shape: ${issues.join('; ')}`);
    }
    this.opts.onRequest?.(spec.operation, String(status));
    return parsed.data;
  }

  private async token(operation: string): Promise<string> {
    try {
      return await this.tokens.getToken();
    } catch (err) {
      // A 401 storm stays a credentials problem (502) while token requests back off.
      if (err instanceof TokenRefusedError) {
        this.opts.onRequest?.(operation, '401');
        throw new UpstreamError(operation, 'status', `CD-as-a-Service refused the bridge's credentials (HTTP 401: ${err.message}); check the client's role (Deployments Full Access)`, 401);
      }
      const msg = err instanceof TokenError ? err.message : 'token exchange failed';
      this.opts.onRequest?.(operation, 'auth');
      throw new UpstreamError(operation, 'auth', msg, undefined, undefined, true);
    }
  }

  private async send<S extends z.ZodType>(spec: CallSpec<S> & { data?: string }, token: string): Promise<{ token: string; response: AxiosResponse<unknown> }> {
    try {
      const response = await this.http.request<unknown>({
        method: spec.method,
        url: spec.path,
        data: spec.data,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: spec.accept ?? 'application/json',
          ...(spec.body !== undefined ? { 'Content-Type': spec.contentType ?? 'application/json' } : {}),
          'X-Armory-Client': this.opts.clientName ?? 'cdaas-spinnaker-bridge',
          'User-Agent': this.opts.clientName ?? 'cdaas-spinnaker-bridge',
        },
        timeout: this.opts.timeoutMs,
        ...(spec.retryOn === 'notActedOn' ? this.opts.freshConnection : undefined),
        validateStatus: () => true,
        maxRedirects: 0,
        // The base URL is fixed by config; a path can never name another host.
        allowAbsoluteUrls: false,
      });
      return { token, response };
    } catch (err) {
      const code = (err as { code?: string }).code;
      this.opts.onRequest?.(spec.operation, 'network');
      throw new UpstreamError(spec.operation, 'network', `CD-as-a-Service unreachable for ${spec.operation}: ${networkMessage(err)}`, undefined, undefined, !!code && NOT_SENT_CODES.has(code));
    }
  }
}
