/**
 * What the Gate stand-in serves: an application, its pipeline configs and past executions, shaped
 * like Gate's (Front50 + Orca) answers. The execution fixture carries a CD-as-a-Service stage as
 * Orca leaves it after the Webhook stage ran: `webhook.body` is the bridge's StartAnswer and
 * `webhook.monitor.body` its last StatusAnswer (contract/deploy.ts), so Deck's execution details
 * render from the same shapes a real run produces.
 */
import {
  type StartAnswer,
  type StatusAnswer,
  webhookStageFields,
} from '@cdaas/contract/deploy';
import { potatoFacts } from '@cdaas/bridge/emulator/potatoFacts';

export interface PipelineStageConfig {
  refId: string;
  type: string;
  name: string;
  requisiteStageRefIds: string[];
  [key: string]: unknown;
}

export interface PipelineConfig {
  id: string;
  application: string;
  name: string;
  index?: number;
  keepWaitingPipelines?: boolean;
  limitConcurrent?: boolean;
  stages: PipelineStageConfig[];
  triggers: unknown[];
  parameterConfig?: unknown[];
  expectedArtifacts?: unknown[];
  lastModifiedBy?: string;
  updateTs?: string;
  [key: string]: unknown;
}

export type ExecutionStatus =
  | 'NOT_STARTED'
  | 'RUNNING'
  | 'PAUSED'
  | 'SUSPENDED'
  | 'SUCCEEDED'
  | 'FAILED_CONTINUE'
  | 'TERMINAL'
  | 'CANCELED'
  | 'REDIRECT'
  | 'STOPPED'
  | 'SKIPPED'
  | 'BUFFERED';

export interface ExecutionTask {
  id: string;
  name: string;
  implementingClass: string;
  status: ExecutionStatus;
  startTime?: number;
  endTime?: number;
  stageStart: boolean;
  stageEnd: boolean;
  loopStart: boolean;
  loopEnd: boolean;
}

export interface ExecutionStage {
  id: string;
  refId: string;
  type: string;
  name: string;
  status: ExecutionStatus;
  startTime?: number;
  endTime?: number;
  context: Record<string, unknown>;
  outputs: Record<string, unknown>;
  tasks: ExecutionTask[];
  requisiteStageRefIds: string[];
  parentStageId?: string;
  syntheticStageOwner?: string;
  [key: string]: unknown;
}

/** Orca's PipelineExecution as Gate's /pipelines/{id} returns it (the fields Deck reads). */
export interface PipelineExecution {
  type: 'PIPELINE';
  id: string;
  application: string;
  name: string;
  pipelineConfigId: string;
  status: ExecutionStatus;
  buildTime: number;
  startTime?: number;
  endTime?: number;
  canceled: boolean;
  limitConcurrent: boolean;
  keepWaitingPipelines: boolean;
  origin: string;
  authentication: { user: string; allowedAccounts: string[] };
  trigger: Record<string, unknown>;
  stages: ExecutionStage[];
  notifications: unknown[];
  initialConfig: Record<string, unknown>;
  systemNotifications: unknown[];
  [key: string]: unknown;
}

export interface GateApplication {
  name: string;
  email: string;
  description?: string;
  cloudProviders?: string;
  user?: string;
  createTs?: string;
  updateTs?: string;
  [key: string]: unknown;
}

export interface GateFixtures {
  /** Gate's /auth/user answer (kork's User): Deck treats the user as logged in when `username` is set. */
  user: { username: string; email?: string; firstName?: string; lastName?: string; roles: string[]; allowedAccounts: string[] };
  applications: GateApplication[];
  pipelineConfigs: PipelineConfig[];
  executions: PipelineExecution[];
  /** Spinnaker (clouddriver) accounts for /credentials; CD-as-a-Service agents come from the bridge. */
  credentials: Array<{ name: string; type: string; accountType?: string; environment?: string; [key: string]: unknown }>;
  /**
   * Clouddriver's artifact accounts for /artifacts/credentials, each with the types it handles, as
   * Halyard names them by default. Only names for the inline artifact editor: the bridge fetches
   * http/file and decodes embedded/base64 itself.
   */
  artifactAccounts: Array<{ name: string; types: string[] }>;
}

export const DEMO_APP = 'cdaasdemo';
export const DEMO_PIPELINE_ID = '6c1b0a3e-3f0e-4a55-9b2f-000000000001';
/** A seeded run that went through all its steps and succeeded. */
export const DEMO_EXECUTION_ID = '01JDEMO0EXEC0000000000000A';
/** A later seeded run canceled from Deck while it waited for approval (Orca's last poll still says so). */
export const DEMO_CANCELED_EXECUTION_ID = '01JDEMO0EXEC0000000000000B';
/** Bridge URL written into the fixture execution's stage (a run the sandbox did not make). */
const FIXTURE_BRIDGE_URL = 'http://cdaas-bridge.spinnaker.svc:7002';


