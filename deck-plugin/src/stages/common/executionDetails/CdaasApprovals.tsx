/**
 * Approve / Roll back for a CD-as-a-Service step paused until approved, in the style of Deck's
 * Manual Judgment (Roll back in red, Approve in blue, a spinner in the button while the call runs,
 * both disabled afterwards), with a confirmation first, because an approval is a production
 * decision. Then who acted and when, for every step, kept after the run. A user who may not act
 * sees why (no permission, approvals off, Gate too old) instead of buttons that would fail.
 *
 * Five states: loading (who may act), request failure (with Try again), partial (audit records this
 * version cannot read, beside the rest), empty (nobody acted yet), data.
 */
import { Spinner } from '@spinnaker/core';
import React from 'react';

import type { ApprovalAction, ApprovalAnswer, AuditEntry } from '@cdaas/contract/approvals';
import type { DeployStep } from '@cdaas/contract/deploy';
import type { ApprovalsView } from '../../../api/CdaasApprovalsClient';
import { useCdaasApprovalsApi } from '../../../api/CdaasApprovalsContext';
import { approvalRefusalText } from '../../../api/readErrors';
import type { DeploymentView } from './deploymentView';
import { Time } from './Time';

export interface CdaasApprovalsProps {
  application: string;
  executionId: string;
  stageRefId: string;
  view: DeploymentView;
  /** The refs of the steps waiting for approval now (the details' reading of the stage's outcome). */
  awaitingRefs: string[];
}

const ACTION_TEXT: Record<ApprovalAction, { button: string; confirm: string; busy: string; done: string }> = {
  approve: { button: 'Approve', confirm: 'Yes, approve', busy: 'Approving…', done: 'Approved' },
  rollback: { button: 'Roll back', confirm: 'Yes, roll back', busy: 'Rolling back…', done: 'Rolled back' },
};

const RESULT_TEXT: Record<AuditEntry['result'], string> = { approved: 'Approved', rolledBack: 'Rolled back', refused: 'Refused', failed: 'Failed' };

type Load = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; data: ApprovalsView };

/** One step's outcome in this view: the answer, or why the call did not happen. */
type Outcome = { answer: ApprovalAnswer } | { error: string; final: boolean };

function stepName(steps: DeployStep[], ref: string): string {
  const i = steps.findIndex((s) => s.ref === ref);
  const step = steps[i];
  if (!step) return `Step ${ref}`;
  return `Step ${i + 1}${step.environment ? ` in ${step.environment}` : ''}`;
}

