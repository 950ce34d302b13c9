import type { IExecutionDetailsSectionProps, IExecutionStage } from '@spinnaker/core';
import { render, screen, within } from '@testing-library/react';
import React from 'react';

import {
  CONSOLE_URL,
  monitorErrorContext,
  PIPELINE_ID,
  refusedStartContext,
  runningCanaryContext,
} from '../../../../test/fixtures/webhookContext';
import { CdaasDeploymentDetails } from './CdaasDeploymentDetails';

function renderDetails(context: unknown, status = 'RUNNING', current = CdaasDeploymentDetails.title, endTime?: number) {
  const stage = { id: 's1', refId: '1', type: 'cdaasDeploy', name: 'Deploy', status, endTime, context, tasks: [] } as unknown as IExecutionStage;
  const props = { stage, name: CdaasDeploymentDetails.title, current } as unknown as IExecutionDetailsSectionProps;
  return render(<CdaasDeploymentDetails {...props} />);
}

describe('CdaasDeploymentDetails', () => {
  it('shows the status, each step with its state and times, warnings, the pipeline id and the console link', () => {
    renderDetails(runningCanaryContext);
    expect(screen.getByText('Status').nextSibling).toHaveTextContent('Awaiting approval');
    expect(screen.getByText('Step 2 of 3: awaiting approval')).toBeInTheDocument();
    expect(screen.getByText(PIPELINE_ID)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open in the CD-as-a-Service console' })).toHaveAttribute('href', CONSOLE_URL);
    expect(screen.getByText('namespace "shop" was set on the manifests and overridden by the stage')).toBeInTheDocument();

    const rows = within(screen.getByRole('table', { name: 'Deployment steps' })).getAllByRole('row').slice(1);
    const cells = rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(cells.map((c) => [c[1], c[2], c[3]])).toEqual([
      ['Set weight to 25%', 'prod-eu-west-1', 'Weight 25% reached'],
      ['Pause until approved', 'prod-eu-west-1', 'Paused, awaiting approval'],
      ['Set weight to 100%', 'prod-eu-west-1', 'Not started'],
    ]);
    expect(rows[0].querySelectorAll('time')[1]).toHaveAttribute('dateTime', '2026-11-24T21:32:40Z');
    expect(rows[1].querySelectorAll('time')).toHaveLength(1); // started, not ended
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByRole('note')).toHaveTextContent('The deployment is waiting for an approval.');
    expect(screen.getByRole('link', { name: 'Approve or roll back in the CD-as-a-Service console' })).toHaveAttribute('href', CONSOLE_URL);
  });

  it("falls back to the start answer before the first status, and says it's waiting", () => {
    const { webhook } = runningCanaryContext;
    renderDetails({ webhook: { ...webhook, monitor: undefined } });
    expect(screen.getByText('Started, waiting for the first status')).toBeInTheDocument();
    expect(screen.getByText(PIPELINE_ID)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open in the CD-as-a-Service console' })).toHaveAttribute('href', CONSOLE_URL);
  });

  it("shows the bridge's refusal and Orca's error when the start failed", () => {
    renderDetails(refusedStartContext, 'TERMINAL');
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(
      'The CDaaS bridge answered: The expected artifact "manifests/app.yaml" was not bound in this execution (field: artifacts[0].artifact)',
    );
    expect(alert).toHaveTextContent(/Error submitting webhook .* with status code 400\./);
  });

  it('shows the monitor error beside what the start answer said', () => {
    renderDetails(monitorErrorContext, 'TERMINAL');
    expect(screen.getByRole('alert')).toHaveTextContent(/an exception occurred in webhook monitor .* 404 Not Found/);
    expect(screen.getByText(PIPELINE_ID)).toBeInTheDocument();
  });

  it('says when an answer does not match the contract, without hiding the rest', () => {
    const { webhook } = runningCanaryContext;
    renderDetails({ webhook: { ...webhook, monitor: { body: { pipelineId: PIPELINE_ID, status: 'WARPING' } } } });
    expect(screen.getByRole('alert')).toHaveTextContent('Could not read the last status answer from the CDaaS bridge');
    expect(screen.getByText(PIPELINE_ID)).toBeInTheDocument();
  });

  it('before the start: not started, or starting while the stage runs', () => {
    const { unmount } = renderDetails({}, 'NOT_STARTED');
    expect(screen.getByRole('status')).toHaveTextContent('The deployment has not started.');
    unmount();
    renderDetails(undefined, 'RUNNING');
    expect(screen.getByRole('status')).toHaveTextContent('Starting the deployment…');
  });

  // Regression: after a cancel Deck showed the stage CANCELED but the panel still said "Awaiting
  // approval" and "Ended –", even after a reload: it read the last monitor body only.
  it('after Orca canceled the stage: says Canceled, when it ended, and no step still awaits approval', () => {
    const ended = Date.parse('2026-11-24T21:40:00Z');
    renderDetails(runningCanaryContext, 'CANCELED', CdaasDeploymentDetails.title, ended);
    expect(screen.getByText('Status').nextSibling).toHaveTextContent(/^Canceled$/);
    expect(screen.getByText('Ended', { selector: 'dt' }).nextSibling?.firstChild).toHaveAttribute('dateTime', '2026-11-24T21:40:00.000Z');
    expect(screen.queryByText('Awaiting approval')).not.toBeInTheDocument();
    expect(screen.queryByText('Step 2 of 3: awaiting approval')).not.toBeInTheDocument();
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
    const states = within(screen.getByRole('table', { name: 'Deployment steps' }))
      .getAllByRole('row')
      .slice(1)
      .map((r) => within(r).getAllByRole('cell')[3].textContent);
    expect(states).toEqual(['Weight 25% reached', 'Canceled', 'Not started']);
  });

  it("after the bridge's own final status: its words and end time, whatever Orca's stage says", () => {
    const { webhook } = runningCanaryContext;
    const body = { ...webhook.monitor.body, status: 'CANCELLED', progress: 'Canceled', completedAt: '2026-11-24T21:39:00Z' };
    renderDetails({ webhook: { ...webhook, monitor: { ...webhook.monitor, body } } }, 'CANCELED', CdaasDeploymentDetails.title, Date.parse('2026-11-24T21:39:02Z'));
    expect(screen.getByText('Status').nextSibling).toHaveTextContent(/^Canceled$/);
    expect(screen.getByText('Ended', { selector: 'dt' }).nextSibling?.firstChild).toHaveAttribute('dateTime', '2026-11-24T21:39:00Z');
  });

  it('a stage that failed in Orca (e.g. its timeout) while the bridge last said running reads Failed', () => {
    renderDetails(runningCanaryContext, 'TERMINAL', CdaasDeploymentDetails.title, Date.parse('2026-11-24T22:30:00Z'));
    expect(screen.getByText('Status').nextSibling).toHaveTextContent(/^Failed$/);
    expect(screen.getByRole('table', { name: 'Deployment steps' })).toHaveTextContent('Stopped (stage failed)');
  });

  it('renders nothing when another section is current', () => {
    const { container } = renderDetails(runningCanaryContext, 'RUNNING', 'taskStatus');
    expect(container).toBeEmptyDOMElement();
  });
});
