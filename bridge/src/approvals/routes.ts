/**
 * Approve / roll back a CD-as-a-Service step paused until approved, for Deck through Gate's proxy
 * `cdaas` (contract: contract/src/approvals.ts). The only POSTs the read listener accepts.
 *
 * Each attempt, in this order, stops at the first "no" and is audited, logged and counted whatever
 * the outcome:
 * 1. the body names application, execution and stage (400 naming the field otherwise);
 * 2. Gate named a signed-in user (X-SPINNAKER-USER), see policy.ts (403 noUser / anonymous);
 * 3. this bridge started the pipeline for exactly that application, execution and stage: a Deck
 *    user cannot reach another application's deployment by guessing ids (404 unknownDeployment);
 * 4. the policy lets the user act in that application: Fiat EXECUTE, or the admin's setting (403);
 * 5. the step still awaits approval (409 notAwaitingApproval), then one upstream call.
 *
 * Idempotent from the user's view: concurrent attempts on one step share one upstream call, and an
 * attempt after the same action succeeded answers 200 `repeated: true` without calling CDaaS.
 */
import {
  type ApprovalAction,
  type ApprovalAnswer,
  type ApprovalsAnswer,
  type AuditEntry,
  type RefusalReason,
  approvalRequestSchema,
  approvalRoutes as contractRoutes,
} from '@cdaas/contract/approvals';
import { type CdaasClient, type CdaasStepActions, UpstreamError } from '../cdaas/client';
import type { Reply, RequestContext, Route } from '../http/server';
import { upstreamHttpError } from '../http/upstreamErrors';
import { parseBody } from '../http/validation';
import type { Logger } from '../observability/log';
import type { BridgeMetrics } from '../observability/metrics';
import { type ApprovalPolicy, spinnakerUser, whoRefusal } from './policy';
import type { ApprovalStore, StartedFor } from './store';

export interface ApprovalRoutesDeps {
  client: Pick<CdaasClient, 'pipeline'> & CdaasStepActions;
  store: ApprovalStore;
  policy: ApprovalPolicy;
  logger: Logger;
  metrics: BridgeMetrics;
  now?: () => number;
}

const STATUS_OF: Record<RefusalReason, number> = {
  noUser: 403,
  anonymous: 403,
  approvalsDisabled: 403,
  notPermitted: 403,
  fiatUnavailable: 403,
  unknownDeployment: 404,
  notAwaitingApproval: 409,
  upstreamFailed: 502,
};

const DONE = { approve: 'approved', rollback: 'rolledBack' } as const;
const VERB = { approve: 'approved', rollback: 'rolled back' } as const;

/** This bridge started this pipeline for the request's execution and stage, in its application (case-insensitive, as Spinnaker names are). */
const startedHere = (s: StartedFor | undefined, pipelineId: string, application: string): s is StartedFor =>
  !!s && s.pipelineId === pipelineId && s.application.toLowerCase() === application.toLowerCase();