function StepActions(props: {
  name: string;
  permission: ApprovalsView['permission'] | undefined;
  consoleUrl?: string;
  outcome?: Outcome;
  onAct(action: ApprovalAction): Promise<void>;
  /** Asks again who may act (Fiat may answer the next time). */
  onReload(): void;
}) {
  const [confirming, setConfirming] = React.useState<ApprovalAction | null>(null);
  const [busy, setBusy] = React.useState<ApprovalAction | null>(null);
  const { permission, outcome } = props;
  const done = !!outcome && ('answer' in outcome || outcome.final);

  const run = async (action: ApprovalAction) => {
    setConfirming(null);
    setBusy(action);
    try {
      await props.onAct(action);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="cdaas-approval-step" role="group" aria-label={`${props.name}: waiting for approval`}>
      <p>
        <strong>{props.name}</strong> is waiting for approval.
      </p>
      {permission && !permission.allowed && permission.reason && (
        <p className="text-warning" role="note">
          {approvalRefusalText(permission.reason)}
          {permission.reason === 'fiatUnavailable' && (
            <>
              {' '}
              <button type="button" className="btn btn-xs btn-default" onClick={props.onReload}>
                Try again
              </button>
            </>
          )}
          {props.consoleUrl && (
            <>
              {' '}
              <a href={props.consoleUrl} target="_blank" rel="noopener noreferrer">
                Open the CD-as-a-Service console
              </a>
            </>
          )}
        </p>
      )}
      {permission?.allowed && !confirming && (
        <div className="action-buttons">
          {(['rollback', 'approve'] as const).map((action) => (
            <button
              key={action}
              type="button"
              className={`btn ${action === 'approve' ? 'btn-primary' : 'btn-danger'}`}
              disabled={busy !== null || done}
              onClick={() => setConfirming(action)}
            >
              {busy === action && <Spinner mode="circular" size="nano" />}
              {busy === action ? ACTION_TEXT[action].busy : ACTION_TEXT[action].button}
            </button>
          ))}
        </div>
      )}
      {confirming && (
        <div className="alert alert-warning" role="alertdialog" aria-label={`Confirm: ${ACTION_TEXT[confirming].button.toLowerCase()}`}>
          <p>
            {confirming === 'approve'
              ? `Approve ${props.name}? The deployment continues to its next step.`
              : `Roll back ${props.name}? CD-as-a-Service rolls the deployment back and the stage ends.`}
          </p>
          <button type="button" className="btn btn-default" onClick={() => setConfirming(null)}>
            Cancel
          </button>{' '}
          <button type="button" className={`btn ${confirming === 'approve' ? 'btn-primary' : 'btn-danger'}`} onClick={() => void run(confirming)}>
            {ACTION_TEXT[confirming].confirm}
          </button>
        </div>
      )}
      {outcome && 'answer' in outcome && (
        <p className="text-success" role="status">
          {ACTION_TEXT[outcome.answer.action].done} by {outcome.answer.user} at <Time iso={outcome.answer.at} />
          {outcome.answer.repeated ? ' (it had already been done; nothing more was sent)' : ''}.
        </p>
      )}
      {outcome && 'error' in outcome && (
        <div className="alert alert-danger" role="alert">
          {outcome.error}
        </div>
      )}
    </div>
  );
}

function History(props: { audit: AuditEntry[]; steps: DeployStep[] }) {
  const acted = props.audit.filter((e) => e.result === 'approved' || e.result === 'rolledBack');
  return (
    <>
      {acted.map((e) => (
        <p key={`${e.stepRef}-${e.at}`}>
          {stepName(props.steps, e.stepRef)}: {RESULT_TEXT[e.result].toLowerCase()} by {e.user ?? 'an unknown user'} at <Time iso={e.at} />
        </p>
      ))}
      <table className="table table-condensed" aria-label="Approval attempts">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Step</th>
            <th scope="col">Action</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {props.audit.map((e, i) => (
            <tr key={i}>
              <td>
                <Time iso={e.at} />
              </td>
              <td>{e.user ?? '–'}</td>
              <td>{stepName(props.steps, e.stepRef)}</td>
              <td>{ACTION_TEXT[e.action].button}</td>
              <td title={e.message}>{RESULT_TEXT[e.result]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function CdaasApprovals(props: CdaasApprovalsProps) {
  const api = useCdaasApprovalsApi();
  const { view, application, executionId, stageRefId } = props;
  const steps = view.status?.steps ?? [];
  const pipelineId = view.pipelineId;
  const awaiting = steps.filter((s) => s.ref && props.awaitingRefs.includes(s.ref));
  const hasApprovalSteps = steps.some((s) => s.pause?.untilApproved || s.awaitingApproval);
  const awaitingKey = awaiting.map((s) => s.ref).join(',');

  const [load, setLoad] = React.useState<Load>({ state: 'loading' });
  const [outcomes, setOutcomes] = React.useState<Record<string, Outcome>>({});
  const [reloads, setReloads] = React.useState(0);

  // Asked again when the steps waiting change (Deck refreshes the execution) and after each action.
  React.useEffect(() => {
    if (!pipelineId || !hasApprovalSteps) return undefined;
    const abort = new AbortController();
    setLoad((l) => (l.state === 'ready' ? l : { state: 'loading' }));
    api.getApprovals(pipelineId, { application, executionId, stageRefId }, abort.signal).then(
      (data) => !abort.signal.aborted && setLoad({ state: 'ready', data }),
      (err: unknown) => !abort.signal.aborted && setLoad({ state: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
    return () => abort.abort();
  }, [api, pipelineId, application, executionId, stageRefId, hasApprovalSteps, awaitingKey, reloads]);

  if (!pipelineId || !hasApprovalSteps) return null;

  const act = async (stepRef: string, action: ApprovalAction) => {
    try {
      const answer = await api.act(action, pipelineId, stepRef, { application, executionId, stageRefId });
      setOutcomes((o) => ({ ...o, [stepRef]: { answer } }));
    } catch (err) {
      const reason = (err as { reason?: string }).reason;
      // A step that moved on cannot be acted on again; other failures may be retried.
      setOutcomes((o) => ({ ...o, [stepRef]: { error: err instanceof Error ? err.message : String(err), final: reason === 'notAwaitingApproval' } }));
    }
    setReloads((n) => n + 1);
  };

  const data = load.state === 'ready' ? load.data : undefined;
  return (
    <section className="cdaas-approvals" aria-label="Approvals">
      <h5>Approvals</h5>
      {load.state === 'loading' && (
        // Deck's Spinner prints its message only at medium size and up: the words go beside it.
        <div role="status">
          <Spinner size="nano" /> Loading who may approve…
        </div>
      )}
      {load.state === 'failed' && (
        <div className="alert alert-danger" role="alert">
          Could not load the approvals: {load.message}{' '}
          <button type="button" className="btn btn-xs btn-default" onClick={() => setReloads((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {data && data.errors.length > 0 && (
        <div className="alert alert-warning" role="alert">
          <ul>
            {data.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {awaiting.map((step) => (
        <StepActions
          key={step.ref}
          name={stepName(steps, step.ref as string)}
          permission={data?.permission}
          consoleUrl={view.consoleUrl}
          outcome={outcomes[step.ref as string]}
          onAct={(action) => act(step.ref as string, action)}
          onReload={() => setReloads((n) => n + 1)}
        />
      ))}
      {data && data.audit.length === 0 && awaiting.length === 0 && <p>Nobody has approved or rolled back a step of this deployment.</p>}
      {data && data.audit.length > 0 && <History audit={data.audit} steps={steps} />}
    </section>
  );
}
