import type { IExecutionDetailsSectionProps, IExecutionStage } from '@spinnaker/core';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import React from 'react';

import type { RefusalReason } from '@cdaas/contract/approvals';
import { ALLOWED_USER, APPLICATION, EXECUTION_ID, approvalsAnswer, approveAnswer, approvedEntry } from '../../../../test/fixtures/approvals';
import { PIPELINE_ID, runningCanaryContext } from '../../../../test/fixtures/webhookContext';
import { PROXY, setupMsw } from '../../../../test/msw';
import { CdaasDeploymentDetails } from './CdaasDeploymentDetails';

const server = setupMsw();
const LIST = `${PROXY}/v1/deployments/:pipelineId/approvals`;
const APPROVE = `${PROXY}/v1/deployments/:pipelineId/steps/:stepRef/approve`;
const ROLLBACK = `${PROXY}/v1/deployments/:pipelineId/steps/:stepRef/rollback`;

/** The details as Deck renders them: with the application and the execution. */
function renderDetails(context: unknown = runningCanaryContext, status = 'RUNNING') {
  const stage = { id: 's1', refId: '1', type: 'cdaasDeploy', name: 'Deploy', status, context, tasks: [] } as unknown as IExecutionStage;
  const props = {
    stage,
    name: CdaasDeploymentDetails.title,
    current: CdaasDeploymentDetails.title,
    application: { name: APPLICATION },
    execution: { id: EXECUTION_ID },
  } as unknown as IExecutionDetailsSectionProps;
  return render(<CdaasDeploymentDetails {...props} />);
}

/** The same context once the run ended: the pause approved, every step done. */
const succeededContext = (() => {
  const c = structuredClone(runningCanaryContext);
  const body = c.webhook.monitor.body;
  body.status = 'SUCCEEDED';
  body.steps = body.steps.map((s) => ({ ...s, status: 'SUCCEEDED', awaitingApproval: false }));
  return c;
})();

const refusal = (status: number, reason: RefusalReason, error = 'bridge words') => HttpResponse.json({ error, reason }, { status });

