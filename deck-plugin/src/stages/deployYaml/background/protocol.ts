import type { DeployYamlResult, DeploymentSummary } from '@cdaas/contract/deployYaml';

/** Main thread to worker: check this text. */
export interface CheckRequest {
  id: number;
  text: string;
}

/**
 * What the form derives from a result, worked out with the check so the main thread does not: the
 * summary (the account positions for the warnings about accounts come in the result itself).
 */
export interface Derived {
  summary?: DeploymentSummary;
}

/** Worker to main thread: its result, or why it could not produce one. */
export type CheckAnswer = { id: number; result: DeployYamlResult; derived?: Derived } | { id: number; error: string };
