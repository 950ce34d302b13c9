import type { DeployYamlResult, DeploymentSummary } from '@cdaas/contract/deployYaml';

import type { Position } from './accountPositions';

/** Main thread to worker: check this text. */
export interface CheckRequest {
  id: number;
  text: string;
}

/**
 * What the form derives from a result, read with the check so the main thread does not: the
 * summary, and every target account's position (for the warnings about accounts with no agent).
 */
export interface Derived {
  summary?: DeploymentSummary;
  accountPositions: Map<string, Position>;
}

/** Worker to main thread: its result, or why it could not produce one. */
export type CheckAnswer = { id: number; result: DeployYamlResult; derived?: Derived } | { id: number; error: string };