describe('CdaasApprovals', () => {
  it('approves after a confirmation, as Manual Judgment does: spinner while it runs, buttons disabled after, the approver named', async () => {
    const posted: unknown[] = [];
    let release: () => void = () => undefined;
    let lists = 0;
    const asked: string[] = [];
    server.use(
      http.get(LIST, ({ request }) => {
        asked.push(new URL(request.url).search);
        return HttpResponse.json(approvalsAnswer(lists++ === 0 ? {} : { audit: [approvedEntry] }));
      }),
      http.post(APPROVE, async ({ request, params }) => {
        posted.push({ params: { ...params }, body: await request.json(), contentType: request.headers.get('content-type') });
        await new Promise<void>((r) => (release = r));
        return HttpResponse.json(approveAnswer);
      }),
    );
    renderDetails();
    const step = await screen.findByRole('group', { name: 'Step 2 in prod-eu-west-1: waiting for approval' });
    fireEvent.click(await within(step).findByRole('button', { name: 'Approve' }));
    const confirm = within(step).getByRole('alertdialog', { name: 'Confirm: approve' });
    expect(confirm).toHaveTextContent('Approve Step 2 in prod-eu-west-1? The deployment continues to its next step.');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, approve' }));

    const busy = await within(step).findByRole('button', { name: /Approving/ });
    expect(busy).toBeDisabled();
    expect(within(step).getByRole('button', { name: 'Roll back' })).toBeDisabled();
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({
      params: { pipelineId: PIPELINE_ID, stepRef: 'pause-2' },
      body: { application: APPLICATION, executionId: EXECUTION_ID, stageRefId: '1' },
      contentType: 'application/json',
    });
    release();

    expect(await within(step).findByRole('status')).toHaveTextContent(`Approved by ${ALLOWED_USER} at`);
    expect(within(step).getByRole('button', { name: 'Approve' })).toBeDisabled();
    expect(within(step).getByRole('button', { name: 'Roll back' })).toBeDisabled();
    // The audit is read again: the attempt shows in the history.
    const attempts = await screen.findByRole('table', { name: 'Approval attempts' });
    expect(within(attempts).getAllByRole('row')[1]).toHaveTextContent(`${ALLOWED_USER}Step 2 in prod-eu-west-1ApproveApproved`);
    expect(asked[0]).toBe(`?application=${APPLICATION}&executionId=${EXECUTION_ID}&stageRefId=1`);
  });

  it('cancels a confirmation without calling the bridge', async () => {
    server.use(http.get(LIST, () => HttpResponse.json(approvalsAnswer())));
    renderDetails();
    fireEvent.click(await screen.findByRole('button', { name: 'Roll back' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Confirm: roll back' });
    expect(confirm).toHaveTextContent('CD-as-a-Service rolls the deployment back and the stage ends.');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Roll back' })).toBeEnabled();
  });

  it('rolls back and says so', async () => {
    server.use(
      http.get(LIST, () => HttpResponse.json(approvalsAnswer())),
      http.post(ROLLBACK, () => HttpResponse.json({ ...approveAnswer, action: 'rollback' })),
    );
    renderDetails();
    fireEvent.click(await screen.findByRole('button', { name: 'Roll back' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, roll back' }));
    expect(await screen.findByRole('status')).toHaveTextContent(`Rolled back by ${ALLOWED_USER} at`);
  });

  it.each<[RefusalReason, RegExp]>([
    ['notPermitted', /do not have permission to approve or roll back in this application: it takes EXECUTE permission/],
    ['approvalsDisabled', /Approving from Deck is turned off on the CDaaS bridge/],
    ['noUser', /Gate did not tell the CDaaS bridge who you are: approving from Deck needs Gate 1\.31 or newer/],
    ['anonymous', /You are not signed in to Spinnaker/],
    ['fiatUnavailable', /could not confirm your permission just now/],
  ])('shows why a user may not act (%s) instead of buttons', async (reason, words) => {
    server.use(http.get(LIST, () => HttpResponse.json(approvalsAnswer({ permission: { allowed: false, reason, message: 'bridge words' } }))));
    renderDetails();
    const note = await screen.findByRole('note');
    expect(note).toHaveTextContent(words);
    expect(within(note).getByRole('link', { name: 'Open the CD-as-a-Service console' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
  });

  it('asks again when Fiat could not answer and the user tries again', async () => {
    let calls = 0;
    server.use(
      http.get(LIST, () => HttpResponse.json(approvalsAnswer(calls++ === 0 ? { permission: { allowed: false, reason: 'fiatUnavailable' } } : {}))),
    );
    renderDetails();
    fireEvent.click(within(await screen.findByRole('note')).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Approve' })).toBeEnabled();
    expect(calls).toBe(2);
  });

  it('shows a refusal of the click itself; a step that moved on cannot be clicked again, a failure can be retried', async () => {
    let answer = refusal(502, 'upstreamFailed', 'CD-as-a-Service did not carry out the approve: HTTP 503');
    server.use(
      http.get(LIST, () => HttpResponse.json(approvalsAnswer())),
      http.post(APPROVE, () => answer),
    );
    renderDetails();
    fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, approve' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('CD-as-a-Service did not carry out the request (CD-as-a-Service did not carry out the approve: HTTP 503); try again');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Approve' })).toBeEnabled());

    answer = refusal(409, 'notAwaitingApproval', 'step pause-2 was already approved by sam@example.com at 2026-11-24T21:34:00Z');
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, approve' }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('This step no longer awaits approval (step pause-2 was already approved by sam@example.com'));
    expect(screen.getByRole('button', { name: 'Approve' })).toBeDisabled();
  });

  it('says when the approvals cannot be loaded, and loads them again on request', async () => {
    let calls = 0;
    server.use(http.get(LIST, () => (calls++ === 0 ? HttpResponse.json({ error: 'down' }, { status: 502, headers: { 'X-Proxy-Status-Code': '503' } }) : HttpResponse.json(approvalsAnswer()))));
    renderDetails();
    expect(screen.getByRole('status')).toHaveTextContent('Loading who may approve…');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the approvals: The CDaaS bridge failed (HTTP 503): down.');
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Approve' })).toBeEnabled();
  });

  it('keeps who acted after the run, and lists the records it could not read beside the others', async () => {
    server.use(http.get(LIST, () => HttpResponse.json({ ...approvalsAnswer(), audit: [approvedEntry, { at: 'x' }] })));
    renderDetails(succeededContext, 'SUCCEEDED');
    expect(await screen.findByText(/Step 2 in prod-eu-west-1: approved by pat@example.com at/)).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(/Approval record 2 could not be read/);
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
  });

  it('says nobody acted when the run ended without an approval record', async () => {
    server.use(http.get(LIST, () => HttpResponse.json(approvalsAnswer())));
    renderDetails(succeededContext, 'SUCCEEDED');
    expect(await screen.findByText('Nobody has approved or rolled back a step of this deployment.')).toBeInTheDocument();
  });

  it('says when the bridge does not know the deployment (another application, or a restart)', async () => {
    server.use(http.get(LIST, () => HttpResponse.json(approvalsAnswer({ permission: { allowed: false, reason: 'unknownDeployment' } }))));
    renderDetails();
    expect(await screen.findByRole('note')).toHaveTextContent('The CDaaS bridge has no record of starting this deployment for this application');
  });

  it('words a refusal the bridge answers with a status (a bridge that refuses the read itself)', async () => {
    server.use(http.get(LIST, () => refusal(403, 'noUser')));
    renderDetails();
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the approvals: Gate did not tell the CDaaS bridge who you are');
  });
});
