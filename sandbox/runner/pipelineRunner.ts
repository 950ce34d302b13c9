/**
 * The sandbox's stand-in for Orca: when Deck triggers a pipeline, run its stages in order and keep
 * the execution Gate serves up to date, so Deck's executions view shows the run live.
 *
 * CD-as-a-Service stages are Webhook stages (alias `webhook`); they are run by the bridge's Orca
 * player (sandbox/orca/webhookPlayer.ts: what orca-webhook's CreateWebhookTask and MonitorWebhookTask
 * do) against the bridge deploy listener whose URL the stage saved. Wait stages wait. Other stage
 * types are not run: they are marked SKIPPED with a note, so a demo pipeline still finishes.
 */
import { randomBytes } from 'node:crypto';

import { evaluateSpel, type MonitorSnapshot, playWebhookStage, type SavedWebhookStage } from '../orca/webhookPlayer';
import type { ExecutionStage, ExecutionStatus, ExecutionTask, PipelineConfig, PipelineExecution, PipelineStageConfig } from '../gate/fixtures';
import type { PipelineRunner } from '../gate/server';

export interface RunnerOptions {
  log?: (line: string) => void;
  /** Orca polls a webhook status every 1 s in its first minute. */
  pollIntervalMs?: number;
  /** Orca retries a failing create call every 10 s for 300 s; the sandbox is less patient. */
  createRetryDelayMs?: number;
  createRetryWindowMs?: number;
  /** Longest Wait stage the sandbox honours, in seconds (default 60). */
  maxWaitSeconds?: number;
  /** Where users approve a CDaaS pause in the sandbox (printed when a deployment waits). */
  approveHint?: (pipelineId: string) => string;
  /** The emulator's time per timed pause (ms): said when one starts, as it is shorter than written. */
  stepIntervalMs?: number;
}