export function approvalRoutes(deps: ApprovalRoutesDeps): Route[] {
  const { client, store, policy, logger, metrics } = deps;
  const now = deps.now ?? Date.now;
  // One upstream call per step at a time, whoever clicks: the others wait for its outcome.
  const inFlight = new Map<string, Promise<{ entry: AuditEntry; reply: Reply }>>();

  const record = async (entry: AuditEntry) => {
    metrics.approvalAttempts.inc({ action: entry.action, result: entry.result, reason: entry.reason ?? 'none' });
    const fields = { ...entry, at: undefined };
    if (entry.result === 'refused' || entry.result === 'failed') logger.warn('approval attempt refused', fields);
    else logger.info('approval attempt carried out', fields);
    await store.appendAudit(entry.pipelineId, entry);
  };

  const act = (action: ApprovalAction) => async (ctx: RequestContext): Promise<Reply> => {
    const { pipelineId, stepRef } = ctx.params;
    const request = parseBody(approvalRequestSchema, await ctx.json(), 'approval request');
    const user = spinnakerUser(ctx.req.headers);
    const base = { user, action, application: request.application, executionId: request.executionId, stageRefId: request.stageRefId, pipelineId, stepRef };
    type Outcome = { entry: AuditEntry; reply: Reply };
    const refuse = async (reason: RefusalReason, message: string, result: 'refused' | 'failed' = 'refused', status = STATUS_OF[reason]): Promise<Outcome> => {
      const entry: AuditEntry = { ...base, at: new Date(now()).toISOString(), result, reason, message };
      await record(entry);
      return { entry, reply: { status, body: { error: message, reason } } };
    };
    const failed = (err: unknown) => {
      const e = upstreamHttpError(err);
      return refuse('upstreamFailed', `CD-as-a-Service did not carry out the ${action}: ${e.answer.error}`, 'failed', e.status >= 500 ? e.status : 502);
    };
    /** A later attempt on a step already acted on: the same action repeats, the other conflicts. */
    const repeatOrConflict = async (first: AuditEntry): Promise<Reply> => {
      if (first.result === DONE[action]) {
        await record({ ...base, at: new Date(now()).toISOString(), result: 'refused', reason: 'notAwaitingApproval', message: `repeated: already ${VERB[action]} by ${first.user ?? 'unknown'} at ${first.at}` });
        const answer: ApprovalAnswer = { pipelineId, stepRef, action, user: first.user ?? 'unknown', at: first.at, repeated: true };
        return { status: 200, body: answer };
      }
      if (first.result === 'approved' || first.result === 'rolledBack') {
        return (await refuse('notAwaitingApproval', `step ${stepRef} was already ${VERB[first.action]} by ${first.user ?? 'unknown'} at ${first.at}`)).reply;
      }
      // The shared attempt was refused or failed: this caller hears the same.
      return (await refuse(first.reason ?? 'upstreamFailed', first.message ?? `the ${action} did not happen`, first.result === 'failed' ? 'failed' : 'refused')).reply;
    };

    const who = whoRefusal(user);
    if (who && !who.allowed) return (await refuse(who.reason, who.message)).reply;
    const origin = await store.startedFor(request.executionId, request.stageRefId);
    if (!startedHere(origin, pipelineId, request.application)) {
      return (await refuse('unknownDeployment', `this bridge has no deployment ${pipelineId} started for application ${request.application}, execution ${request.executionId}, stage ${request.stageRefId} (a bridge restart forgets the deployments it started)`)).reply;
    }
    const decision = await policy.decide(user, origin.application);
    if (!decision.allowed) return (await refuse(decision.reason, decision.message)).reply;

    const key = `${pipelineId}\u0000${stepRef}`;
    const running = inFlight.get(key);
    if (running) return repeatOrConflict((await running).entry);

    const attempt = async (): Promise<Outcome> => {
      // The audit is shared by the replicas: an action another replica carried out counts too.
      const done = (await store.listAudit(pipelineId)).find((e) => e.stepRef === stepRef && (e.result === 'approved' || e.result === 'rolledBack'));
      if (done) return { entry: done, reply: await repeatOrConflict(done) };
      let status: string | undefined;
      try {
        status = (await client.pipeline(pipelineId)).steps.find((s) => s.ref === stepRef)?.status;
      } catch (err) {
        return failed(err);
      }
      if (!status) return refuse('notAwaitingApproval', `CD-as-a-Service pipeline ${pipelineId} has no step ${stepRef}`);
      if (status !== 'AWAITING_APPROVAL') return refuse('notAwaitingApproval', `step ${stepRef} no longer awaits approval: CD-as-a-Service reports it ${status}`);
      try {
        if (action === 'approve') await client.approveStep(pipelineId, stepRef);
        else await client.rollbackStep(pipelineId, stepRef);
      } catch (err) {
        // CDaaS's 409: the step moved on between the look and the call (another console user).
        if (err instanceof UpstreamError && err.kind === 'status' && err.status === 409) {
          return refuse('notAwaitingApproval', `step ${stepRef} no longer awaits approval (${err.message})`);
        }
        return failed(err);
      }
      const entry: AuditEntry = { ...base, user: user as string, at: new Date(now()).toISOString(), result: DONE[action] };
      await record(entry);
      const answer: ApprovalAnswer = { pipelineId, stepRef, action, user: user as string, at: entry.at, repeated: false };
      return { entry, reply: { status: 200, body: answer } };
    };

    // Set before any await, so a concurrent attempt on the step always finds it.
    const shared = attempt();
    inFlight.set(key, shared);
    try {
      return (await shared).reply;
    } finally {
      inFlight.delete(key);
    }
  };

  const list = async (ctx: RequestContext): Promise<Reply> => {
    const { pipelineId } = ctx.params;
    const query = parseBody(approvalRequestSchema, Object.fromEntries(['application', 'executionId', 'stageRefId'].flatMap((k) => (ctx.query.has(k) ? [[k, ctx.query.get(k)]] : []))), 'approvals query');
    const { application } = query;
    const origin = await store.startedFor(query.executionId, query.stageRefId);
    const user = spinnakerUser(ctx.req.headers);
    // Not an error to read: the answer is "nobody may act here", with no audit. Another
    // application's deployment looks exactly like an unknown one.
    if (!startedHere(origin, pipelineId, application)) {
      const message = `this bridge has no deployment ${pipelineId} started for application ${application}, execution ${query.executionId}, stage ${query.stageRefId} (a bridge restart forgets the deployments it started)`;
      const unknown: ApprovalsAnswer = { pipelineId, ...(user ? { user } : {}), permission: { allowed: false, reason: 'unknownDeployment', message }, audit: [] };
      return { status: 200, body: unknown };
    }
    const decision = await policy.decide(user, origin.application);
    const answer: ApprovalsAnswer = {
      pipelineId,
      ...(user ? { user } : {}),
      permission: decision.allowed ? { allowed: true } : { allowed: false, reason: decision.reason, message: decision.message },
      audit: await store.listAudit(pipelineId),
    };
    return { status: 200, body: answer };
  };

  return [
    { name: 'approve', method: 'POST', path: contractRoutes.approve.pattern, handler: act('approve') },
    { name: 'rollback', method: 'POST', path: contractRoutes.rollback.pattern, handler: act('rollback') },
    { name: 'approvals', method: 'GET', path: contractRoutes.approvals.pattern, handler: list },
  ];
}
