/**
 * What the execution details show, read from the context Orca's Webhook stage writes:
 * `webhook.body` (the bridge's start answer, or its ErrorAnswer), `webhook.monitor.body` (the last
 * status answer), and the errors Orca recorded. Validated here; the view trusts the result.
 */
import * as v from 'valibot';

import type { DeployStep, StartAnswer, StatusAnswer } from '@cdaas/contract/deploy';
import { startAnswerSchema, statusAnswerSchema } from '@cdaas/contract/deploy';
import { errorAnswerSchema } from '@cdaas/contract/errors';
import { durationText } from '@cdaas/contract/durations';

export interface DeploymentView {
  status?: StatusAnswer;
  start?: StartAnswer;
  pipelineId?: string;
  consoleUrl?: string;
  warnings: string[];
  /** Errors Orca or the bridge recorded, in the words they used. */
  errors: string[];
  /** A body was there but did not match the contract (plugin and bridge versions differ). */
  unreadable: string[];
}

type Rec = Record<string, unknown>;
const isRec = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);

function bridgeError(body: unknown): string | undefined {
  const parsed = v.safeParse(errorAnswerSchema, body);
  if (!parsed.success) return typeof body === 'string' && body.trim() ? body.trim().slice(0, 500) : undefined;
  const { error, field, details } = parsed.output;
  return [error, field ? `(field: ${field})` : '', ...(details ?? [])].filter(Boolean).join(' ');
}

export function readDeploymentView(context: unknown): DeploymentView {
  const webhook = isRec(context) && isRec(context.webhook) ? context.webhook : {};
  const monitor = isRec(webhook.monitor) ? webhook.monitor : {};
  const view: DeploymentView = { warnings: [], errors: [], unreadable: [] };

  if (webhook.body !== undefined) {
    const start = v.safeParse(startAnswerSchema, webhook.body);
    if (start.success) {
      view.start = start.output;
    } else {
      const message = bridgeError(webhook.body);
      if (message) view.errors.push(`The CDaaS bridge answered: ${message}`);
      else view.unreadable.push('the start answer');
    }
  }
  if (monitor.body !== undefined) {
    const status = v.safeParse(statusAnswerSchema, monitor.body);
    if (status.success) {
      view.status = status.output;
    } else {
      const message = bridgeError(monitor.body);
      if (message) view.errors.push(`The CDaaS bridge answered: ${message}`);
      else view.unreadable.push('the last status answer');
    }
  }
  for (const e of [webhook.error, monitor.error]) {
    if (typeof e === 'string' && e.trim()) view.errors.push(e.trim());
  }

  view.pipelineId = view.status?.pipelineId ?? view.start?.pipelineId;
  view.consoleUrl = view.status?.consoleUrl ?? view.start?.consoleUrl;
  view.warnings = Array.from(new Set([...(view.start?.warnings ?? []), ...(view.status?.warnings ?? [])]));
  return view;
}

/** What a step is (its configuration), e.g. "Set weight to 25%", "Pause until approved". */
export function stepDescription(step: DeployStep): string {
  if (step.pause) {
    if (step.pause.untilApproved) return 'Pause until approved';
    if (step.pause.duration !== undefined) return `Pause for ${durationText(step.pause.duration, step.pause.unit)}`;
    return 'Pause';
  }
  if (step.weight !== undefined) return `Set weight to ${step.weight}%`;
  const position = step.step && step.totalSteps ? ` (step ${step.step} of ${step.totalSteps})` : '';
  return `${step.type.charAt(0).toUpperCase()}${step.type.slice(1)}${position}`;
}

export type StepState = 'done' | 'weightReached' | 'awaitingApproval' | 'paused' | 'running' | 'failed' | 'canceled' | 'notStarted';

export function stepState(step: DeployStep): StepState {
  if (step.awaitingApproval || step.status === 'AWAITING_APPROVAL') return 'awaitingApproval';
  switch (step.status) {
    case 'SUCCEEDED':
      return step.weight !== undefined ? 'weightReached' : 'done';
    case 'FAILED':
    case 'REJECTED':
      return 'failed';
    case 'CANCELLED':
      return 'canceled';
    case 'PAUSED':
      return 'paused';
    case 'RUNNING':
      return step.pause ? 'paused' : 'running';
    default:
      return 'notStarted';
  }
}