/** "Pause for 20 seconds" as the step says it. */
function pauseWords(pause: { duration?: number; unit?: string }): string {
  return `Pause for ${pause.duration} ${pause.unit ?? 'seconds'}`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Orca's execution and stage ids are ULIDs: 48-bit time, 80 random bits, Crockford base32. */
export function ulid(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rand = randomBytes(16);
  let r = '';
  for (let i = 0; i < 16; i++) r += CROCKFORD[rand[i] % 32];
  return time + r;
}

const isWebhookStage = (s: PipelineStageConfig) => s.alias === 'webhook' || s.type === 'webhook';

/** Stages in an order that respects requisiteStageRefIds (Orca runs independent branches in parallel; the sandbox runs them one by one). */
export function stageOrder(stages: PipelineStageConfig[]): PipelineStageConfig[] {
  const done = new Set<string>();
  const out: PipelineStageConfig[] = [];
  let rest = stages.slice();
  while (rest.length) {
    const ready = rest.filter((s) => (s.requisiteStageRefIds ?? []).every((r) => done.has(String(r))));
    // A dependency on a missing stage: run what is left in the saved order rather than never.
    const next = ready.length ? ready : rest;
    for (const s of next) {
      out.push(s);
      done.add(String(s.refId));
    }
    rest = rest.filter((s) => !next.includes(s));
  }
  return out;
}

function task(id: string, name: string, cls: string, first: boolean, last: boolean): ExecutionTask {
  return {
    id,
    name,
    implementingClass: `com.netflix.spinnaker.orca.webhook.tasks.${cls}`,
    status: 'NOT_STARTED',
    stageStart: first,
    stageEnd: last,
    loopStart: false,
    loopEnd: false,
  };
}

interface Run {
  execution: PipelineExecution;
  cancelRequested: boolean;
  done: Promise<void>;
}

export class SandboxPipelineRunner implements PipelineRunner {
  private readonly runs = new Map<string, Run>();
  private readonly log: (line: string) => void;

  constructor(private readonly opts: RunnerOptions = {}) {
    this.log = opts.log ?? (() => undefined);
  }

  start(pipeline: PipelineConfig, trigger: Record<string, unknown>, user: string): PipelineExecution {
    const now = Date.now();
    const id = ulid(now);
    const stages: ExecutionStage[] = stageOrder(pipeline.stages).map((s) => ({
      id: ulid(now),
      refId: String(s.refId),
      type: s.type,
      name: s.name || s.type,
      status: 'NOT_STARTED',
      context: { ...s },
      outputs: {},
      tasks: isWebhookStage(s)
        ? [task('1', 'createWebhook', 'CreateWebhookTask', true, !s.waitForCompletion), ...(s.waitForCompletion ? [task('2', 'monitorWebhook', 'MonitorWebhookTask', false, true)] : [])]
        : [],
      requisiteStageRefIds: (s.requisiteStageRefIds ?? []).map(String),
    }));
    const execution: PipelineExecution = {
      type: 'PIPELINE',
      id,
      application: pipeline.application,
      name: pipeline.name,
      pipelineConfigId: pipeline.id,
      status: 'RUNNING',
      buildTime: now,
      startTime: now,
      canceled: false,
      limitConcurrent: pipeline.limitConcurrent ?? true,
      keepWaitingPipelines: pipeline.keepWaitingPipelines ?? false,
      origin: 'deck',
      authentication: { user, allowedAccounts: [] },
      trigger: { type: 'manual', user, parameters: {}, artifacts: [], notifications: [], dryRun: false, resolvedExpectedArtifacts: [], expectedArtifacts: [], ...trigger },
      stages,
      notifications: [],
      initialConfig: {},
      systemNotifications: [],
    };
    const run: Run = { execution, cancelRequested: false, done: Promise.resolve() };
    run.done = this.run(run, pipeline).catch((err: unknown) => {
      this.log(`runner: execution ${id} failed: ${err instanceof Error ? err.message : String(err)}`);
      execution.status = 'TERMINAL';
      execution.endTime = Date.now();
    });
    this.runs.set(id, run);
    this.log(`runner: started ${pipeline.application}/${pipeline.name} as execution ${id}`);
    return execution;
  }

  cancel(executionId: string, reason?: string): boolean {
    const run = this.runs.get(executionId);
    if (!run || run.execution.endTime) return false;
    run.cancelRequested = true;
    run.execution.canceled = true;
    run.execution.canceledBy = run.execution.authentication.user;
    if (reason) run.execution.cancellationReason = reason;
    return true;
  }

  /** Cancels every running execution (the bridge gets its cancel calls) and waits for them. */
  async close(waitMs = 5_000): Promise<void> {
    for (const id of this.runs.keys()) this.cancel(id, 'sandbox stopping');
    // A stage still retrying its create call only sees the cancel after the retry window: do not
    // hold shutdown hostage to it.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.runs.values()].map((r) => r.done)),
      new Promise<void>((r) => (timer = setTimeout(r, waitMs).unref())),
    ]);
    clearTimeout(timer);
  }

  private async run(run: Run, pipeline: PipelineConfig): Promise<void> {
    const { execution } = run;
    const configs = new Map(pipeline.stages.map((s) => [String(s.refId), s]));
    let outcome: ExecutionStatus = 'SUCCEEDED';
    for (const stage of execution.stages) {
      if (run.cancelRequested) {
        outcome = 'CANCELED';
        break;
      }
      const config = configs.get(stage.refId);
      if (config?.type === 'wait') {
        await this.runWaitStage(run, stage, config);
        continue;
      }
      if (!config || !isWebhookStage(config)) {
        stage.status = 'SKIPPED';
        stage.context.sandboxNote = `The sandbox runs only Webhook-based stages (CD-as-a-Service); ${stage.type} was skipped.`;
        continue;
      }
      const status = await this.runWebhookStage(run, stage, config as unknown as SavedWebhookStage);
      if (status !== 'SUCCEEDED') {
        outcome = status;
        break;
      }
    }
    for (const s of execution.stages) if (s.status === 'NOT_STARTED') s.status = outcome === 'SUCCEEDED' ? 'SKIPPED' : 'NOT_STARTED';
    execution.status = outcome;
    execution.endTime = Date.now();
    this.log(`runner: execution ${execution.id} ended ${outcome}`);
  }

  /** Orca's Wait stage: `waitTime` seconds (capped in the sandbox so a demo never stalls). */
  private async runWaitStage(run: Run, stage: ExecutionStage, config: PipelineStageConfig): Promise<void> {
    const asked = Math.max(Number(config.waitTime) || 0, 0);
    const seconds = Math.min(asked, this.opts.maxWaitSeconds ?? 60);
    if (seconds < asked) this.log(`runner: ${stage.name}: waits ${seconds} s of the ${asked} s asked (the sandbox caps Wait stages)`);
    stage.status = 'RUNNING';
    stage.startTime = Date.now();
    const end = stage.startTime + seconds * 1000;
    while (Date.now() < end && !run.cancelRequested) await new Promise((r) => setTimeout(r, Math.min(200, end - Date.now())));
    stage.status = run.cancelRequested ? 'CANCELED' : 'SUCCEEDED';
    stage.endTime = Date.now();
  }

  private async runWebhookStage(run: Run, stage: ExecutionStage, config: SavedWebhookStage): Promise<ExecutionStatus> {
    const executionId = run.execution.id;
    const user = run.execution.authentication.user;
    const [create, monitor] = stage.tasks;
    stage.status = 'RUNNING';
    stage.startTime = Date.now();
    // Orca's stage context holds the config with SpEL evaluated at stage start.
    stage.context = { ...(evaluateSpel(config, { executionId, user }) as Record<string, unknown>) };
    create.status = 'RUNNING';
    create.startTime = stage.startTime;
    let announcedApproval = '';
    const announcedPauses = new Set<string>();

    const onPoll = (snapshot: MonitorSnapshot): 'cancel' | void => {
      if (create.status === 'RUNNING') {
        create.status = 'SUCCEEDED';
        create.endTime = Date.now();
        if (monitor) {
          monitor.status = 'RUNNING';
          monitor.startTime = create.endTime;
        }
      }
      const previous = (stage.context.webhook ?? {}) as Record<string, unknown>;
      stage.context.webhook = { ...previous, monitor: snapshot };
      const body = snapshot.body as { pipelineId?: string; status?: string } | undefined;
      if (body?.status === 'AWAITING_APPROVAL' && body.pipelineId && announcedApproval !== body.pipelineId) {
        announcedApproval = body.pipelineId;
        this.log(`runner: ${stage.name} waits for approval${this.opts.approveHint ? `: ${this.opts.approveHint(body.pipelineId)}` : ''}`);
      }
      const steps = (snapshot.body as { steps?: Array<{ ref?: string; status?: string; pause?: { duration?: number; unit?: string } }> } | undefined)?.steps ?? [];
      for (const step of steps) {
        const key = step.ref ?? '';
        if (step.status !== 'RUNNING' || step.pause?.duration === undefined || announcedPauses.has(key) || this.opts.stepIntervalMs === undefined) continue;
        announcedPauses.add(key);
        this.log(`runner: ${stage.name}: "${pauseWords(step.pause)}" takes ${this.opts.stepIntervalMs / 1000} s here: the emulator shortens every timed pause`);
      }
      return run.cancelRequested ? 'cancel' : undefined;
    };

    const result = await playWebhookStage(config, {
      executionId,
      user,
      pollIntervalMs: this.opts.pollIntervalMs ?? 1000,
      createRetryDelayMs: this.opts.createRetryDelayMs ?? 2000,
      createRetryWindowMs: this.opts.createRetryWindowMs ?? 30_000,
      onPoll,
    });
    const end = Date.now();
    stage.context.webhook = result.webhook;
    const status: ExecutionStatus = result.status === 'SUCCEEDED' ? 'SUCCEEDED' : result.status === 'CANCELED' ? 'CANCELED' : 'TERMINAL';
    const created = typeof result.webhook.statusCode === 'number' && result.webhook.statusCode < 300;
    if (create.status === 'RUNNING') {
      // Ended before the first poll: the create call failed, or there was nothing to monitor.
      create.status = created ? 'SUCCEEDED' : status;
      create.endTime = end;
      if (monitor && created) {
        monitor.status = status;
        monitor.startTime = end;
        monitor.endTime = end;
      }
    } else if (monitor?.status === 'RUNNING') {
      monitor.status = status;
      monitor.endTime = end;
    }
    if (status === 'TERMINAL') {
      const error = result.webhook.error ?? result.reason ?? 'the webhook stage failed';
      // Deck shows stage failures from context.exception (Orca's ExceptionHandler shape).
      stage.context.exception = { details: { error: result.reason ?? 'Webhook failed', errors: [error] }, exceptionType: 'WebhookFailure', shouldRetry: false };
    }
    stage.status = status;
    stage.endTime = end;
    this.log(`runner: ${stage.name} ended ${status}${result.reason ? ` (${result.reason})` : ''}`);
    return status;
  }
}
