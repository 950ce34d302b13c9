import { summarizeDeployment, type DeployYamlResult } from '@cdaas/contract/deployYaml';

import type { Derived } from './protocol';

/** The summary of a checked text (see Derived). */
export function deriveFrom(result: DeployYamlResult): Derived | undefined {
  if (!result.deployment) return undefined;
  return { summary: summarizeDeployment(result.deployment) };
}
