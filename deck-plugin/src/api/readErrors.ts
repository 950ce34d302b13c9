/**
 * The one place where a failed read through Gate's proxy becomes user wording. Views render
 * `CdaasReadError.message` as is; nothing else turns HTTP statuses into text.
 */
import type { RefusalReason } from '@cdaas/contract/approvals';
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
