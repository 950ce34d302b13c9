/**
 * The deploy listener: what Orca's Webhook stage calls (see contract/src/deploy.ts).
 * start -> 202 StartAnswer with an absolute statusUrl; status -> StatusAnswer; cancel -> 200.
 * Not meant for Gate or browsers: bind it where only Orca reaches it (NetworkPolicy, allowedCidrs).
 */

import {
  type DeployRequest,
  type PipelineStatus,
  type StartAnswer,
  DEPLOY_YML_ARTIFACT_PATH,
  FINAL_STATUSES,
  deployRoutes as contractRoutes,
  deployRequestSchema,
} from '@cdaas/contract/deploy';
import { describeProblem, validateDeployYaml } from '@cdaas/contract/deployYaml';
import { isSpel } from '@cdaas/contract/spel';
import { ArtifactError, type ArtifactResolver, artifactEntryName, entryArtifact } from '../artifacts/resolver';
import { type CdaasClient, type StartPipelineBody, UpstreamError } from '../cdaas/client';
import { consoleUrl } from '../cdaas/upstream';
import { type RequestContext, type Route, DEFAULT_MAX_JSON_DEPTH, httpError, tooDeep } from '../http/server';
import { upstreamHttpError } from '../http/upstreamErrors';
import { parseBody } from '../http/validation';
import type { Logger } from '../observability/log';
import type { BridgeMetrics } from '../observability/metrics';
import { AnswerLostError, type DeploymentCoordinator } from '../state/coordinator';
import { describeStart } from '../state/describe';
import { toStatusAnswer } from './status';

export interface DeployListenerDeps {
  client: CdaasClient;
  coordinator: DeploymentCoordinator;
  artifacts: ArtifactResolver;
  logger: Logger;
  metrics: BridgeMetrics;
  publicBaseUrl?: string;
  consoleBaseUrl: string;
  envId: () => string | undefined;
  /** How long the state store keeps an entry (for the 404 wording). */
  entryTtlMs: number;
}

/**
 * Whether a failed start may still have created a pipeline: the request went out and no answer
 * came back (a dropped connection, a timeout, a gateway timeout). CDaaS has no idempotency key,
 * so the bridge cannot find out; it says so instead of starting again.
 */
function answerLost(err: unknown): string | undefined {
  if (!(err instanceof UpstreamError) || err.operation !== 'startPipeline') return undefined;
  if (err.kind === 'network' && !err.notSent) return err.message;
  if (err.kind === 'status' && err.status === 504) return err.message;
  return undefined;
}


const HOST_HEADER = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Orca leaves SpEL as text when it cannot evaluate it (no authenticated user, ...): such values are dropped. */
const evaluated = (value: string | undefined) => (value && !isSpel(value) ? value : undefined);

const validate = (body: unknown): DeployRequest => parseBody(deployRequestSchema, body, 'deploy request');

function baseUrl(deps: DeployListenerDeps, ctx: RequestContext): string {
  if (deps.publicBaseUrl) return deps.publicBaseUrl;
  const host = ctx.req.headers.host;
  if (!host || !HOST_HEADER.test(host)) {
    throw httpError(400, 'cannot build an absolute statusUrl from the Host header: set deploy.publicBaseUrl (env BRIDGE_DEPLOY_PUBLIC_URL)', 'Host');
  }
  return `http://${host}`;
}

/**
 * A deploy.yml that arrived as an artifact, checked with the same rules as the YAML stage's editor
 * (Deck cannot read the artifact, so this is the first look anyone gets): any error refuses the
 * start with each problem as `path (line L, column C): message`, before anything goes upstream.
 * Warnings (among them each `${…}` Orca left unevaluated in the artifact) go with the start answer.
 */
