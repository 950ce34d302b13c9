import type { Application, IExecution, IExecutionDetailsSectionProps, IExecutionStage } from '@spinnaker/core';
import { ExecutionDetailsTasks, Registry } from '@spinnaker/core';
import { render, screen } from '@testing-library/react';
import React from 'react';

import { plugin } from '../../../index';

function webhookRun(type: string): IExecution {
  const task = (id: string, name: string) => ({ id, name, status: 'SUCCEEDED', startTime: 1, endTime: 2, runningTimeInMs: 1000 });
  return {
    id: 'e1',
    stages: [
      { id: 's1', refId: '1', type, name: 'Deploy', status: 'SUCCEEDED', context: {}, tasks: [task('1', 'createWebhook'), task('2', 'monitorWebhook')] },
    ],
  } as unknown as IExecution;
}

describe('task names', () => {
  // Regression: the Task Status tab said "Create Webhook / Monitor Webhook", Orca's words, not the user's.
  it("Task Status names the CDaaS stages' tasks in the user's words, and leaves other Webhook stages alone", async () => {
    await plugin.initialize?.(plugin as never);
    const ours = webhookRun('cdaasDeploy');
    const plainWebhook = webhookRun('webhook');
    for (const t of Registry.pipeline.getExecutionTransformers()) {
      t.transform({} as Application, ours);
      t.transform({} as Application, plainWebhook);
    }
    const props = { stage: ours.stages[0] as IExecutionStage, name: 'taskStatus', current: 'taskStatus' } as unknown as IExecutionDetailsSectionProps;
    render(<ExecutionDetailsTasks {...props} />);
    expect(screen.getByText('Start the CD-as-a-Service deployment')).toBeInTheDocument();
    expect(screen.getByText('Follow the deployment to its end')).toBeInTheDocument();
    expect(screen.queryByText(/Webhook/)).not.toBeInTheDocument();
    expect(plainWebhook.stages[0].tasks.map((t) => t.name)).toEqual(['createWebhook', 'monitorWebhook']);
  });
});
