/**
 * The one place where an upstream failure becomes the deploy listener's HTTP answer. Orca ends a
 * Webhook stage TERMINAL on a 4xx (with our body in webhook.error) and retries 5xx/429, so:
 * problems retrying cannot fix (a deploy.yml CD-as-a-Service refuses, a conflict) are 4xx, and
 * outages are 5xx.
 */
import { UpstreamError } from '../cdaas/client';
import { HttpError, httpError } from './server';

export function upstreamHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (!(err instanceof UpstreamError)) return httpError(500, 'internal error in the bridge');
  switch (err.kind) {
    case 'auth':
      return httpError(503, `the bridge could not get a CD-as-a-Service token: ${err.message}`);
    case 'network':
      return httpError(503, err.message);
    case 'invalid':
      return httpError(502, err.message);
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
