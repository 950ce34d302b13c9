/** The application tab's rows, without React: progress, canary weight and links of a deployment. */
import type { DeployStep } from '@cdaas/contract/deploy';
import { FINAL_STATUSES } from '@cdaas/contract/deploy';
import type { ApplicationDeployment } from '@cdaas/contract/read';
import { clusterErrorText } from '../../api/readErrors';
import { stepDescription } from '../../stages/common/executionDetails/deploymentView';
import type { PartialError } from '../common/ViewStates';
import type { ApplicationDeployments } from '../api/CdaasViewsClient';

export const isRunning = (d: ApplicationDeployment) => !FINAL_STATUSES.includes(d.status);

/** The weight the canary has reached: the last weight step CDaaS reports as done. */
export function currentWeight(steps: readonly DeployStep[]): number | undefined {
  let weight: number | undefined;
  for (const s of steps) if (s.weight !== undefined && s.status === 'SUCCEEDED') weight = s.weight;
  return weight;
}

/** "Step 2 of 4: Pause until approved", "4 of 4 steps done". */
export function progressText(steps: readonly DeployStep[]): string {
  if (!steps.length) return 'No steps reported yet';
  const current = steps.findIndex((s) => s.status !== 'SUCCEEDED');
  if (current < 0) return `${steps.length} of ${steps.length} steps done`;
  const s = steps[current]!;
  const prefix = s.status && s.status !== 'NOT_STARTED' && s.status !== 'QUEUED' ? 'Step' : 'Next: step';
  return `${prefix} ${current + 1} of ${steps.length}: ${stepDescription(s)}`;
}

/** The deployments' own errors (a status that could not be refreshed) and skipped entries. */
export function applicationErrors(answer: ApplicationDeployments): PartialError[] {
  const errors: PartialError[] = answer.skipped.map((text) => ({ text }));
  for (const d of answer.deployments) {
    for (const e of d.errors) errors.push({ cluster: d.targets.map((t) => t.account).join(', ') || d.pipelineId, text: `Deployment ${d.pipelineId}: ${clusterErrorText(e)}` });
  }
  return errors;
}
