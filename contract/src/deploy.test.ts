import * as v from 'valibot';

import {
  artifactExpression,
  deployRequestSchema,
  expectedArtifactEntry,
  inlineArtifactEntry,
  isInlineArtifactManifest,
  FINAL_STATUSES,
  ORCA_STATUS_LISTS,
  PIPELINE_STATUSES,
  statusAnswerSchema,
  webhookStageFields,
} from './deploy';
import { issueField, issueText } from './errors';
import { ORCA_MONITOR_FIELDS } from '../../test/support/orcaWebhook';

const input = {
  bridgeUrl: 'http://cdaas-bridge.spinnaker.svc:7002/',
  stageRefId: '3',
  application: 'checkout',
  pipelineName: 'Deploy to prod',
  deployment: { version: 'v1', kind: 'kubernetes', application: 'checkout' },
  files: { 'manifests/checkout.yaml': ['apiVersion: apps/v1\nkind: Deployment\n'] },
  artifacts: [],
};

describe('webhookStageFields', () => {
  it('points create and cancel at the deploy listener, keyed by execution id and stage refId', () => {
    const fields = webhookStageFields(input);
    // Regression: a trailing slash in the Deck setting produced `//v1/...`.
    expect(fields.url).toBe('http://cdaas-bridge.spinnaker.svc:7002/v1/executions/${execution.id}/stages/3/deployment');
    expect(fields.cancelEndpoint).toBe(
      'http://cdaas-bridge.spinnaker.svc:7002/v1/executions/${execution.id}/stages/3/deployment/cancel',
    );
    expect(fields.method).toBe('POST');
    expect(fields.cancelMethod).toBe('POST');
  });

  it('tells Orca where the status URL, status and progress are in the answers', () => {
    const fields = webhookStageFields(input);
    expect(fields).toMatchObject(ORCA_MONITOR_FIELDS);
  });

  it('writes a payload the bridge accepts once Orca has evaluated its SpEL', () => {
    const { payload } = webhookStageFields(input);
    expect(payload.context.executionId).toBe('${execution.id}');
    const evaluated = { ...payload, context: { ...payload.context, executionId: '01HZXK3J9Q', user: 'anna' } };
    expect(v.safeParse(deployRequestSchema, evaluated).success).toBe(true);
  });

  it('leaves pipelineName out when the pipeline has none yet', () => {
    const { payload } = webhookStageFields({ ...input, pipelineName: undefined });
    expect('pipelineName' in payload.context).toBe(false);
  });
});

describe('status lists', () => {
  it('maps every final CDaaS status and leaves waiting ones running', () => {
    expect(FINAL_STATUSES).toEqual(['SUCCEEDED', 'CANCELLED', 'FAILED', 'REJECTED']);
    const running = PIPELINE_STATUSES.filter((s) => !FINAL_STATUSES.includes(s));
    expect(running).toEqual(['QUEUED', 'RUNNING', 'PAUSED', 'AWAITING_APPROVAL']);
    expect(ORCA_STATUS_LISTS.terminalStatuses).toContain('REJECTED');
  });

  it('refuses a status answer whose progress is not a string (Orca would fail the stage)', () => {
    const answer = { pipelineId: 'p', status: 'RUNNING', progress: 50, warnings: [], steps: [] };
    expect(v.safeParse(statusAnswerSchema, answer).success).toBe(false);
  });
});

describe('artifactExpression', () => {
  it('looks in upstream stage bindings first, then the trigger, by expected artifact id', () => {
    const spel = artifactExpression('bake-output-1');
    expect(spel.startsWith('${') && spel.endsWith('}')).toBe(true);
    expect(spel).toContain("outputs['resolvedExpectedArtifacts'].^[id == 'bake-output-1']");
    expect(spel).toContain("trigger.resolvedExpectedArtifacts.^[id == 'bake-output-1']?.boundArtifact");
    expect(spel.indexOf('execution.stages')).toBeLessThan(spel.indexOf('trigger.'));
  });

  it('escapes quotes so an id cannot break out of the SpEL string literal', () => {
    expect(artifactExpression("a'b")).toContain("id == 'a''b'");
  });
});

describe('artifact entries', () => {
  const evaluate = (artifacts: unknown[]) => ({
    contractVersion: 'v1',
    deployment: {},
    files: {},
    artifacts,
    context: { application: 'checkout', executionId: 'E1', stageRefId: '3' },
  });
  const issues = (artifacts: unknown[]) => {
    const parsed = v.safeParse(deployRequestSchema, evaluate(artifacts));
    return parsed.success ? [] : parsed.issues.map((i) => `${issueField(i)}: ${issueText(i)}`);
  };

  it('keeps a stage saved before inline artifacts existed (no source) as an expected artifact', () => {
    // The exact entry a stage saved today carries, once Orca bound the artifact.
    const saved = { path: 'manifests/artifact-1.yaml', expectedArtifactId: 'ea-1', displayName: 'api manifest', artifact: artifactExpression('ea-1') };
    const parsed = v.parse(deployRequestSchema, evaluate([saved]));
    expect(parsed.artifacts[0]).toEqual(saved);
    expect(isInlineArtifactManifest(parsed.artifacts[0])).toBe(false);
    expect(expectedArtifactEntry('manifests/artifact-1.yaml', 'ea-1', 'api manifest')).toEqual(saved);
  });

  it('carries an inline artifact as typed, with ${...} left for Orca to evaluate', () => {
    const artifact = { type: 'http/file', artifactAccount: 'http', reference: 'https://cdn.example.com/${trigger.tag}/app.yml' };
    const entry = inlineArtifactEntry('manifests/app.yml', artifact);
    expect(entry).toEqual({ source: 'inline', path: 'manifests/app.yml', artifact });
    const parsed = v.parse(deployRequestSchema, evaluate([entry]));
    expect(isInlineArtifactManifest(parsed.artifacts[0])).toBe(true);
  });

  it('names the field when an entry is neither shape', () => {
    expect(issues([{ source: 'inline', path: 'm.yml', artifact: 'not an artifact' }])).toEqual([
      'artifacts[0].artifact: expected Object, received string',
    ]);
    expect(issues([{ source: 'inline', path: 'm.yml', artifact: {} }])).toEqual(['artifacts[0].artifact.type: required, but missing']);
    expect(issues([{ path: 'm.yml', artifact: { type: 'http/file' } }])).toEqual(['artifacts[0].expectedArtifactId: required, but missing']);
    expect(issues([{ source: 'elsewhere', path: 'm.yml' }])).toEqual([
      'artifacts[0].source: expected (("expected" | undefined) | "inline"), received string',
    ]);
  });
});
