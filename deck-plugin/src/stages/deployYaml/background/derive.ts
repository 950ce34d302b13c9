import { summarizeDeployment, type DeployYamlResult } from '@cdaas/contract/deployYaml';

import type { Derived, SentResult } from './protocol';

/** The summary of a checked text (see Derived). */
export function deriveFrom(result: DeployYamlResult): Derived | undefined {
  if (!result.deployment) return undefined;
  return { summary: summarizeDeployment(result.deployment) };
}

/**
 * The deployment as JSON text, or undefined where JSON would not give it back as it is: numbers
 * JSON has no form for (.inf, .nan, -0 become null or 0) and a `__proto__` key (JSON.parse makes
 * it an own key, where the check's object may not have it as one). Those are sent as objects.
 */
function exactJson(deployment: Record<string, unknown>): string | undefined {
  let exact = true;
  const json = JSON.stringify(deployment, function (key, value: unknown) {
    if (key === '__proto__' || (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)))) exact = false;
    return value;
  });
  return exact ? json : undefined;
}

/** The result as the worker answers it (see SentResult). */
export function toSent(result: DeployYamlResult): SentResult {
  if (!result.deployment) return result;
  const json = exactJson(result.deployment);
  if (json === undefined) return result;
  const { deployment: _parsed, ...rest } = result;
  return { ...rest, deploymentJson: json };
}
