/**
 * What Orca's Webhook stage (MonitorWebhookTask) reads to follow a CD-as-a-Service deployment,
 * written out as Orca documents the fields rather than taken from the contract's
 * webhookStageFields: the tests compare what a stage saves with this, so a change to the fields
 * the stages write fails them.
 */
export const ORCA_MONITOR_FIELDS = {
  waitForCompletion: true,
  statusUrlResolution: 'webhookResponse',
  statusUrlJsonPath: '$.statusUrl',
  statusJsonPath: '$.status',
  progressJsonPath: '$.progress',
  successStatuses: 'SUCCEEDED',
  canceledStatuses: 'CANCELLED',
  terminalStatuses: 'FAILED,REJECTED',
} as const;
