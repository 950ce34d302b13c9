/**
 * Upstream pipeline -> the deploy contract's StatusAnswer. `status` is CD-as-a-Service's own word
 * (Orca maps it with the stage's status lists); `progress` is always a string, because Orca fails
 * the stage when progressJsonPath points at anything else.
 */
import type { DeployStep, StatusAnswer } from '@cdaas/contract/deploy';
import { durationText } from '@cdaas/contract/durations';
import type { UpstreamPipeline } from '../cdaas/upstream';

type UpstreamStep = UpstreamPipeline['steps'][number];

const ACTIVE = new Set(['RUNNING', 'PAUSED', 'AWAITING_APPROVAL']);

function isAwaitingApproval(s: UpstreamStep): boolean {
  return s.status === 'AWAITING_APPROVAL' || (s.status === 'PAUSED' && s.pause?.untilApproved === true);
}

export function mapStep(s: UpstreamStep): DeployStep {
  const d = s.deployment;
  return {
    ...(s.ref !== undefined ? { ref: s.ref } : {}),
    type: s.type,
    status: s.status,
    ...(d?.environment !== undefined ? { environment: d.environment } : {}),
    ...(d?.step !== undefined ? { step: d.step } : {}),
    ...(d?.totalSteps !== undefined ? { totalSteps: d.totalSteps } : {}),
    ...(d?.weight !== undefined ? { weight: d.weight } : {}),
    ...(s.pause
      ? {
          pause: {
            ...(s.pause.untilApproved !== undefined ? { untilApproved: s.pause.untilApproved } : {}),
            ...(s.pause.duration !== undefined ? { duration: s.pause.duration } : {}),
            ...(s.pause.unit !== undefined ? { unit: s.pause.unit } : {}),
          },
        }
      : {}),
    awaitingApproval: isAwaitingApproval(s),
    ...(s.startedAtIso8601 ? { startedAt: s.startedAtIso8601 } : {}),
    ...(s.completedAtIso8601 ? { completedAt: s.completedAtIso8601 } : {}),
  };
}

/** "Canary step 2/4: 50% traffic, waiting for approval" and the like. */
function describeActive(active: UpstreamStep, steps: UpstreamStep[], multiEnv: boolean): string {
  const env = active.deployment?.environment;
  const envSteps = steps.filter((s) => s.deployment?.environment === env);
  const index = envSteps.indexOf(active);
  const n = active.deployment?.step ?? index + 1;
  const total = active.deployment?.totalSteps ?? envSteps.length;
  // Traffic reached so far in this environment: the last weight of a started step up to here.
  let weight: number | undefined;
  for (const s of envSteps.slice(0, index + 1)) {
    if (s.deployment?.weight !== undefined && s.status !== 'QUEUED') weight = s.deployment.weight;
  }
  const phase = (active.deployment as { phase?: unknown } | undefined)?.phase;
  const label = typeof phase === 'string' ? 'Blue/green step' : weight !== undefined ? 'Canary step' : 'Step';
  let text = `${label} ${n}/${total}`;
  if (typeof phase === 'string') text += `: ${phase}`;
  else if (weight !== undefined) text += `: ${weight}% traffic`;
  else if (active.type) text += `: ${active.type}`;
  if (isAwaitingApproval(active)) text += ', waiting for approval';
  else if (active.type === 'pause' && active.pause?.duration !== undefined) text += `, pausing ${durationText(active.pause.duration, active.pause.unit)}`;
  else if (active.status === 'PAUSED') text += ', paused';
  return multiEnv && env ? `${env}: ${text}` : text;
}

export function describeProgress(p: UpstreamPipeline): string {
  const steps = p.steps;
  const envs = new Set(steps.map((s) => s.deployment?.environment).filter(Boolean));
  const multiEnv = envs.size > 1;
  const done = steps.filter((s) => s.status === 'SUCCEEDED').length;
  const counted = steps.length ? ` (${done}/${steps.length} steps done)` : '';
  switch (p.status) {
    case 'QUEUED':
      return 'Queued: waiting for CD-as-a-Service to start the deployment';
    case 'SUCCEEDED':
      return `Succeeded${counted}`;
    case 'CANCELLED':
      return `Cancelled${counted}`;
    case 'REJECTED':
    case 'FAILED': {
      const at = steps.find((s) => s.status === 'FAILED' || s.status === 'REJECTED' || s.status === 'CANCELLED');
      const verb = p.status === 'REJECTED' ? 'Rejected' : 'Failed';
      return at ? `${verb} at ${describeActive(at, steps, multiEnv)}` : `${verb}${counted}`;
    }
    default: {
      const active = steps.find((s) => isAwaitingApproval(s)) ?? steps.find((s) => ACTIVE.has(s.status));
      if (active) return describeActive(active, steps, multiEnv);
      return p.status === 'AWAITING_APPROVAL' ? 'Waiting for approval' : p.status === 'PAUSED' ? 'Paused' : `Running${counted}`;
    }
  }
}

export function toStatusAnswer(p: UpstreamPipeline, consoleUrl: string | undefined, warnings: string[] = []): StatusAnswer {
  return {
    pipelineId: p.id,
    status: p.status,
    progress: describeProgress(p),
    ...(p.application ? { application: p.application } : {}),
    ...(p.startedAtIso8601 ? { startedAt: p.startedAtIso8601 } : {}),
    ...(p.completedAtIso8601 ? { completedAt: p.completedAtIso8601 } : {}),
    ...(consoleUrl ? { consoleUrl } : {}),
    warnings,
    steps: p.steps.map(mapStep),
  };
}
