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

/**
 * A result as the worker sends it: the deployment as JSON text where JSON holds it exactly. A
 * string crosses to the main thread as one copy; the parsed document took the main thread ~3 ms
 * to rebuild per answer (and its garbage, later collections), though only the stage's payload
 * reads it, once typing pauses (see `received` in validateInBackground.ts).
 */
export type SentResult = Omit<DeployYamlResult, 'deployment'> & ({ deploymentJson: string } | { deployment?: Record<string, unknown> });

/** Worker to main thread: its result, or why it could not produce one. */
export type CheckAnswer = { id: number; result: SentResult; derived?: Derived } | { id: number; error: string };
