/**
 * The one place where a failed read through Gate's proxy becomes user wording. Views render
 * `CdaasReadError.message` as is; nothing else turns HTTP statuses into text.
 */
import type { RefusalReason } from '@cdaas/contract/approvals';
import type { ClusterError } from '@cdaas/contract/read';
import { READ_PROXY_ID } from '@cdaas/contract/read';

export type ReadErrorKind =
  /** Gate wants a signed-in user (session expired). */
  | 'unauthenticated'
  /** Gate or the bridge refused the user. */
  | 'forbidden'
  /** Gate has no proxy `cdaas`, or cannot reach the bridge behind it. */
  | 'bridgeUnreachable'
  /** The bridge answered with an error of its own (e.g. CD-as-a-Service refused its credentials). */
  | 'bridgeError'
  /** No HTTP answer at all (Gate down, CORS, offline). */
  | 'network'
  /** An answer this plugin version does not understand. */
  | 'invalid'
  /** The bridge refused an approve / roll back, with a reason (CdaasReadError.reason). */
  | 'refused';

export class CdaasReadError extends Error {
  constructor(
    message: string,
    public readonly kind: ReadErrorKind,
    /** The HTTP status Deck saw, when there was an answer; kept for logs and tests. */
    public readonly status?: number,
    /** For kind `refused`: the bridge's reason code. */
    public readonly reason?: RefusalReason,
  ) {
    super(message);
    this.name = 'CdaasReadError';
  }
}

const ASK_ADMIN = 'ask your Spinnaker admin';

/**
 * @param status the status Gate answered with
 * @param upstreamStatus Gate's `X-Proxy-Status-Code` header: the bridge's own status when Gate
 *   turned a bridge 5xx into 502
 * @param bridgeMessage the `error` of the bridge's ErrorAnswer, when the body carried one
 */
export function readErrorFromStatus(status: number, upstreamStatus?: number, bridgeMessage?: string): CdaasReadError {
  const detail = bridgeMessage ? `: ${bridgeMessage}` : '';
  if (status === 401) {
    return new CdaasReadError('Your Spinnaker session has expired (HTTP 401); reload Deck and sign in again.', 'unauthenticated', status);
  }
  if (status === 403) {
    return new CdaasReadError(`You are not allowed to read CD-as-a-Service data (HTTP 403)${detail}; ${ASK_ADMIN}.`, 'forbidden', status);
  }
  if (status === 502 && upstreamStatus && bridgeMessage) {
    return new CdaasReadError(`The CDaaS bridge failed (HTTP ${upstreamStatus})${detail}.`, 'bridgeError', status);
  }
  if (status === 404 || status === 502 || status === 504) {
    return new CdaasReadError(
      `The CDaaS bridge is not reachable through Gate's proxy \`${READ_PROXY_ID}\` (HTTP ${status}); ${ASK_ADMIN}.`,
      'bridgeUnreachable',
      status,
    );
  }
  if (status >= 500) {
    return new CdaasReadError(`The CDaaS bridge could not answer (HTTP ${status})${detail}; try again later.`, 'bridgeError', status);
  }
  return new CdaasReadError(`The CDaaS bridge refused the request (HTTP ${status})${detail}.`, 'bridgeError', status);
}

export function readErrorFromNetwork(gateUrl: string, cause: unknown): CdaasReadError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new CdaasReadError(`Deck could not reach Gate at ${gateUrl} (${why}).`, 'network');
}

export function readErrorFromInvalid(what: string, problem: string): CdaasReadError {
  return new CdaasReadError(
    `The CDaaS bridge sent ${what} this plugin does not understand (${problem}); the bridge and plugin versions may not match, ${ASK_ADMIN}.`,
    'invalid',
  );
}

const CONSOLE = 'approve or roll back in the CD-as-a-Service console instead';

