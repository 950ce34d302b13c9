/**
 * The deploy contract between the Deck stages and the bridge's deploy listener.
 *
 * The stages save as Orca Webhook stages (alias `webhook`), so Orca, not Deck, talks to the bridge:
 * Deck writes the URLs, the payload and the status mapping into the stage JSON, Orca evaluates its
 * SpEL at stage start, POSTs the payload, then polls the status URL the start answer names. Both
 * sides import this module; a change here is a change to both.
 *
 * Browser-safe on purpose (no Node APIs, valibot only): it ships in the Deck bundle, and valibot's
 * cost there grows only with the validators used (zod/mini cost ~7.5 KB gzip).
 */
import * as v from 'valibot';

import { route } from './routes';


export const CONTRACT_VERSION = 'v1' as const;

/** CD-as-a-Service pipeline statuses, in the REST API's own words. */
export const PIPELINE_STATUSES = [
  'QUEUED',
  'RUNNING',
  'PAUSED',
  'AWAITING_APPROVAL',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'REJECTED',
] as const;
export type PipelineStatus = (typeof PIPELINE_STATUSES)[number];

/**
 * How Orca's MonitorWebhookTask maps `status` onto the stage's outcome. Statuses in none of the
 * lists (QUEUED, RUNNING, PAUSED, AWAITING_APPROVAL) keep the stage RUNNING.
 */
export const ORCA_STATUS_LISTS = {
  successStatuses: ['SUCCEEDED'],
  canceledStatuses: ['CANCELLED'],
  terminalStatuses: ['FAILED', 'REJECTED'],
} as const satisfies Record<string, readonly PipelineStatus[]>;

export const FINAL_STATUSES: readonly PipelineStatus[] = [
  ...ORCA_STATUS_LISTS.successStatuses,
  ...ORCA_STATUS_LISTS.canceledStatuses,
  ...ORCA_STATUS_LISTS.terminalStatuses,
];

/**
 * Deploy listener paths. A deployment is keyed by the Spinnaker execution id and the stage's refId:
 * Orca retries a start for up to 300 s (the same start may arrive several times), and Orca sends
 * `cancelEndpoint` exactly as it was evaluated at stage start (MonitorWebhookTask.onCancel does not
 * re-evaluate SpEL), so the cancel URL cannot contain the CDaaS pipeline id, only what is known
 * before the start call. Segments are not encoded: execution ids (ULIDs) and refIds are URL-safe,
 * and the execution id is a SpEL placeholder in the saved stage.
 */
export const deployRoutes = {
  start: route('POST', '/v1/executions/:executionId/stages/:stageRefId/deployment', { encode: false }),
  cancel: route('POST', '/v1/executions/:executionId/stages/:stageRefId/deployment/cancel', { encode: false }),
  status: route('GET', '/v1/deployments/:pipelineId', { encode: false }),
} as const;

/** Spinnaker's artifact (kork `Artifact`), as Orca serializes it. Unknown fields are kept. */
export const korkArtifactSchema = v.looseObject({
  type: v.string(),
  name: v.optional(v.string()),
  reference: v.optional(v.string()),
  version: v.optional(v.string()),
  artifactAccount: v.optional(v.string()),
  location: v.optional(v.string()),
  metadata: v.optional(v.record(v.string(), v.unknown())),
});
export type KorkArtifact = v.InferOutput<typeof korkArtifactSchema>;

/** Artifact types the bridge can turn into manifest text. The form refuses any other type. */
export { SUPPORTED_ARTIFACT_TYPES } from './artifactTypes';

const manifestPathSchema = v.pipe(v.string(), v.minLength(1));

/**
 * A manifest from an expected artifact. Deck writes `artifact` as a SpEL expression (see
 * `artifactExpression`); Orca replaces it with the bound artifact at stage start. When the
 * artifact cannot be found Orca leaves the expression text in place, so the bridge gets a string
 * and answers 400 naming the expected artifact. Stages saved before inline artifacts existed have
 * no `source`: they keep this meaning.
 */
export const expectedArtifactManifestSchema = v.object({
  source: v.optional(v.literal('expected')),
  /** The manifest path in deploy.yml (`manifests[].path`) this artifact provides. */
  path: manifestPathSchema,
  expectedArtifactId: v.pipe(v.string(), v.minLength(1)),
  /** What the user sees for this artifact in Deck, used in error messages. */
  displayName: v.optional(v.string()),
  artifact: v.union([korkArtifactSchema, v.string()]),
});

/**
 * A manifest from an artifact defined in the stage itself (Deck's "Define a new artifact...").
 * The artifact travels in the payload, so Orca evaluates `${...}` in its fields at stage start
 * like the rest of the stage context (orca-queue ExpressionAware.withMergedContext ->
 * ContextParameterProcessor.process over the whole context, before CreateWebhookTask reads
 * `payload`); a field Orca could not evaluate still holds `${...}` and the bridge refuses it.
 */
