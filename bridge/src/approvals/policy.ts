/**
 * Who may approve or roll back: the user Gate names, authorized by Fiat when the admin configured
 * it, else by the admin's setting (off by default). Every "no" carries a reason code and words; any
 * doubt (Fiat down, an odd header) is a "no", never a "yes".
 */
import type { IncomingHttpHeaders } from 'node:http';

import { ANONYMOUS_USER, type RefusalReason } from '@cdaas/contract/approvals';
import type { BridgeConfig } from '../config/config';
import { type FiatClient, FiatUnavailableError } from './fiat';

export type Decision = { allowed: true } | { allowed: false; reason: RefusalReason; message: string };

export interface ApprovalPolicy {
  /** May `user` (undefined: Gate named nobody) approve or roll back in `application`? */
  decide(user: string | undefined, application: string): Promise<Decision>;
}

/**
 * The user Gate's SpinnakerRequestHeaderInterceptor put in X-SPINNAKER-USER (Gate 1.31+, unless
 * `ok-http-client.propagateSpinnakerHeaders: false`). Trusted only because the read listener is
 * reachable from Gate alone (NetworkPolicy, read.allowedCidrs): Gate never forwards the browser's
 * own headers, so a browser cannot set it. A repeated or malformed header names nobody.
 */
export function spinnakerUser(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers['x-spinnaker-user'];
  if (typeof raw !== 'string') return undefined;
  const user = raw.trim();
  // Node joins a repeated header with ", ": two users is no user.
  if (!user || user.length > 256 || user.includes(',') || /[\u0000-\u001f\u007f]/.test(user)) return undefined;
  return user;
}

const refuse = (reason: RefusalReason, message: string): Decision => ({ allowed: false, reason, message });

/** The checks every mode shares: someone must be signed in. Undefined when someone is. */
export function whoRefusal(user: string | undefined): Decision | undefined {
  if (user === undefined) {
    return refuse(
      'noUser',
      'Gate passed no user (X-SPINNAKER-USER) to the bridge: approving from Deck needs Gate 1.31 or newer with ok-http-client.propagateSpinnakerHeaders left on',
    );
  }
  if (user.toLowerCase() === ANONYMOUS_USER) return refuse('anonymous', 'nobody is signed in to Spinnaker (Gate passed the anonymous user)');
  return undefined;
}

export function createApprovalPolicy(config: BridgeConfig['approvals'], fiat: FiatClient | undefined): ApprovalPolicy {
  const allowed = new Set(config.allowedUsers.map((u) => u.toLowerCase()));
  return {
    async decide(user, application) {
      const who = whoRefusal(user);
      if (who) return who;
      const name = user as string;
      if (fiat) {
        try {
          return (await fiat.canExecute(name, application))
            ? { allowed: true }
            : refuse('notPermitted', `Spinnaker (Fiat) does not give ${name} EXECUTE permission on application ${application}`);
        } catch (err) {
          const why = err instanceof FiatUnavailableError ? err.message : 'Fiat check failed';
          return refuse('fiatUnavailable', `Spinnaker's authorization service could not confirm that ${name} may EXECUTE ${application} (${why}); refused until it can`);
        }
      }
      switch (config.withoutFiat) {
        case 'anyUser':
          return { allowed: true };
        case 'allowList':
          return allowed.has(name.toLowerCase())
            ? { allowed: true }
            : refuse('notPermitted', `${name} is not among the users the bridge's admin allows to approve (approvals.allowedUsers)`);
        default:
          return refuse('approvalsDisabled', 'approving from Deck is turned off on this bridge (set approvals.fiatUrl, or approvals.withoutFiat)');
      }
    },
  };
}