/** Why the user may not (or could not) approve or roll back, in their words. */
export function approvalRefusalText(reason: RefusalReason, bridgeMessage?: string): string {
  const detail = bridgeMessage ? ` (${bridgeMessage})` : '';
  switch (reason) {
    case 'noUser':
      return `Gate did not tell the CDaaS bridge who you are: approving from Deck needs Gate 1.31 or newer; ${ASK_ADMIN}, or ${CONSOLE}.`;
    case 'anonymous':
      return 'You are not signed in to Spinnaker: sign in to approve or roll back.';
    case 'approvalsDisabled':
      return `Approving from Deck is turned off on the CDaaS bridge; ${ASK_ADMIN}, or ${CONSOLE}.`;
    case 'notPermitted':
      return 'You do not have permission to approve or roll back in this application: it takes EXECUTE permission; ask an owner of the application.';
    case 'fiatUnavailable':
      return "Spinnaker could not confirm your permission just now (its authorization service, Fiat, did not answer); try again in a moment.";
    case 'unknownDeployment':
      return `The CDaaS bridge has no record of starting this deployment for this application (it may have restarted since); ${CONSOLE}.`;
    case 'notAwaitingApproval':
      return `This step no longer awaits approval${detail}.`;
    case 'upstreamFailed':
      return `CD-as-a-Service did not carry out the request${detail}; try again, or use the CD-as-a-Service console.`;
  }
}

export function approvalRefusal(status: number, reason: RefusalReason, bridgeMessage?: string): CdaasReadError {
  return new CdaasReadError(approvalRefusalText(reason, bridgeMessage), 'refused', status, reason);
}

/** The scope CD-as-a-Service requires for the agent cache (namespaces, deployments, replica sets). */
export const INFRASTRUCTURE_SCOPE = 'read:infrastructure:data';

/**
 * Which role grants that scope is not documented (searched 2026-12: Armory's "Create Client
 * Credentials" and RBAC pages). Documented are the "Deployments Full Access" role for deploying,
 * and a "Remote Network Agent" scope group of write:infra:data, get:infra:op and connect:agentHub
 * for an agent's own credential (https://docs.armory.io/cd-as-a-service/tasks/iam/client-creds/).
 * So the wording names the scope and says to ask Armory, rather than naming a role it cannot cite.
 */
export const INFRASTRUCTURE_ROLE_NOTE =
  "Armory's docs name no role that grants it (the \"Deployments Full Access\" role they document is for deploying, the \"Remote Network Agent\" scope group for an agent's own credential): ask Armory support which one does.";

/**
 * What an admin should check after a failed read, most likely first: shown under the message in
 * every view's failure state, so a broken install says where to look.
 */
export function readErrorChecks(error: CdaasReadError): string[] {
  const proxy = `Gate has a \`proxies:\` entry with id \`${READ_PROXY_ID}\` whose \`uri\` is the bridge's read listener (gate-local.yml; see the admin guide).`;
  const ready = "The bridge is running and ready: its read listener's /healthz answers 200.";
  const scope = `The bridge's CD-as-a-Service client credentials include the scope \`${INFRASTRUCTURE_SCOPE}\`, which the agent cache needs. ${INFRASTRUCTURE_ROLE_NOTE}`;
  switch (error.kind) {
    case 'bridgeUnreachable':
      return error.status === 404 ? [proxy, ready] : [ready, proxy];
    case 'bridgeError':
      return [scope, ready];
    case 'forbidden':
      return [`Your Spinnaker user may read through Gate's proxy \`${READ_PROXY_ID}\`.`, scope];
    case 'network':
      return ["Gate is reachable from this browser (Deck's `gateUrl` setting, CORS).", proxy];
    case 'invalid':
      return ['The bridge and this plugin are the same release.'];
    case 'unauthenticated':
    case 'refused':
      return [];
  }
}

/**
 * The bridge's message without its own "CD-as-a-Service answered HTTP 500 to cacheCluster: "
 * lead, which the wording here already says (and which names an internal operation).
 */
function upstreamDetail(error: ClusterError): string {
  return error.message.replace(/^CD-as-a-Service answered HTTP \d{3} to \w+(: |$)/, '') || 'no details';
}

/** One cluster's error, as data from the bridge (contract ClusterError), in the views' words. */
export function clusterErrorText(error: ClusterError): string {
  switch (error.kind) {
    case 'status':
      if (error.status === 401 || error.status === 403) {
        return `CD-as-a-Service refused the agent cache read (HTTP ${error.status}): the bridge's credentials need the scope \`${INFRASTRUCTURE_SCOPE}\`. ${upstreamDetail(error)}`;
      }
      if (error.status === 404) return `The agent cache has no data for this cluster (HTTP 404): ${upstreamDetail(error)}`;
      return `The agent cache answered HTTP ${error.status}: ${upstreamDetail(error)}`;
    case 'network':
      return `No answer from CD-as-a-Service for this cluster: ${error.message}`;
    case 'invalid':
      return `This cluster's data could not be read (the bridge and plugin versions may differ): ${error.message}`;
  }
}
