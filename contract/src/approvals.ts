/**
 * The approvals contract: Deck approves or rolls back a CD-as-a-Service step paused until approved,
 * through Gate's proxy `cdaas` to the bridge's read listener. The two POSTs are the only writes the
 * read listener accepts; the GET gives the details view who may act and who acted.
 *
 * The user is never in a request body: Gate (1.31+) adds the signed-in user's `X-SPINNAKER-USER`
 * to what it proxies, and the bridge trusts that header only because nothing but Gate can reach the
 * read listener (NetworkPolicy). Both sides import this module.
 */
import * as v from 'valibot';

import { route } from './routes';

/**
 * The approval routes, served by the bridge's read listener and called by Deck. The pipeline and
 * step are in the path; the Spinnaker application, execution and stage travel in the body (POST)
 * or the query (GET), so the bridge can check them against what it recorded at the start.
 */
export const approvalRoutes = {
  approve: route('POST', '/v1/deployments/:pipelineId/steps/:stepRef/approve'),
  rollback: route('POST', '/v1/deployments/:pipelineId/steps/:stepRef/rollback'),
  /** Who may act now (the requesting user) and every attempt so far. Query: application, executionId, stageRefId. */
  approvals: route('GET', '/v1/deployments/:pipelineId/approvals'),
} as const;

export const APPROVAL_ACTIONS = ['approve', 'rollback'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/** The POST body. Gate sends a body only with a Content-Type: Deck always sends this JSON. */
export const approvalRequestSchema = v.object({
  /** The Spinnaker application the stage runs in; must be the one the deployment was started for. */
  application: v.pipe(v.string(), v.minLength(1), v.maxLength(253)),
  executionId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  stageRefId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
});
export type ApprovalRequest = v.InferOutput<typeof approvalRequestSchema>;

/**
 * Why an attempt was refused (or could not be made), as a code Deck turns into words
 * (deck-plugin/src/api/readErrors.ts) and the audit records:
 * - noUser: no X-SPINNAKER-USER (Gate older than 1.31, or propagateSpinnakerHeaders off);
 * - anonymous: Gate passed `anonymous` (no one is signed in);
 * - approvalsDisabled: no Fiat and the admin has not enabled approvals;
 * - notPermitted: Fiat (or the admin's list) does not let this user EXECUTE the application;
 * - fiatUnavailable: Fiat could not answer; refused, never allowed;
 * - unknownDeployment: this bridge did not start this pipeline for this application/execution/stage;
 * - notAwaitingApproval: the step is not waiting (it moved on, or someone acted already);
 * - upstreamFailed: CD-as-a-Service refused or failed the call.
 */
export const REFUSAL_REASONS = [
  'noUser',
  'anonymous',
  'approvalsDisabled',
  'notPermitted',
  'fiatUnavailable',
  'unknownDeployment',
  'notAwaitingApproval',
  'upstreamFailed',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const APPROVAL_RESULTS = ['approved', 'rolledBack', 'refused', 'failed'] as const;
export type ApprovalResult = (typeof APPROVAL_RESULTS)[number];

/** One attempt, allowed or refused, as the audit keeps it. */
export const auditEntrySchema = v.object({
  at: v.string(),
  /** The Spinnaker user; absent when Gate passed none. */
  user: v.optional(v.string()),
  action: v.picklist(APPROVAL_ACTIONS),
  application: v.string(),
  executionId: v.string(),
  stageRefId: v.string(),
  pipelineId: v.string(),
  stepRef: v.string(),
  result: v.picklist(APPROVAL_RESULTS),
  reason: v.optional(v.picklist(REFUSAL_REASONS)),
  message: v.optional(v.string()),
});
export type AuditEntry = v.InferOutput<typeof auditEntrySchema>;

/** The answer to a POST that CD-as-a-Service carried out (or had already carried out). */
export const approvalAnswerSchema = v.object({
  pipelineId: v.string(),
  stepRef: v.string(),
  action: v.picklist(APPROVAL_ACTIONS),
  user: v.string(),
  at: v.string(),
  /** True when this repeated an action already made (a double click): no second upstream call. */
  repeated: v.boolean(),
});
export type ApprovalAnswer = v.InferOutput<typeof approvalAnswerSchema>;

/** A refusal: the usual ErrorAnswer plus the reason code. 403 (who), 404 (which), 409 (when). */
export const approvalRefusalSchema = v.object({
  error: v.string(),
  reason: v.picklist(REFUSAL_REASONS),
  field: v.optional(v.string()),
});
export type ApprovalRefusal = v.InferOutput<typeof approvalRefusalSchema>;

/** GET approvals: may the requesting user act, and every attempt recorded for the pipeline. */
export const approvalsAnswerSchema = v.object({
  pipelineId: v.string(),
  user: v.optional(v.string()),
  permission: v.object({
    allowed: v.boolean(),
    reason: v.optional(v.picklist(REFUSAL_REASONS)),
    message: v.optional(v.string()),
  }),
  audit: v.array(auditEntrySchema),
});
export type ApprovalsAnswer = v.InferOutput<typeof approvalsAnswerSchema>;

/** Gate's name for "nobody is signed in" (kork's AuthenticatedRequest when auth is off). */
export const ANONYMOUS_USER = 'anonymous';
