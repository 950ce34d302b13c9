/**
 * Execution details of both CDaaS stages: the deployment's status and steps as the bridge last
 * reported them, with the errors Orca recorded. Five states: not started, starting (loading),
 * failed request, partial (unreadable answers beside what could be read), and data.
 */
import type { IExecutionDetailsSectionProps } from '@spinnaker/core';
import { ExecutionDetailsSection } from '@spinnaker/core';
import React from 'react';

import type { DeployStep } from '@cdaas/contract/deploy';
import { appTabHref } from '../../../views/states';
import type { DeploymentView, OrcaStage, Outcome } from './deploymentView';
import { deploymentOutcome, readDeploymentView, stepDescription, stepStateIn } from './deploymentView';
import { CdaasApprovals, type CdaasApprovalsProps } from './CdaasApprovals';
import { Time } from './Time';
import { DEPLOYMENT_DETAILS_TITLE } from './sectionTitle';

const STATE_CLASS: Record<string, string> = {
  done: 'text-success',
  weightReached: 'text-success',
  awaitingApproval: 'text-warning',
  paused: 'text-info',
  running: 'text-info',
  failed: 'text-danger',
  canceled: 'text-muted',
  notStarted: 'text-muted',
};

export function StepsTable(props: { steps: DeployStep[]; outcome?: Outcome }) {
  return (
    <table className="table table-condensed" aria-label="Deployment steps">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Step</th>
          <th scope="col">Environment</th>
          <th scope="col">State</th>
          <th scope="col">Started</th>
          <th scope="col">Ended</th>
        </tr>
      </thead>
      <tbody>
        {props.steps.map((step, index) => {
          const { state, text } = stepStateIn(step, props.outcome);
          return (
            <tr key={step.ref ?? index}>
              <td>{index + 1}</td>
              <td>{stepDescription(step)}</td>
              <td>{step.environment ?? '–'}</td>
              <td className={STATE_CLASS[state]}>{text}</td>
              <td>
                <Time iso={step.startedAt} />
              </td>
              <td>
                <Time iso={step.completedAt} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Summary(props: { view: DeploymentView; outcome?: Outcome }) {
  const { view, outcome } = props;
  const { status, pipelineId, consoleUrl } = view;
  return (
    <dl className="dl-horizontal dl-narrow">
      <dt>Status</dt>
      <dd>{outcome ? outcome.words : 'Started, waiting for the first status'}</dd>
      {status?.progress && !(outcome?.final && outcome.from === 'orca') && (
        <>
          <dt>Progress</dt>
          <dd>{status.progress}</dd>
        </>
      )}
      {pipelineId && (
        <>
          <dt>Pipeline ID</dt>
          <dd>
            <code>{pipelineId}</code>
          </dd>
        </>
      )}
      {status?.application && (
        <>
          <dt>Application</dt>
          <dd>{status.application}</dd>
        </>
      )}
      <dt>Started</dt>
      <dd>
        <Time iso={status?.startedAt} />
      </dd>
      <dt>Ended</dt>
      <dd>
        <Time iso={outcome?.endedAt} />
      </dd>
      {consoleUrl && (
        <>
          <dt>Console</dt>
          <dd>
            <a href={consoleUrl} target="_blank" rel="noopener noreferrer">
              Open in the CD-as-a-Service console
            </a>
          </dd>
        </>
      )}
    </dl>
  );
}

export function CdaasDeploymentDetailsBody(props: {
  context: unknown;
  stageStatus?: string;
  stageEndTime?: number;
  /** Where the stage runs, for Approve / Roll back (absent: no approvals section). */
  approvals?: Omit<CdaasApprovalsProps, 'view' | 'awaitingRefs'>;
}) {
  const view = readDeploymentView(props.context);
  const orca: OrcaStage = { status: props.stageStatus, endTime: props.stageEndTime };
  const outcome = deploymentOutcome(view, orca);
  const hasData = !!(view.start || view.status);
  const running = props.stageStatus === 'RUNNING';

  return (
    <div className="cdaas-deployment-details">
      {view.errors.length > 0 && (
        <div className="alert alert-danger" role="alert">
          <strong>The deployment request failed</strong>
          <ul>
            {view.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {view.unreadable.length > 0 && (
        <div className="alert alert-warning" role="alert">
          Could not read {view.unreadable.join(' and ')} from the CDaaS bridge: the bridge and this plugin may be
          different versions.
        </div>
      )}
      {!hasData && view.errors.length === 0 && view.unreadable.length === 0 && (
        <p role="status">{running ? 'Starting the deployment…' : 'The deployment has not started.'}</p>
      )}
      {hasData && <Summary view={view} outcome={outcome} />}
      {props.approvals && (
        <CdaasApprovals
          {...props.approvals}
          view={view}
          // Waiting as the stage's outcome reads it: a stage that ended waits for nothing.
          awaitingRefs={(view.status?.steps ?? []).filter((step) => step.ref && stepStateIn(step, outcome).state === 'awaitingApproval').map((step) => step.ref as string)}
        />
      )}
      {view.warnings.length > 0 && (
        <div className="alert alert-warning">
          <strong>Warnings</strong>
          <ul>
            {view.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {view.status && view.status.steps.length > 0 && <StepsTable steps={view.status.steps} outcome={outcome} />}
      {view.status && view.status.steps.length === 0 && <p>CD-as-a-Service has not reported any steps yet.</p>}
    </div>
  );
}

export function CdaasDeploymentDetails(props: IExecutionDetailsSectionProps) {
  const { stage, name, current, application, execution } = props;
  const pipelineId = readDeploymentView(stage.context).pipelineId;
  const approvals = application?.name && execution?.id ? { application: application.name, executionId: execution.id, stageRefId: String(stage.refId) } : undefined;
  return (
    <ExecutionDetailsSection name={name} current={current}>
      <CdaasDeploymentDetailsBody context={stage.context} stageStatus={stage.status} stageEndTime={stage.endTime} approvals={approvals} />
      {pipelineId && application && <a href={appTabHref(application.name, pipelineId)}>See what it deployed in the CD-as-a-Service tab</a>}
    </ExecutionDetailsSection>
  );
}

CdaasDeploymentDetails.title = DEPLOYMENT_DETAILS_TITLE;
