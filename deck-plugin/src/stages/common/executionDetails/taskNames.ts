/**
 * Task names in the user's words. Orca runs both stages as Webhook stages, so the Task Status tab
 * would say "Create Webhook" and "Monitor Webhook": Orca's implementation, not what the user asked
 * for. Deck lets a plugin rewrite an execution before it is shown (a pipeline transformer, as
 * Deck's own Wait For Condition stage uses); names with a space are shown as written.
 */
import type { IExecution, ITransformer } from '@spinnaker/core';

export const CDAAS_TASK_WORDS: Readonly<Record<string, string>> = {
  createWebhook: 'Start the CD-as-a-Service deployment',
  waitBeforeMonitorWebhook: 'Wait before following the deployment',
  monitorWebhook: 'Follow the deployment to its end',
};

export function cdaasTaskNames(stageTypes: readonly string[]): ITransformer {
  return {
    transform(_application, execution: IExecution) {
      for (const stage of execution.stages ?? []) {
        if (!stageTypes.includes(stage.type)) continue;
        for (const task of stage.tasks ?? []) {
          const words = CDAAS_TASK_WORDS[task.name];
          if (words) task.name = words;
        }
      }
    },
  };
}
