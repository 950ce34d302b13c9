import { summarizeDeployment, type DeployYamlResult } from '@cdaas/contract/deployYaml';

import { accountPositions } from './accountPositions';
import type { Derived } from './protocol';

/** The summary and the targets' account positions of a checked text (see Derived). */
export function deriveFrom(text: string, result: DeployYamlResult): Derived | undefined {
  if (!result.deployment) return undefined;
  const summary = summarizeDeployment(result.deployment);
  return { summary, accountPositions: accountPositions(text, summary.targets.map((t) => t.name)) };
}
