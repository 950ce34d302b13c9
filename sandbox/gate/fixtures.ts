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
}

export const DEMO_APP = 'cdaasdemo';
export const DEMO_PIPELINE_ID = '6c1b0a3e-3f0e-4a55-9b2f-000000000001';
export const DEMO_EXECUTION_ID = '01JDEMO0EXEC0000000000000A';
/** Bridge URL written into the fixture execution's stage (a run the sandbox did not make). */
const FIXTURE_BRIDGE_URL = 'http://cdaas-bridge.spinnaker.svc:7002';


export function demoDeployment(): Record<string, unknown> {
  return {
    version: 'v1',
    kind: 'kubernetes',
    application: 'potato-facts',
    targets: { staging: { account: 'staging', namespace: 'potato-facts', strategy: 'canary-25-50' } },
    manifests: [{ path: 'manifests/potato-facts.yml' }],
    strategies: {
      'canary-25-50': {
        canary: {
          steps: [
            { setWeight: { weight: 25 } },
            { pause: { untilApproved: true } },
            { setWeight: { weight: 50 } },
            { pause: { duration: 30, unit: 'seconds' } },
          ],
        },
      },
    },
  };
}

export const DEMO_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: potato-facts
  labels: { app: potato-facts }
spec:
  replicas: 3
  selector: { matchLabels: { app: potato-facts } }
  template:
    metadata: { labels: { app: potato-facts } }
    spec:
      containers:
        - name: potato-facts
          image: demoimages/bluegreen:v4
          ports: [{ containerPort: 8000 }]
`;

function fixtureExecution(T0: number): PipelineExecution {
  const pipelineId = 'c0ffee00-1d2e-4c3b-8a9f-5a1e2d3c4b5a';
  const fields = webhookStageFields({
    bridgeUrl: FIXTURE_BRIDGE_URL,
    stageRefId: '1',
    application: DEMO_APP,
    pipelineName: 'Deploy potato-facts',
    deployment: demoDeployment(),
    files: { 'manifests/potato-facts.yml': [DEMO_MANIFEST] },
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
  const status: StatusAnswer = {
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
  const task = (id: string, name: string, cls: string, st: ExecutionStatus, from: number, to?: number): ExecutionTask => ({
    id,
    name,
    implementingClass: `com.netflix.spinnaker.orca.webhook.tasks.${cls}`,
    status: st,
    startTime: T0 + from * 1000,
    ...(to !== undefined ? { endTime: T0 + to * 1000 } : {}),
    stageStart: id === '1',
    stageEnd: id === '2',
    loopStart: false,
    loopEnd: false,
  });
  const stageContext = {
    // Orca keeps the saved stage JSON as the context, alias included.
    ...fields,
    // Orca's evaluated copy: SpEL replaced at stage start.
    url: fields.url.replace('${execution.id}', DEMO_EXECUTION_ID),
    cancelEndpoint: fields.cancelEndpoint.replace('${execution.id}', DEMO_EXECUTION_ID),
    payload: {
      ...fields.payload,
      context: { ...fields.payload.context, executionId: DEMO_EXECUTION_ID, user: 'pat@example.com' },
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
    id: DEMO_EXECUTION_ID,
    application: DEMO_APP,
    name: 'Deploy potato-facts',
    pipelineConfigId: DEMO_PIPELINE_ID,
    status: 'RUNNING',
    buildTime: T0,
    startTime: T0 + 1000,
    canceled: false,
    limitConcurrent: true,
    keepWaitingPipelines: false,
    origin: 'deck',
    authentication: { user: 'pat@example.com', allowedAccounts: [] },
    trigger: { type: 'manual', user: 'pat@example.com', parameters: {}, artifacts: [], notifications: [], rebake: false, dryRun: false, strategy: false, resolvedExpectedArtifacts: [], expectedArtifacts: [] },
    stages: [
      {
        id: '01JDEMO0STAGE000000000000A',
        refId: '1',
        type: 'cdaasDeploy',
        name: 'Deploy to staging',
        status: 'RUNNING',
        startTime: T0 + 1500,
        context: stageContext,
        outputs: {},
        tasks: [
          task('1', 'createWebhook', 'CreateWebhookTask', 'SUCCEEDED', 1.5, 2),
          task('2', 'monitorWebhook', 'MonitorWebhookTask', 'RUNNING', 2),
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
 * A fresh copy of the sandbox's fixtures (tests mutate theirs freely). Times are relative to `now`
 * so the running execution looks a few minutes old whenever the sandbox starts.
 */
export function defaultFixtures(now: number = Date.now()): GateFixtures {
  const T0 = now - 5 * 60_000;
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
    executions: [fixtureExecution(T0)],
    credentials: [],
  };
}
