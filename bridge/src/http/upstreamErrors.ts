/**
 * The one place where an upstream failure becomes the deploy listener's HTTP answer. Orca ends a
 * Webhook stage TERMINAL on a 4xx (with our body in webhook.error) and retries 5xx/429, so:
 * problems retrying cannot fix (a deploy.yml CD-as-a-Service refuses, a conflict) are 4xx, and
 * outages are 5xx.
 */
import { UpstreamError } from '../cdaas/client';
import { StartInProgressError, UnknownOutcomeError } from '../state/coordinator';
import { StoreUnavailableError } from '../state/types';
import { HttpError, httpError } from './server';

export function upstreamHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  // Not deploying blind: Orca retries a 503 until the store is back.
  if (err instanceof StoreUnavailableError) return httpError(503, `${err.message}; not starting or cancelling without it (status reads keep working)`);
  if (err instanceof StartInProgressError) return httpError(503, err.message);
  if (err instanceof UnknownOutcomeError) {
    const o = err.outcome;
    const at = new Date(o.at).toISOString();
    // 4xx: the stage ends here with this text in webhook.error, instead of Orca retrying into a duplicate.
    return httpError(
      409,
      `CD-as-a-Service may have started a deployment for this stage, but its answer was lost at ${at} (${o.reason}). ` +
        `CD-as-a-Service offers no idempotency key, so the bridge cannot tell whether a pipeline was created and does not start another one blindly. ` +
        `Check the CD-as-a-Service console for a deployment of application "${o.application}" started around ${at} ` +
        `(its context has spinnakerExecutionId=${o.executionId}, spinnakerStageRefId=${o.stageRefId}): if there is one, follow it there; ` +
        `if there is none, restart this stage after ${new Date(o.until).toISOString()}.`,
      'start',
    );
  }
  if (!(err instanceof UpstreamError)) return httpError(500, 'internal error in the bridge');
  switch (err.kind) {
    case 'auth':
      return httpError(503, `the bridge could not get a CD-as-a-Service token: ${err.message}`);
    case 'network':
      return httpError(503, err.message);
    case 'invalid':
      return httpError(502, err.message);
    case 'request':
      return httpError(400, `the deploy request cannot be sent to CD-as-a-Service: ${err.message}`, 'deployment');
    case 'status': {
      const s = err.status ?? 502;
      if (s === 409) return httpError(409, `CD-as-a-Service refused the start (conflict): ${err.message}. deploy.yml deploymentConfig.ifDeploymentInProgress decides what happens when a deployment is in progress`);
      if (s === 404) return httpError(404, err.message);
      if (s === 401 || s === 403) return httpError(502, err.message);
      if (s === 429 || s >= 500) return httpError(503, err.message);
      return httpError(400, `CD-as-a-Service refused the request: ${err.message}`, 'deployment');
    }
  }
}