function artifactDeployment(text: string, what: string, field: string): { deployment: Record<string, unknown>; warnings: string[] } {
  let result;
  try {
    result = validateDeployYaml(text, { fromArtifact: true });
  } catch (err) {
    // Aliases expanding without bound or nesting past the stack: the file's problem, not an outage.
    throw httpError(400, `deploy.yml from ${what} cannot be read: ${err instanceof Error ? err.message : String(err)}`, field);
  }
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length === 0 && result.deployment) {
    const deep = tooDeep(result.deployment, DEFAULT_MAX_JSON_DEPTH);
    if (deep) throw httpError(400, `deploy.yml from ${what} nests deeper than ${DEFAULT_MAX_JSON_DEPTH} levels at ${deep.slice(0, 120)}`, field);
    const warnings = result.problems.filter((p) => p.severity === 'warning').map((p) => `deploy.yml from ${what}: ${describeProblem(p)}`);
    return { deployment: result.deployment, warnings };
  }
  const details = errors.length ? errors.map((p) => describeProblem(p)) : ['deploy.yml: could not be read'];
  const count = details.length === 1 ? 'a problem' : `${details.length} problems`;
  throw httpError(400, `deploy.yml from ${what} has ${count}; fix the file and run the pipeline again. First: ${details[0]}`, field, details);
}