export function stepStateText(step: DeployStep): string {
  switch (stepState(step)) {
    case 'weightReached':
      return `Weight ${step.weight}% reached`;
    case 'awaitingApproval':
      return 'Paused, awaiting approval';
    case 'paused':
      return step.pause?.duration !== undefined ? `Paused for ${durationText(step.pause.duration, step.pause.unit)}` : 'Paused';
    case 'running':
      return 'Running';
    case 'done':
      return 'Done';
    case 'failed':
      return step.status === 'REJECTED' ? 'Rejected' : 'Failed';
    case 'canceled':
      return 'Canceled';
    default:
      return 'Not started';
  }
}

/** CDaaS statuses in Deck's words. */
export function statusText(status: string): string {
  return (
    {
      QUEUED: 'Queued',
      RUNNING: 'Running',
      PAUSED: 'Paused',
      AWAITING_APPROVAL: 'Awaiting approval',
      SUCCEEDED: 'Succeeded',
      FAILED: 'Failed',
      CANCELLED: 'Canceled',
      REJECTED: 'Rejected',
    }[status] ?? status
  );
}

/** Orca's side of the same stage: its status and end time (what Deck shows in the pipeline graph). */
export interface OrcaStage {
  status?: string;
  endTime?: number;
}

const BRIDGE_FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED']);
const ORCA_WORDS: Record<string, string> = {
  SUCCEEDED: 'Succeeded',
  TERMINAL: 'Failed',
  CANCELED: 'Canceled',
  STOPPED: 'Stopped',
  FAILED_CONTINUE: 'Failed (the pipeline continued)',
  SKIPPED: 'Skipped',
};

/** How the deployment ended, or stands, in one set of words for the summary and the steps. */
export interface Outcome {
  /** e.g. "Awaiting approval", "Canceled". */
  words: string;
  /** ISO time it ended, when it did. */
  endedAt?: string;
  /** True once nothing more will happen (either side says it ended). */
  final: boolean;
  /** Whose words these are: the bridge's last status, or Orca's stage status when that is newer. */
  from: 'bridge' | 'orca';
}

/**
 * Orca stops polling the bridge once the stage ends, so after a cancel (or a stage timeout) the
 * last status answer still says "Awaiting approval" forever. The newer word wins: a final bridge
 * status explains itself (Orca ended because of it); otherwise an ended Orca stage does.
 */
export function deploymentOutcome(view: DeploymentView, orca: OrcaStage = {}): Outcome | undefined {
  const bridge = view.status;
  if (bridge && BRIDGE_FINAL.has(bridge.status)) {
    const orcaEnd = orca.endTime ? new Date(orca.endTime).toISOString() : undefined;
    return { words: statusText(bridge.status), endedAt: bridge.completedAt ?? orcaEnd, final: true, from: 'bridge' };
  }
  const orcaWords = orca.status ? ORCA_WORDS[orca.status] : undefined;
  if (orcaWords) {
    return { words: orcaWords, endedAt: orca.endTime ? new Date(orca.endTime).toISOString() : undefined, final: true, from: 'orca' };
  }
  if (bridge) return { words: statusText(bridge.status), endedAt: bridge.completedAt, final: false, from: 'bridge' };
  return undefined;
}

/** A step as it stands given the outcome: one Orca ended mid-way is no longer running or awaiting approval. */
export function stepStateIn(step: DeployStep, outcome: Outcome | undefined): { state: StepState; text: string } {
  const state = stepState(step);
  const unfinished = state === 'awaitingApproval' || state === 'paused' || state === 'running';
  if (outcome?.final && outcome.from === 'orca' && unfinished) {
    return outcome.words === 'Canceled' ? { state: 'canceled', text: 'Canceled' } : { state: 'canceled', text: `Stopped (stage ${outcome.words.toLowerCase()})` };
  }
  return { state, text: stepStateText(step) };
}
