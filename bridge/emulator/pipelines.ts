/**
 * Pipelines: their steps advance on a clock, computed lazily from timestamps when someone asks
 * (no timers, so nothing keeps the process alive and a paused test clock is never needed).
 *
 * - deployment, webhook, analysis and exposeServices steps each take `stepIntervalMs`;
 * - a timed pause takes `stepIntervalMs` too, whatever its duration (scaled down so tests and
 *   the sandbox stay fast; the answer still shows the configured duration and unit);
 * - `pause: {untilApproved: true}` waits (AWAITING_APPROVAL) until approved, or until rolled back:
 *   then that step and the pipeline read REJECTED and the steps not done read CANCELLED (this
 *   project's contract for the console's "Roll back"; see bridge/src/cdaas/upstream.ts);
 * - an injected failure fails its step at the step's end (see `failureInjection`);
 * - `ifDeploymentInProgress: enqueueOne` queues a pipeline behind the running one for the same
 *   application (QUEUED); a newer queued one replaces (cancels) an older queued one. The default,
 *   `reject`, answers 409 instead (api.ts).
 */
import type { StepPlan, TargetPlan, ValidDeployment } from './deployfile.js';

export type Status = 'QUEUED' | 'RUNNING' | 'PAUSED' | 'AWAITING_APPROVAL' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'REJECTED';
const FINAL: Status[] = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED'];

export interface PipelineRecord {
  id: string;
  envId: string;
  createdAt: number;
  initiatedBy: { type: string; name: string; clientId: string };
  deployment: ValidDeployment;
  approvals: Map<string, number>;
  cancelledAt?: number;
  /** The step rolled back and when (a pipeline is rolled back at most once: it ends there). */
  rolledBack?: { ref: string; at: number };
  /** The ref of the step that fails (injected), if any. */
  failAtRef?: string;
  failureReason?: string;
  queuedBehind?: PipelineRecord;
}

export interface StepState {
  plan: StepPlan;
  status: Status;
  startedAt?: number;
  completedAt?: number;
}

export interface PipelineState {
  status: Status;
  startedAt?: number;
  completedAt?: number;
  steps: StepState[];
}

/**
 * How a deployment is told to fail (emulator only; the real service ignores these):
 * - context `emulator: { failAtStep: N }` (N = 1-based position in `steps`), or the string form
 *   `"emulator.failAtStep": "N"` (real CDaaS context values are strings);
 * - context `emulator: { failAtRef: "<ref>" }` / `"emulator.failAtRef": "<ref>"`;
 * - an application named `fail-*`: fails at its last step.
 */
export function failureInjection(d: ValidDeployment): { ref: string; reason: string } | undefined {
  const ctx = d.context;
  const nested = typeof ctx.emulator === 'object' && ctx.emulator !== null ? (ctx.emulator as Record<string, unknown>) : {};
  const atStep = Number(nested.failAtStep ?? ctx['emulator.failAtStep']);
  const atRef = nested.failAtRef ?? ctx['emulator.failAtRef'];
  if (typeof atRef === 'string' && d.steps.some((s) => s.ref === atRef))
    return { ref: atRef, reason: `injected failure at step ${atRef} (context emulator.failAtRef)` };
  if (Number.isInteger(atStep) && atStep >= 1 && atStep <= d.steps.length)
    return { ref: d.steps[atStep - 1]!.ref, reason: `injected failure at step ${atStep} (context emulator.failAtStep)` };
  if (d.application.startsWith('fail-'))
    return { ref: d.steps[d.steps.length - 1]!.ref, reason: `injected failure: application "${d.application}" starts with fail-` };
  return undefined;
}

export class PipelineStore {
  readonly byId = new Map<string, PipelineRecord>();

  constructor(private readonly stepIntervalMs: number) {}

  add(p: PipelineRecord): void {
    this.byId.set(p.id, p);
  }

  /**
   * Pipelines of the same environment and application that are not final. Armory documents that the
   * in-progress check uses the `application` field (whatever the targets).
   */
  inProgressFor(envId: string, d: ValidDeployment, now: number): PipelineRecord[] {
    return [...this.byId.values()].filter(
      (p) => p.envId === envId && p.deployment.application === d.application && !FINAL.includes(this.state(p, now).status),
    );
  }