export function deployRoutes(deps: DeployListenerDeps): Route[] {
  const { client, coordinator, artifacts, metrics, logger } = deps;
  const recordStatus = (pipelineId: string, status: PipelineStatus) =>
    // Status needs only the pipeline id: a store outage must not fail the poll.
    coordinator.store.recordStatus(pipelineId, status, Date.now()).catch((err: unknown) =>
      logger.debug('could not record a status in the state store', { pipelineId, error: err instanceof Error ? err.message : String(err) }),
    );

  /** The start body, and what the author should know although it starts (the start answer's warnings). */
  const buildStartBody = async (request: DeployRequest): Promise<{ body: StartPipelineBody; warnings: string[] }> => {
    let deployment = request.deployment;
    const warnings: string[] = [];
    const files: Record<string, string[]> = { ...request.files };
    for (const [i, entry] of request.artifacts.entries()) {
      const what = artifactEntryName(entry);
      let text: string;
      try {
        text = await artifacts.text(entryArtifact(entry, i), what);
      } catch (err) {
        if (err instanceof ArtifactError) throw httpError(err.status, err.message, err.field ?? `artifacts[${i}].artifact`);
        throw err;
      }
      if (entry.path === DEPLOY_YML_ARTIFACT_PATH && Object.keys(deployment).length === 0) {
        // A `${…}` in it is not refused (it may be meant literally, a webhook body for another
        // tool), but it is never what Orca evaluates, so the author is told where it sits.
        const checked = artifactDeployment(text, what, `artifacts[${i}]`);
        deployment = checked.deployment;
        warnings.push(...checked.warnings);
      } else files[entry.path] = [text];
    }
    const manifests = deployment.manifests;
    if (Array.isArray(manifests)) {
      manifests.forEach((m, i) => {
        const path = (m as { path?: unknown } | null)?.path;
        if (typeof path === 'string' && !files[path]) {
          throw httpError(400, `deploy.yml manifests[${i}].path "${path}" has no manifest text: add it to the stage or bind an artifact for it`, `deployment.manifests[${i}].path`);
        }
      });
    }
    const c = request.context;
    const pipelineName = evaluated(c.pipelineName);
    const user = evaluated(c.user);
    const context: Record<string, string> = {
      spinnakerApplication: c.application,
      spinnakerExecutionId: c.executionId,
      spinnakerStageRefId: c.stageRefId,
      ...(pipelineName ? { spinnakerPipeline: pipelineName } : {}),
      ...(user ? { spinnakerUser: user } : {}),
    };
    const application = typeof deployment.application === 'string' && deployment.application ? deployment.application : c.application;
    return { body: { ...deployment, application, files, context }, warnings };
  };

  const start = async (ctx: RequestContext) => {
    const request = validate(await ctx.json());
    const { executionId, stageRefId } = ctx.params;
    if (request.context.executionId !== executionId) {
      throw httpError(400, `context.executionId "${request.context.executionId.slice(0, 80)}" does not match the URL's execution id "${executionId}"`, 'context.executionId');
    }
    if (request.context.stageRefId !== stageRefId) {
      throw httpError(400, `context.stageRefId "${request.context.stageRefId.slice(0, 80)}" does not match the URL's stage refId "${stageRefId}"`, 'context.stageRefId');
    }
    // Refused before anything is claimed or sent: the stage is wrong, and Orca ends it TERMINAL.
    for (const [i, entry] of request.artifacts.entries()) {
      try {
        entryArtifact(entry, i);
      } catch (err) {
        if (err instanceof ArtifactError) throw httpError(err.status, err.message, err.field);
        throw err;
      }
    }
    const base = baseUrl(deps, ctx);
    const pipelineName = evaluated(request.context.pipelineName);
    const user = evaluated(request.context.user);
    let result;
    try {
      result = await coordinator.start(
        {
          executionId,
          stageRefId,
          application: request.context.application,
          ...(pipelineName ? { pipelineName } : {}),
          ...(user ? { user } : {}),
        },
        async () => {
          const { body, warnings } = await buildStartBody(request);
          let answer;
          try {
            answer = await client.startPipeline(body);
          } catch (err) {
            const lost = answerLost(err);
            if (lost) throw new AnswerLostError(lost, err);
            throw err;
          }
          return { pipelineId: answer.pipelineId, warnings: [...warnings, ...answer.warnings], ...describeStart(body) };
        },
        async (pipelineId) => !FINAL_STATUSES.includes((await client.pipeline(pipelineId)).status),
      );
    } catch (err) {
      metrics.deploymentsStarted.inc({ result: 'failed' });
      const e = upstreamHttpError(err);
      logger.warn('deployment start failed', { executionId, stageRefId, status: e.status, error: e.answer.error });
      throw e;
    }
    metrics.deploymentsStarted.inc({ result: result.reused ? 'reused' : 'started' });
    logger.info(result.reused ? 'deployment start reused' : 'deployment started', { executionId, stageRefId, pipelineId: result.pipelineId });
    const answer: StartAnswer = {
      pipelineId: result.pipelineId,
      statusUrl: base + contractRoutes.status.path({ pipelineId: result.pipelineId }),
      consoleUrl: consoleUrl(deps.consoleBaseUrl, result.pipelineId, deps.envId()),
      warnings: result.warnings,
      reused: result.reused,
    };
    return { status: 202, body: answer };
  };

  const status = async (ctx: RequestContext) => {
    const { pipelineId } = ctx.params;
    try {
      const p = await client.pipeline(pipelineId);
      await recordStatus(p.id, p.status);
      return { status: 200, body: toStatusAnswer(p, consoleUrl(deps.consoleBaseUrl, p.id, deps.envId())) };
    } catch (err) {
      throw upstreamHttpError(err);
    }
  };

  const cancel = async (ctx: RequestContext) => {
    const { executionId, stageRefId } = ctx.params;
    let pipelineId;
    try {
      pipelineId = await coordinator.settled(executionId, stageRefId);
    } catch (err) {
      throw upstreamHttpError(err);
    }
    if (!pipelineId) {
      throw httpError(404, `no deployment known for execution ${executionId} stage ${stageRefId} (it was never started, or it was started more than ${Math.round(deps.entryTtlMs / 3600_000)} h ago${coordinator.store.kind === 'memory' ? ', or this bridge restarted since: the in-memory state store keeps nothing across restarts' : ''})`);
    }
    try {
      const before = await client.pipeline(pipelineId);
      if (FINAL_STATUSES.includes(before.status)) {
        await recordStatus(pipelineId, before.status);
        return { status: 200, body: { pipelineId, status: before.status, cancelled: false } };
      }
      try {
        await client.cancelPipeline(pipelineId);
      } catch (err) {
        // It may have finished between the two calls: that is still a successful cancel call.
        const after = await client.pipeline(pipelineId);
        if (!FINAL_STATUSES.includes(after.status)) throw err;
        await recordStatus(pipelineId, after.status);
        return { status: 200, body: { pipelineId, status: after.status, cancelled: false } };
      }
      const after = await client.pipeline(pipelineId).catch(() => undefined);
      if (after) await recordStatus(pipelineId, after.status);
      logger.info('deployment cancelled', { executionId, stageRefId, pipelineId });
      return { status: 200, body: { pipelineId, status: after?.status ?? 'CANCELLED', cancelled: true } };
    } catch (err) {
      throw upstreamHttpError(err);
    }
  };

  return [
    { name: 'start', method: contractRoutes.start.method, path: contractRoutes.start.pattern, handler: start },
    { name: 'cancel', method: contractRoutes.cancel.method, path: contractRoutes.cancel.pattern, handler: cancel },
    { name: 'status', method: contractRoutes.status.method, path: contractRoutes.status.pattern, handler: status },
  ];
}
