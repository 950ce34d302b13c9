import type { IExpectedArtifact, IStage } from '@spinnaker/core';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse } from 'msw';
import type React from 'react';

import { clustersAnswerPartial } from '../../../test/fixtures/agents';
import { readHandlers } from '../../../test/fixtures/readHandlers';
import { setupMsw } from '../../../test/msw';
import { renderStageConfig } from '../../../test/stageHarness';
import { withCdaasSettings } from '../../../test/withSettings';
import { cursorOf, pasteInto, replaceText, yamlEditor } from '../../../test/yamlEditor';
import { potatoFacts } from '../../../../test/support/potatoFacts';
import { ORCA_MONITOR_FIELDS } from '../../../../test/support/orcaWebhook';

import { artifactExpression } from '@cdaas/contract/deploy';
import type { ManifestArtifactFieldProps } from '../common/artifacts';
import { DeployYamlStageConfig } from './DeployYamlStageConfig';
import { cdaasDeployYamlStage } from './deployYamlStage';

// The real picker (owned by the Deploy stage helper) talks to Deck's artifact services; its own
// tests cover it. Here a labelled <select> of the pipeline's expected artifacts stands in, with
// the same props, so these tests exercise this form's bindings and nothing else.
vi.mock('../common/artifacts', async (importOriginal) => {
  const { default: R } = await import('react');
  return {
    ...(await importOriginal<typeof import('../common/artifacts')>()),
    ManifestArtifactField: ({ label, pipeline, value, onChange }: ManifestArtifactFieldProps) =>
      R.createElement(
        'select',
        {
          'aria-label': label,
          value: value?.expectedArtifactId ?? '',
          onChange: (e: React.ChangeEvent<HTMLSelectElement>) => onChange({ source: 'expected', ...(e.target.value ? { expectedArtifactId: e.target.value } : {}) }),
        },
        R.createElement('option', { value: '' }, '(none)'),
        ...((pipeline.expectedArtifacts ?? []) as IExpectedArtifact[]).map((a) => R.createElement('option', { key: a.id, value: a.id }, a.displayName)),
      ),
  };
});

// Fail closed: the only requests this form makes are the connected agents (for the account
// check in "What was understood"); anything else fails the test.
const server = setupMsw();
beforeEach(() => server.use(...readHandlers()));

const manifestArtifact: IExpectedArtifact = {
  id: 'ea-potato-manifest',
  displayName: 'potato-facts manifest',
  matchArtifact: { id: 'm1', type: 'github/file', name: 'manifests/potato-facts.yml' } as IExpectedArtifact['matchArtifact'],
  usePriorArtifact: false,
  useDefaultArtifact: false,
  defaultArtifact: undefined as unknown as IExpectedArtifact['defaultArtifact'],
};
const deployYmlArtifact: IExpectedArtifact = {
  ...manifestArtifact,
  id: 'ea-deploy-yml',
  displayName: 'deploy.yml from git',
  matchArtifact: { id: 'm2', type: 'github/file', name: 'deploy.yml' } as IExpectedArtifact['matchArtifact'],
};

/** The demo app on prod-eu-west-1; its target names the strategy `strategyRef`, by default the typo `canry`. */
const potato = (strategyRef = 'canry') =>
  potatoFacts({
    target: 'prod',
    account: 'prod-eu-west-1',
    strategy: 'canary',
    strategyRef,
    steps: [{ setWeight: { weight: 25 } }, { pause: { untilApproved: true } }, { setWeight: { weight: 50 } }, { pause: { duration: 5, unit: 'minutes' } }],
  });
const DEPLOY_YML = potato().deployYaml;
const VALID_YML = potato('canary').deployYaml;

function setup(stageOverrides: Partial<IStage> = {}) {
  const utils = renderStageConfig(DeployYamlStageConfig, {
    stage: { type: 'cdaasDeployYaml', name: 'Deploy potato-facts', refId: '3', requisiteStageRefIds: ['1'], ...stageOverrides },
    pipeline: { name: 'Release', expectedArtifacts: [manifestArtifact, deployYmlArtifact] },
    application: 'potatofacts',
  });
  return { ...utils, saved: () => utils.saved() as IStage, user: userEvent.setup() };
}

async function paste(_user: ReturnType<typeof userEvent.setup>, text: string) {
  pasteInto('deploy.yml', text);
}