  state(p: PipelineRecord, now: number): PipelineState {
    const interval = this.stepIntervalMs;
    let start: number | undefined = p.createdAt;
    if (p.queuedBehind) {
      const ahead = this.state(p.queuedBehind, now);
      start = ahead.completedAt !== undefined ? Math.max(p.createdAt, ahead.completedAt) : undefined;
      if (start !== undefined && start > now) start = undefined;
    }
    // Raw schedule, ignoring cancel and failure.
    const raw = new Map<string, { start?: number; end?: number }>();
    for (const s of p.deployment.steps) {
      let st: number | undefined = start;
      for (const dep of s.dependsOn) {
        const d = raw.get(dep)?.end;
        st = st === undefined || d === undefined ? undefined : Math.max(st, d);
      }
      let end: number | undefined;
      if (st !== undefined) {
        if (s.waitsForApproval) {
          const at = p.approvals.get(s.ref);
          end = at !== undefined ? Math.max(at, st) : undefined;
        } else end = st + interval;
      }
      raw.set(s.ref, { start: st, end });
    }
    // The terminal event: the injected failure (once it happened) or the cancel.
    const failEnd = p.failAtRef ? raw.get(p.failAtRef)?.end : undefined;
    // Cancel and roll back never both happen: each is refused or a no-op once the pipeline ended.
    const stoppedAt = p.cancelledAt ?? p.rolledBack?.at;
    const failed = failEnd !== undefined && failEnd <= now && (stoppedAt === undefined || failEnd <= stoppedAt);
    const terminalAt = failed ? failEnd : stoppedAt;
    const horizon = terminalAt !== undefined ? Math.min(now, terminalAt) : now;

    const steps: StepState[] = p.deployment.steps.map((plan) => {
      const r = raw.get(plan.ref)!;
      if (failed && plan.ref === p.failAtRef) return { plan, status: 'FAILED', startedAt: r.start, completedAt: r.end };
      if (!failed && p.rolledBack?.ref === plan.ref) return { plan, status: 'REJECTED', startedAt: r.start, completedAt: p.rolledBack.at };
      if (r.start === undefined || r.start > horizon || (terminalAt !== undefined && r.start >= terminalAt && !(r.end !== undefined && r.end <= terminalAt)))
        return { plan, status: terminalAt !== undefined ? 'CANCELLED' : 'QUEUED' };
      if (r.end !== undefined && r.end <= horizon) return { plan, status: 'SUCCEEDED', startedAt: r.start, completedAt: r.end };
      if (terminalAt !== undefined) return { plan, status: 'CANCELLED', startedAt: r.start, completedAt: terminalAt };
      return { plan, status: plan.waitsForApproval ? 'AWAITING_APPROVAL' : 'RUNNING', startedAt: r.start };
    });

    let status: Status;
    let completedAt: number | undefined;
    if (terminalAt !== undefined) {
      status = failed ? 'FAILED' : p.rolledBack ? 'REJECTED' : 'CANCELLED';
      completedAt = terminalAt;
    } else if (steps.every((s) => s.status === 'SUCCEEDED')) {
      status = 'SUCCEEDED';
      completedAt = Math.max(...steps.map((s) => s.completedAt ?? 0));
    } else if (steps.some((s) => s.status === 'AWAITING_APPROVAL')) status = 'AWAITING_APPROVAL';
    else if (start === undefined) status = 'QUEUED';
    else status = 'RUNNING';
    return { status, startedAt: start, completedAt, steps };
  }

  /** Approve `ref` (or the first step awaiting approval). Throws ApprovalError when impossible. */
  approve(p: PipelineRecord, now: number, ref?: string): StepState {
    const state = this.state(p, now);
    const awaiting = state.steps.filter((s) => s.status === 'AWAITING_APPROVAL');
    if (ref !== undefined) {
      const step = state.steps.find((s) => s.plan.ref === ref);
      if (!step) throw new ApprovalError(404, `pipeline ${p.id} has no step ${ref} (steps: ${state.steps.map((s) => s.plan.ref).join(', ')})`);
      if (step.status !== 'AWAITING_APPROVAL') throw new ApprovalError(409, `step ${ref} of pipeline ${p.id} is ${step.status}, not AWAITING_APPROVAL`);
      p.approvals.set(ref, now);
      return step;
    }
    const first = awaiting[0];
    if (!first) throw new ApprovalError(409, `pipeline ${p.id} has no step awaiting approval (pipeline status ${state.status})`);
    p.approvals.set(first.plan.ref, now);
    return first;
  }

  /** Roll back at `ref`, which must be awaiting approval. Throws ApprovalError when impossible. */
  rollback(p: PipelineRecord, now: number, ref: string): StepState {
    const state = this.state(p, now);
    const step = state.steps.find((s) => s.plan.ref === ref);
    if (!step) throw new ApprovalError(404, `pipeline ${p.id} has no step ${ref} (steps: ${state.steps.map((s) => s.plan.ref).join(', ')})`);
    if (step.status !== 'AWAITING_APPROVAL') throw new ApprovalError(409, `step ${ref} of pipeline ${p.id} is ${step.status}, not AWAITING_APPROVAL`);
    p.rolledBack = { ref, at: now };
    return step;
  }

  /** Cancel: idempotent, and a no-op on a pipeline that already ended. */
  cancel(p: PipelineRecord, now: number): void {
    if (p.cancelledAt !== undefined) return;
    if (FINAL.includes(this.state(p, now).status)) return;
    p.cancelledAt = now;
  }
}

export class ApprovalError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The answer of GET /pipelines/{id}, shaped like upstreamPipelineSchema. */
export function pipelineAnswer(p: PipelineRecord, state: PipelineState): Record<string, unknown> {
  const targetByName = new Map<string, TargetPlan>(p.deployment.targets.map((t) => [t.name, t]));
  return {
    id: p.id,
    startedAtIso8601: iso(state.startedAt ?? p.createdAt),
    completedAtIso8601: iso(state.completedAt),
    application: p.deployment.application,
    description: p.deployment.description,
    context: p.deployment.context,
    environments: p.deployment.targets.map((t) => ({ name: t.name, account: t.account, namespace: t.namespace })),
    status: state.status,
    initiatedBy: p.initiatedBy,
    steps: state.steps.map((s) => {
      const plan = s.plan;
      const target = targetByName.get(plan.environment)!;
      return {
        status: s.status,
        ref: plan.ref,
        dependsOn: plan.dependsOn,
        type: plan.type,
        deployment: {
          id: target.deploymentId,
          environment: plan.environment,
          step: plan.step,
          totalSteps: plan.totalSteps,
          ...(plan.weight !== undefined ? { weight: plan.weight } : {}),
          ...(plan.phase ? { phase: plan.phase } : {}),
        },
        ...(plan.pause ? { pause: plan.pause } : {}),
        ...(plan.webhook ? { webhook: { name: plan.webhook } } : {}),
        ...(s.status === 'FAILED' && p.failureReason ? { statusReason: p.failureReason } : {}),
        startedAtIso8601: iso(s.startedAt),
        completedAtIso8601: iso(s.completedAt),
      };
    }),
  };
}