/** The demo application the seeded runs and the demo pipelines deploy (the tests' potato-facts fixture). */
const DEMO = potatoFacts();

export function demoDeployment(): Record<string, unknown> {
  return structuredClone(DEMO.deployment);
}

export const DEMO_MANIFEST = DEMO.manifest;

type SeededEnd = 'succeeded' | 'canceled';

/**
 * One seeded run of the demo deployment, as Orca leaves it once it ended: every task and the stage
 * with end times, the bridge's answers in `webhook`. A canceled run keeps the last status Orca
 * polled (awaiting approval), as a real one does: Orca stops polling when it cancels.
 */
function fixtureExecution(T0: number, executionId: string, end: SeededEnd): PipelineExecution {
  const pipelineId = end === 'succeeded' ? 'c0ffee00-1d2e-4c3b-8a9f-5a1e2d3c4b5a' : 'c0ffee00-1d2e-4c3b-8a9f-5a1e2d3c4b5b';
  const fields = webhookStageFields({
    bridgeUrl: FIXTURE_BRIDGE_URL,
    stageRefId: '1',
    application: DEMO_APP,
    pipelineName: 'Deploy potato-facts',
    deployment: demoDeployment(),
    files: { [DEMO.manifestPath]: [DEMO_MANIFEST] },
    artifacts: [],
  });
  const start: StartAnswer = {
    pipelineId,
    statusUrl: `${FIXTURE_BRIDGE_URL}/v1/deployments/${pipelineId}`,
    consoleUrl: `https://console.cloud.armory.io/deployments/pipeline/${pipelineId}?environmentId=staging`,
    warnings: [],
    reused: false,
  };
  const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
  const succeeded = end === 'succeeded';
  // Seconds after T0: approved at 100 s, done at 150 s; the canceled run was canceled at 90 s.
  const endedAt = succeeded ? 152 : 90;
  const status: StatusAnswer = succeeded
    ? {
        pipelineId,
        status: 'SUCCEEDED',
        progress: 'staging: all 4 steps done (traffic at 100%)',
        application: 'potato-facts',
        startedAt: iso(2),
        completedAt: iso(150),
        consoleUrl: start.consoleUrl,
        warnings: [],
        steps: [
          { ref: 'staging/1', type: 'deployment', status: 'SUCCEEDED', environment: 'staging', step: 1, totalSteps: 4, weight: 25, awaitingApproval: false, startedAt: iso(2), completedAt: iso(40) },
          { ref: 'staging/2', type: 'pause', status: 'SUCCEEDED', environment: 'staging', step: 2, totalSteps: 4, pause: { untilApproved: true }, awaitingApproval: false, startedAt: iso(40), completedAt: iso(100) },
          { ref: 'staging/3', type: 'deployment', status: 'SUCCEEDED', environment: 'staging', step: 3, totalSteps: 4, weight: 50, awaitingApproval: false, startedAt: iso(100), completedAt: iso(120) },
          { ref: 'staging/4', type: 'pause', status: 'SUCCEEDED', environment: 'staging', step: 4, totalSteps: 4, pause: { duration: 30, unit: 'seconds' }, awaitingApproval: false, startedAt: iso(120), completedAt: iso(150) },
        ],
      }
    : {
        pipelineId,
        status: 'AWAITING_APPROVAL',
        progress: 'staging: step 2 of 4, waiting for approval (traffic at 25%)',
        application: 'potato-facts',
        startedAt: iso(2),
        consoleUrl: start.consoleUrl,
        warnings: [],
        steps: [
          { ref: 'staging/1', type: 'deployment', status: 'SUCCEEDED', environment: 'staging', step: 1, totalSteps: 4, weight: 25, awaitingApproval: false, startedAt: iso(2), completedAt: iso(40) },
          { ref: 'staging/2', type: 'pause', status: 'RUNNING', environment: 'staging', step: 2, totalSteps: 4, pause: { untilApproved: true }, awaitingApproval: true, startedAt: iso(40) },
          { ref: 'staging/3', type: 'deployment', status: 'QUEUED', environment: 'staging', step: 3, totalSteps: 4, weight: 50, awaitingApproval: false },
          { ref: 'staging/4', type: 'pause', status: 'QUEUED', environment: 'staging', step: 4, totalSteps: 4, pause: { duration: 30, unit: 'seconds' }, awaitingApproval: false },
        ],
      };
  const stageStatus: ExecutionStatus = succeeded ? 'SUCCEEDED' : 'CANCELED';
  const task = (id: string, name: string, cls: string, st: ExecutionStatus, from: number, to: number): ExecutionTask => ({
    id,
    name,
    implementingClass: `com.netflix.spinnaker.orca.webhook.tasks.${cls}`,
    status: st,
    startTime: T0 + from * 1000,
    endTime: T0 + to * 1000,
    stageStart: id === '1',
    stageEnd: id === '2',
    loopStart: false,
    loopEnd: false,
  });
  const stageContext = {
    // Orca keeps the saved stage JSON as the context, alias included.
    ...fields,
    // Orca's evaluated copy: SpEL replaced at stage start.
    url: fields.url.replace('${execution.id}', executionId),
    cancelEndpoint: fields.cancelEndpoint.replace('${execution.id}', executionId),
    payload: {
      ...fields.payload,
      context: { ...fields.payload.context, executionId, user: 'pat@example.com' },
    },
    webhook: {
      statusCode: 'ACCEPTED',
      statusCodeValue: 202,
      headers: { 'Content-Type': ['application/json'] },
      body: start,
      statusEndpoint: start.statusUrl,
      monitor: { body: status, statusCode: 'OK', statusCodeValue: 200, progressMessage: status.progress },
    },
  };
  return {
    type: 'PIPELINE',
    id: executionId,
    application: DEMO_APP,
    name: 'Deploy potato-facts',
    pipelineConfigId: DEMO_PIPELINE_ID,
    status: stageStatus,
    buildTime: T0,
    startTime: T0 + 1000,
    endTime: T0 + (endedAt + 1) * 1000,
    canceled: !succeeded,
    ...(succeeded ? {} : { canceledBy: 'pat@example.com', cancellationReason: 'Wrong image tag' }),
    limitConcurrent: true,
    keepWaitingPipelines: false,
    origin: 'deck',
    authentication: { user: 'pat@example.com', allowedAccounts: [] },
    trigger: { type: 'manual', user: 'pat@example.com', parameters: {}, artifacts: [], notifications: [], rebake: false, dryRun: false, strategy: false, resolvedExpectedArtifacts: [], expectedArtifacts: [] },
    stages: [
      {
        id: `${executionId}-STAGE1`,
        refId: '1',
        type: 'cdaasDeploy',
        name: 'Deploy to staging',
        status: stageStatus,
        startTime: T0 + 1500,
        endTime: T0 + endedAt * 1000,
        context: stageContext,
        outputs: {},
        tasks: [
          task('1', 'createWebhook', 'CreateWebhookTask', 'SUCCEEDED', 1.5, 2),
          task('2', 'monitorWebhook', 'MonitorWebhookTask', stageStatus, 2, endedAt),
        ],
        requisiteStageRefIds: [],
      },
    ],
    notifications: [],
    initialConfig: {},
    systemNotifications: [],
  };
}

