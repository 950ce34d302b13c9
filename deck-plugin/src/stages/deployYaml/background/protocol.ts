import type { DeployYamlResult } from '@cdaas/contract/deployYaml';

/** Main thread to worker: check this text. */
export interface CheckRequest {
  id: number;
  text: string;
}

/** Worker to main thread: its result, or why it could not produce one. */
export type CheckAnswer = { id: number; result: DeployYamlResult } | { id: number; error: string };