export const inlineArtifactManifestSchema = v.object({
  source: v.literal('inline'),
  path: manifestPathSchema,
  displayName: v.optional(v.string()),
  artifact: korkArtifactSchema,
});

/** An artifact entry: `source` tells the two apart (absent = expected, as saved before). */
export const artifactManifestSchema = v.variant('source', [expectedArtifactManifestSchema, inlineArtifactManifestSchema]);
export type ExpectedArtifactManifest = v.InferOutput<typeof expectedArtifactManifestSchema>;
export type InlineArtifactManifest = v.InferOutput<typeof inlineArtifactManifestSchema>;
export type ArtifactManifest = v.InferOutput<typeof artifactManifestSchema>;

export const isInlineArtifactManifest = (entry: ArtifactManifest): entry is InlineArtifactManifest => entry.source === 'inline';

/** The artifact fields an author types for an inline artifact, where `${...}` is allowed. */
export const INLINE_ARTIFACT_SPEL_FIELDS = ['reference', 'version'] as const;

export const deployContextSchema = v.object({
  application: v.pipe(v.string(), v.minLength(1)),
  pipelineName: v.optional(v.string()),
  executionId: v.pipe(v.string(), v.minLength(1)),
  stageRefId: v.pipe(v.string(), v.minLength(1)),
  /**
   * The Spinnaker user who started the execution, for the CDaaS audit trail. Orca leaves the SpEL
   * text in place when the execution has no authenticated user; the bridge ignores such a value.
   */
  user: v.optional(v.string()),
});
export type DeployContext = v.InferOutput<typeof deployContextSchema>;

/** The body Orca POSTs to `deployRoutes.start`. */
export const deployRequestSchema = v.object({
  contractVersion: v.literal(CONTRACT_VERSION),
  /** deploy.yml as JSON (version, kind, application, targets, manifests, strategies, ...). */
  deployment: v.record(v.string(), v.unknown()),
  /** Manifest text by deploy.yml path; each entry is a list of YAML documents or multi-doc texts. */
  files: v.record(v.string(), v.array(v.string())),
  /** Manifests that come from pipeline artifacts, resolved to text by the bridge. */
  artifacts: v.array(artifactManifestSchema),
  context: deployContextSchema,
});
export type DeployRequest = v.InferOutput<typeof deployRequestSchema>;

/**
 * When deploy.yml itself is a pipeline artifact, Deck cannot read it: the stage sends an empty
 * `deployment` and the deploy.yml artifact under this path in `artifacts`; the bridge fetches it
 * and parses it in place of `deployment`. No manifest may use this path.
 */
export const DEPLOY_YML_ARTIFACT_PATH = 'deploy.yml';

/** The deploy listener's 202 answer to a start. */
export const startAnswerSchema = v.object({
  pipelineId: v.string(),
  /** Absolute URL: Orca does not resolve a relative one. */
  statusUrl: v.string(),
  consoleUrl: v.optional(v.string()),
  warnings: v.array(v.string()),
  /** True when this start repeated one Orca already made and the running deployment was reused. */
  reused: v.boolean(),
});
export type StartAnswer = v.InferOutput<typeof startAnswerSchema>;

export const stepSchema = v.object({
  ref: v.optional(v.string()),
  /** `deployment`, `pause`, `analysis`, `webhook`, ... in CDaaS's words. */
  type: v.string(),
  status: v.string(),
  environment: v.optional(v.string()),
  /** 1-based position of this step in its environment's strategy, and the number of steps. */
  step: v.optional(v.number()),
  totalSteps: v.optional(v.number()),
  /** Traffic weight (percent) this step sets, for canary weight steps. */
  weight: v.optional(v.number()),
  pause: v.optional(
    v.object({
      untilApproved: v.optional(v.boolean()),
      duration: v.optional(v.number()),
      unit: v.optional(v.string()),
    }),
  ),
  awaitingApproval: v.boolean(),
  startedAt: v.optional(v.string()),
  completedAt: v.optional(v.string()),
});
export type DeployStep = v.InferOutput<typeof stepSchema>;

/** The answer to GET statusUrl; Orca reads `$.status` and `$.progress` from it. */
export const statusAnswerSchema = v.object({
  pipelineId: v.string(),
  status: v.picklist(PIPELINE_STATUSES),
  /** Always a string: Orca fails the stage when progressJsonPath points at anything else. */
  progress: v.string(),
  application: v.optional(v.string()),
  startedAt: v.optional(v.string()),
  completedAt: v.optional(v.string()),
  consoleUrl: v.optional(v.string()),
  warnings: v.array(v.string()),
  steps: v.array(stepSchema),
});
export type StatusAnswer = v.InferOutput<typeof statusAnswerSchema>;