/**
 * A fresh copy of the sandbox's fixtures (tests mutate theirs freely). Times are relative to `now`,
 * so the seeded runs look an hour and a few minutes old whenever the sandbox starts; both have
 * ended, so a manual run never warns that the pipeline is still executing.
 */
export function defaultFixtures(now: number = Date.now()): GateFixtures {
  const T0 = now - 65 * 60_000;
  return {
    user: { username: 'pat@example.com', email: 'pat@example.com', firstName: 'Pat', lastName: 'Example', roles: [], allowedAccounts: [] },
    applications: [
      {
        name: DEMO_APP,
        email: 'pat@example.com',
        description: 'Demo application for the CD-as-a-Service stages',
        cloudProviders: 'kubernetes',
        user: 'pat@example.com',
        createTs: String(T0 - 86_400_000),
        updateTs: String(T0 - 86_400_000),
      },
    ],
    pipelineConfigs: [
      {
        id: DEMO_PIPELINE_ID,
        application: DEMO_APP,
        name: 'Deploy potato-facts',
        index: 0,
        keepWaitingPipelines: false,
        limitConcurrent: true,
        stages: [],
        triggers: [],
        parameterConfig: [],
        expectedArtifacts: [],
        lastModifiedBy: 'pat@example.com',
        updateTs: String(T0 - 3_600_000),
      },
    ],
    executions: [fixtureExecution(T0, DEMO_EXECUTION_ID, 'succeeded'), fixtureExecution(T0 + 55 * 60_000, DEMO_CANCELED_EXECUTION_ID, 'canceled')],
    credentials: [],
    artifactAccounts: [
      { name: 'embedded-artifact', types: ['embedded/base64'] },
      { name: 'http-artifacts', types: ['http/file'] },
    ],
  };
}

/**
 * A pipeline with one CD-as-a-Service Deploy stage running the demo deployment (which pauses until
 * approved), saved as Deck saves it, pointed at `bridgeUrl`: what the tests and demos run.
 */
export function demoCdaasPipeline(bridgeUrl: string, name: string, id: string, deployment: Record<string, unknown> = demoDeployment()): PipelineConfig {
  return {
    id,
    application: DEMO_APP,
    name,
    triggers: [],
    stages: [
      {
        refId: '1',
        type: 'cdaasDeploy',
        name: 'Deploy to staging',
        requisiteStageRefIds: [],
        ...webhookStageFields({
          bridgeUrl,
          stageRefId: '1',
          application: DEMO_APP,
          pipelineName: name,
          deployment,
          files: { [DEMO.manifestPath]: [DEMO_MANIFEST] },
          artifacts: [],
        }),
      },
    ],
  };
}