describe('CD-as-a-Service Deployment YAML stage', () => {
  it('shows a YAML syntax error with its line:column and keeps every character typed', async () => {
    const { saved } = setup();
    const typed = 'version: v1\nkind: kubernetes\ntargets:\n  prod:\n    account: [prod-west\n    strategy: canary\n';
    pasteInto('deploy.yml', typed);

    const problems = screen.getByRole('region', { name: 'deploy.yml problems' });
    expect(await within(problems).findByText(/YAML syntax error/)).toBeInTheDocument();
    expect(within(problems).getByRole('button', { name: 'Go to line 6, column 5' })).toBeInTheDocument();
    expect(within(problems).getByRole('status')).toHaveTextContent('1 error in deploy.yml.');
    // Nothing typed is lost: the editor and the saved stage hold the text exactly.
    expect(yamlEditor('deploy.yml').getValue()).toBe(typed);
    expect(saved().cdaas.yaml).toBe(typed);
    // The editor marks the failing line: Deck's editor shows our problem as its annotation.
    expect(yamlEditor('deploy.yml').getSession().getAnnotations()).toEqual([
      expect.objectContaining({ row: 5, column: 4, type: 'error', text: expect.stringMatching(/^YAML syntax error/) }),
    ]);
    // Regression: with text that does not parse, the bindings said deploy.yml "lists no manifest paths yet".
    expect(screen.getByText('Manifest paths are read from deploy.yml once it parses.')).toBeInTheDocument();
    // Unparseable text saves an empty deployment rather than a stale one.
    expect(saved().payload.deployment).toEqual({});
  });

  it('reports an unknown strategy at its position and moves the cursor there', async () => {
    const { user } = setup();
    await paste(user, DEPLOY_YML);
    const problems = screen.getByRole('region', { name: 'deploy.yml problems' });
    expect(
      await within(problems).findByText("targets.prod.strategy: strategy 'canry' is not defined (did you mean 'canary'?); defined: canary"),
    ).toBeInTheDocument();
    await user.click(within(problems).getByRole('button', { name: 'Go to line 8, column 15' }));
    expect(yamlEditor('deploy.yml').isFocused()).toBe(true);
    expect(cursorOf('deploy.yml')).toEqual({ line: 8, column: 15 });
    expect(DEPLOY_YML.split('\n')[7].slice(14, 19)).toBe('canry');
  });

  it('requires an artifact for each manifests[].path, naming the path, until one is bound', async () => {
    const { user, saved } = setup();
    await paste(user, VALID_YML);
    const manifests = screen.getByRole('region', { name: 'Manifest artifacts' });
    const picker = await within(manifests).findByRole('combobox', { name: 'Artifact for manifests/potato-facts.yml' });
    expect(within(manifests).getByText('No artifact bound to manifests/potato-facts.yml yet.')).toBeInTheDocument();
    expect(await cdaasDeployYamlStage.validateFn!(saved(), {})).toEqual({
      cdaas: { bindings: 'Bind an artifact to manifest path manifests/potato-facts.yml: CD-as-a-Service reads the manifest text from it.' },
    });

    await user.selectOptions(picker, 'potato-facts manifest');
    expect(within(manifests).getByText('Bound to potato-facts manifest.')).toBeInTheDocument();
    expect(await cdaasDeployYamlStage.validateFn!(saved(), {})).toEqual({});
    expect(saved().payload.artifacts).toEqual([
      { path: 'manifests/potato-facts.yml', expectedArtifactId: 'ea-potato-manifest', displayName: 'potato-facts manifest', artifact: artifactExpression('ea-potato-manifest') },
    ]);
  });

  it('saves a Webhook stage whose payload carries deploy.yml as JSON and the artifact bindings', async () => {
    const { user, saved } = setup();
    const text = VALID_YML;
    await paste(user, text);
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Artifact for manifests/potato-facts.yml' }), 'potato-facts manifest');

    const stage = saved();
    expect(stage).toMatchObject({
      type: 'cdaasDeployYaml',
      name: 'Deploy potato-facts',
      refId: '3',
      requisiteStageRefIds: ['1'],
      alias: 'webhook',
      url: 'http://cdaas-bridge.spinnaker.svc:7002/v1/executions/${execution.id}/stages/3/deployment',
      method: 'POST',
      customHeaders: { 'X-CDaaS-Contract': 'v1' },
      ...ORCA_MONITOR_FIELDS,
      cancelEndpoint: 'http://cdaas-bridge.spinnaker.svc:7002/v1/executions/${execution.id}/stages/3/deployment/cancel',
      cancelMethod: 'POST',
      cdaas: { source: 'text', yaml: text, bindings: [{ path: 'manifests/potato-facts.yml', expectedArtifactId: 'ea-potato-manifest' }] },
    });
    expect(stage.payload).toEqual({
      contractVersion: 'v1',
      deployment: potato('canary').deployment,
      files: {},
      artifacts: [
        { path: 'manifests/potato-facts.yml', expectedArtifactId: 'ea-potato-manifest', displayName: 'potato-facts manifest', artifact: artifactExpression('ea-potato-manifest') },
      ],
      context: { application: 'potatofacts', pipelineName: '${execution.name}', executionId: '${execution.id}', stageRefId: '3', user: '${execution.authentication.user}' },
    });
  });

  it('shows what was understood, strategy steps in words', async () => {
    const { user } = setup();
    await paste(user, VALID_YML);
    const summary = await screen.findByRole('region', { name: 'What was understood' });
    expect(await within(summary).findByText('(agent connected)')).toBeInTheDocument();
    expect(within(summary).getByRole('list', { name: 'Targets' })).toHaveTextContent(
      'prod: account prod-eu-west-1 (agent connected), namespace potato-facts, strategy canary',
    );
    expect(within(summary).getByRole('list', { name: 'Strategies' })).toHaveTextContent('canary: canary: 25% -> wait for approval -> 50% -> wait 5 minutes -> 100%');
    expect(within(summary).getByRole('list', { name: 'Manifests' })).toHaveTextContent('manifests/potato-facts.yml: no artifact bound yet, to all targets');
  });

  it('flags a target account with no connected agent, and one on a Kubernetes CDaaS does not support', async () => {
    server.use(...readHandlers({ clusters: clustersAnswerPartial }));
    const { user } = setup();
    const text = VALID_YML.replace(
      'manifests:',
      '  staging:\n    account: staging-us-east-1\n    strategy: canary\n  qa:\n    account: prod-eu-west1\n    strategy: canary\nmanifests:',
    );
    await paste(user, text);
    const targets = await screen.findByRole('list', { name: 'Targets' });
    expect(await within(targets).findByText(/no agent named prod-eu-west1 is connected/)).toHaveTextContent(
      '(no agent named prod-eu-west1 is connected; did you mean prod-eu-west-1? Connected: prod-eu-west-1, staging-us-east-1)',
    );
    expect(within(targets).getByText(/its cluster runs Kubernetes/)).toHaveTextContent(
      '(its cluster runs Kubernetes v1.15.12; CD-as-a-Service needs 1.16 or later)',
    );
    // Regression: such a deploy.yml was called "deploy.yml is valid.", the problem only in grey
    // text in the summary. Now each is a warning at the account's line, marked in the editor.
    const problems = screen.getByRole('region', { name: 'deploy.yml problems' });
    await waitFor(() => expect(within(problems).getByRole('status')).toHaveTextContent('No errors, 2 warnings in deploy.yml.'));
    const lines = text.split('\n');
    const qaLine = lines.indexOf('    account: prod-eu-west1') + 1;
    const stagingLine = lines.indexOf('    account: staging-us-east-1') + 1;
    expect(within(problems).getByText(/^targets\.qa\.account: no agent named prod-eu-west1 is connected/)).toBeInTheDocument();
    expect(within(problems).getByRole('button', { name: `Go to line ${qaLine}, column 14` })).toBeInTheDocument();
    expect(within(problems).getByRole('button', { name: `Go to line ${stagingLine}, column 14` })).toBeInTheDocument();
    expect(yamlEditor('deploy.yml').getSession().getAnnotations().map((a) => [a.row + 1, a.type])).toEqual([
      [stagingLine, 'warning'],
      [qaLine, 'warning'],
    ]);
  });

  it('still shows what was understood when the agents cannot be read, and offers a retry', async () => {
    server.use(...readHandlers({ agents: () => HttpResponse.json({ error: 'upstream unavailable' }, { status: 502 }) }));
    const { user } = setup();
    await paste(user, VALID_YML);
    const summary = await screen.findByRole('region', { name: 'What was understood' });
    expect(await within(summary).findByText(/The connected agents could not be read, so the accounts are not checked/)).toBeInTheDocument();
    expect(within(summary).getByRole('list', { name: 'Targets' })).toHaveTextContent('prod: account prod-eu-west-1, namespace potato-facts, strategy canary');
    server.use(...readHandlers());
    await user.click(within(summary).getByRole('button', { name: 'Retry' }));
    expect(await within(summary).findByText('(agent connected)')).toBeInTheDocument();
  });

  it('with deploy.yml from an artifact: says it is checked at run time and sends it as the deploy.yml artifact', async () => {
    const { user, saved } = setup();
    await user.click(screen.getByRole('radio', { name: 'Artifact' }));
    expect(screen.getByText(/checked when the stage runs/)).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'deploy.yml' })).not.toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'deploy.yml artifact' }), 'deploy.yml from git');

    const manifests = screen.getByRole('region', { name: 'Manifest artifacts' });
    await user.click(within(manifests).getByRole('button', { name: 'Add manifest path' }));
    await user.type(within(manifests).getByRole('textbox', { name: 'Manifest path 1' }), 'manifests/potato-facts.yml');
    expect(within(manifests).getByText('No artifact bound to manifests/potato-facts.yml yet.')).toBeInTheDocument();
    expect(await cdaasDeployYamlStage.validateFn!(saved(), {})).toEqual({
      cdaas: { bindings: 'Bind an artifact to manifest path manifests/potato-facts.yml: CD-as-a-Service reads the manifest text from it.' },
    });
    await user.selectOptions(within(manifests).getByRole('combobox', { name: 'Artifact for manifests/potato-facts.yml' }), 'potato-facts manifest');

    const stage = saved();
    expect(await cdaasDeployYamlStage.validateFn!(stage, {})).toEqual({});
    expect(stage.payload.deployment).toEqual({});
    expect(stage.payload.artifacts).toEqual([
      { path: 'deploy.yml', expectedArtifactId: 'ea-deploy-yml', displayName: 'deploy.yml from git', artifact: artifactExpression('ea-deploy-yml') },
      { path: 'manifests/potato-facts.yml', expectedArtifactId: 'ea-potato-manifest', displayName: 'potato-facts manifest', artifact: artifactExpression('ea-potato-manifest') },
    ]);
  });

  it('keeps the typed deploy.yml when switching to an artifact and back', async () => {
    const { user, saved } = setup();
    await paste(user, DEPLOY_YML);
    await user.click(screen.getByRole('radio', { name: 'Artifact' }));
    await user.click(screen.getByRole('radio', { name: 'Text' }));
    expect(yamlEditor('deploy.yml').getValue()).toBe(DEPLOY_YML);
    expect(saved().cdaas.yaml).toBe(DEPLOY_YML);
  });

  it('opens an existing stage with its saved text and bindings, flagging nothing that is bound', async () => {
    const text = VALID_YML;
    setup({ cdaas: { source: 'text', yaml: text, bindings: [{ path: 'manifests/potato-facts.yml', expectedArtifactId: 'ea-potato-manifest' }] } });
    expect(yamlEditor('deploy.yml').getValue()).toBe(text);
    expect(await screen.findByText('deploy.yml is valid.')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Artifact for manifests/potato-facts.yml' })).toHaveValue('ea-potato-manifest');
    expect(screen.queryByText(/No artifact bound/)).not.toBeInTheDocument();
  });

  it('checks only after typing pauses, and says so meanwhile', async () => {
    setup();
    replaceText('deploy.yml', 'version: v1\n');
    expect(screen.getByRole('status')).toHaveTextContent('Checking deploy.yml...');
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(/errors? in deploy.yml/));
  });

  // Regression: the YAML stage saves the same bridge URL as the Deploy stage but warned about nothing.
  it('warns about a bridge URL Orca refuses, as the Deploy stage does', async () => {
    await withCdaasSettings({ bridgeUrl: 'http://cdaas-bridge.spinnaker.svc.cluster.local:7002' }, async () => {
      const { saved, user } = setup();
      expect(screen.getByRole('alert')).toHaveTextContent(/its host ends with \.local, which excludedDomains refuses, .* Ask your Spinnaker admin\./);
      await paste(user, 'version: v1\n');
      await waitFor(() => expect(saved().url).toMatch(/^http:\/\/cdaas-bridge\.spinnaker\.svc\.cluster\.local:7002\//));
    });
  });

  it('where Orca does not apply its URL rules (the sandbox), notes it in one line instead of warning', async () => {
    await withCdaasSettings({ bridgeUrl: 'http://127.0.0.1:7002', orcaUrlRulesApply: false }, async () => {
      setup();
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      expect(screen.getByRole('note')).toHaveTextContent('Bridge URL http://127.0.0.1:7002: a real Orca would refuse it with its default URL rules; this one does not apply them.');
    });
  });
});