/** Every 4xx/5xx answer of both listeners. `field` names the request field at fault, if any. */
/** The Webhook stage fields that point Orca at the bridge. Everything Orca needs, nothing else. */
export interface WebhookStageFields {
  /**
   * Orca runs a stage with this alias as its Webhook stage whatever its type. Deck copies it when a
   * stage is added (addAliasToConfig); saving it here too keeps a stage pasted as JSON or created
   * through the API running.
   */
  alias: 'webhook';
  url: string;
  method: 'POST';
  payload: DeployRequest;
  customHeaders: Record<string, string>;
  waitForCompletion: true;
  statusUrlResolution: 'webhookResponse';
  statusUrlJsonPath: string;
  statusJsonPath: string;
  progressJsonPath: string;
  successStatuses: string;
  canceledStatuses: string;
  terminalStatuses: string;
  cancelEndpoint: string;
  cancelMethod: 'POST';
  cancelPayload: Record<string, never>;
}

/** SpEL that Orca evaluates at stage start; they are never evaluated in Deck. */
export const SPEL_EXECUTION_ID = '${execution.id}';

/**
 * SpEL resolving an expected artifact to the artifact bound to it, in stock Orca (orca-core has no
 * by-id helper: `#triggerResolvedArtifact` matches by name and only sees the trigger). Upstream
 * stages that produce artifacts (Bake (Manifest), Find Artifacts From Resource, ...) record their
 * bindings in `outputs.resolvedExpectedArtifacts`; the trigger records its own in
 * `trigger.resolvedExpectedArtifacts`. A stage's binding wins over the trigger's.
 */
export function artifactExpression(expectedArtifactId: string): string {
  const id = expectedArtifactId.replace(/'/g, "''");
  const fromStages =
    `execution.stages.?[outputs['resolvedExpectedArtifacts'] != null]` +
    `.![outputs['resolvedExpectedArtifacts'].^[id == '${id}']].^[#this != null]?.boundArtifact`;
  const fromTrigger = `trigger.resolvedExpectedArtifacts.^[id == '${id}']?.boundArtifact`;
  return '${' + `(${fromStages}) ?: (${fromTrigger})` + '}';
}

/** The entry for a manifest from an expected artifact, resolved by Orca through `artifactExpression`. */
export function expectedArtifactEntry(path: string, expectedArtifactId: string, displayName?: string): ExpectedArtifactManifest {
  return { path, expectedArtifactId, ...(displayName ? { displayName } : {}), artifact: artifactExpression(expectedArtifactId) };
}

/** The entry for a manifest from an inline artifact: sent as typed, Orca evaluates its SpEL. */
export function inlineArtifactEntry(path: string, artifact: KorkArtifact): InlineArtifactManifest {
  return { source: 'inline', path, artifact };
}

export interface WebhookFieldsInput {
  /** The bridge's deploy listener base URL, as Orca reaches it (Deck setting `cdaas.bridgeUrl`). */
  bridgeUrl: string;
  stageRefId: string;
  application: string;
  pipelineName?: string;
  deployment: Record<string, unknown>;
  files: Record<string, string[]>;
  artifacts: ArtifactManifest[];
}

/** Builds the Webhook stage fields both CDaaS stages save. */
export function webhookStageFields(input: WebhookFieldsInput): WebhookStageFields {
  const base = input.bridgeUrl.replace(/\/+$/, '');
  return {
    alias: 'webhook',
    url: base + deployRoutes.start.path({ executionId: SPEL_EXECUTION_ID, stageRefId: input.stageRefId }),
    method: 'POST',
    payload: {
      contractVersion: CONTRACT_VERSION,
      deployment: input.deployment,
      files: input.files,
      artifacts: input.artifacts,
      context: {
        application: input.application,
        ...(input.pipelineName ? { pipelineName: input.pipelineName } : {}),
        executionId: SPEL_EXECUTION_ID,
        stageRefId: input.stageRefId,
        user: '${execution.authentication.user}',
      },
    },
    customHeaders: { 'X-CDaaS-Contract': CONTRACT_VERSION },
    waitForCompletion: true,
    statusUrlResolution: 'webhookResponse',
    statusUrlJsonPath: '$.statusUrl',
    statusJsonPath: '$.status',
    progressJsonPath: '$.progress',
    successStatuses: ORCA_STATUS_LISTS.successStatuses.join(','),
    canceledStatuses: ORCA_STATUS_LISTS.canceledStatuses.join(','),
    terminalStatuses: ORCA_STATUS_LISTS.terminalStatuses.join(','),
    cancelEndpoint: base + deployRoutes.cancel.path({ executionId: SPEL_EXECUTION_ID, stageRefId: input.stageRefId }),
    cancelMethod: 'POST',
    cancelPayload: {},
  };
}

/**
 * Default deploy listener URL. A dotted name under `.svc` passes Orca's default webhook URL
 * restrictions (which refuse names ending in .local, .internal, .spinnaker or .localdomain), and
 * resolves in-cluster through the pod's DNS search list. Admins override it in Deck's settings.
 */
export const DEFAULT_BRIDGE_URL = 'http://cdaas-bridge.spinnaker.svc:7002';
