/**
 * The YAML stage with artifacts defined inline, through the real picker and Deck's artifact
 * services (DeployYamlStageConfig.test.tsx stands a plain select in for the picker).
 */
import type { IStage } from '@spinnaker/core';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { artifactExpression } from '@cdaas/contract/deploy';
import { useDeckRestOverFetch } from '../../../test/deckRest';
import { artifactAccountsHandler } from '../../../test/fixtures/artifactAccounts';
import { readHandlers } from '../../../test/fixtures/readHandlers';
import { setupMsw } from '../../../test/msw';
import { renderStageConfig } from '../../../test/stageHarness';
import { pasteInto } from '../../../test/yamlEditor';
import { potatoFacts } from '../../../../test/support/potatoFacts';
import { DeployYamlStageConfig } from './DeployYamlStageConfig';
import { cdaasDeployYamlStage } from './deployYamlStage';

const server = setupMsw();
beforeEach(() => server.use(...readHandlers(), artifactAccountsHandler()));
useDeckRestOverFetch();

const manifestArtifact = {
  id: 'ea-potato-manifest',
  displayName: 'potato-facts manifest',
  matchArtifact: { type: 'github/file', name: 'manifests/potato-facts.yml' },
  useDefaultArtifact: false,
  usePriorArtifact: false,
};

const DEPLOY_YML = potatoFacts({ target: 'prod', account: 'prod-eu-west-1', strategy: 'canary', steps: [{ setWeight: { weight: 100 } }] }).deployYaml;
const URL = 'https://raw.example.com/potato-facts/${trigger.properties.tag}/potato-facts.yml';

function setup() {
  const utils = renderStageConfig(DeployYamlStageConfig, {
    stage: { type: 'cdaasDeployYaml', name: 'Deploy potato-facts', refId: '3', requisiteStageRefIds: [] },
    pipeline: { name: 'Release', expectedArtifacts: [manifestArtifact] as never },
    application: 'potatofacts',
  });
  return { ...utils, saved: () => utils.saved() as IStage, user: userEvent.setup() };
}

describe('Deployment YAML stage: inline artifacts', () => {
  it('binds a manifest path to an inline http/file artifact, saving only the chosen artifact', async () => {
    const { user, saved } = setup();
    pasteInto('deploy.yml', DEPLOY_YML);
    const manifests = screen.getByRole('region', { name: 'Manifest artifacts' });
    const picker = await within(manifests).findByRole('combobox', { name: 'Artifact for manifests/potato-facts.yml' });
    await user.selectOptions(picker, 'Define a new artifact...');
    const editor = within(manifests).getByRole('group', { name: 'Artifact for manifests/potato-facts.yml: inline artifact' });
    // Chosen, not yet usable: the editor says why, and so does Deck's pipeline check.
    expect(within(manifests).queryByText('No artifact bound to manifests/potato-facts.yml yet.')).toBeNull();
    expect(within(editor).getByText('Enter the URL of the file.')).toBeInTheDocument();
    expect(await cdaasDeployYamlStage.validateFn!(saved(), {})).toEqual({
      cdaas: { bindings: 'Inline artifact for manifests/potato-facts.yml: Enter the URL of the file.' },
    });

    await user.click(within(editor).getByRole('textbox', { name: 'Artifact for manifests/potato-facts.yml URL' }));
    await user.paste(URL);
    await waitFor(() => expect(within(editor).getByRole('combobox', { name: 'Artifact for manifests/potato-facts.yml Account' })).toHaveValue('http-artifacts'));
    const inline = { type: 'http/file', artifactAccount: 'http-artifacts', reference: URL };
    await waitFor(() => expect(saved().cdaas.bindings).toEqual([{ path: 'manifests/potato-facts.yml', source: 'inline', inline }]));
    expect(saved().payload.artifacts).toEqual([{ source: 'inline', path: 'manifests/potato-facts.yml', artifact: inline }]);
    expect(await cdaasDeployYamlStage.validateFn!(saved(), {})).toEqual({});
    expect(cdaasDeployYamlStage.artifactExtractor!(saved())).toEqual([]);
    expect(screen.getByRole('region', { name: 'What was understood' })).toHaveTextContent('manifests/potato-facts.yml: from artifact inline http/file');

    // The expected artifact instead, then inline again: both are kept while the form is open.
    await user.selectOptions(picker, 'ea-potato-manifest');
    await waitFor(() => expect(saved().cdaas.bindings).toEqual([{ path: 'manifests/potato-facts.yml', expectedArtifactId: 'ea-potato-manifest' }]));
    expect(saved().payload.artifacts).toEqual([
      { path: 'manifests/potato-facts.yml', expectedArtifactId: 'ea-potato-manifest', displayName: 'potato-facts manifest', artifact: artifactExpression('ea-potato-manifest') },
    ]);
    await user.selectOptions(picker, 'Define a new artifact...');
    expect(within(manifests).getByRole('textbox', { name: 'Artifact for manifests/potato-facts.yml URL' })).toHaveValue(URL);
    await waitFor(() => expect(saved().cdaas.bindings).toEqual([{ path: 'manifests/potato-facts.yml', source: 'inline', inline }]));
  });

  it('takes deploy.yml itself from an inline embedded/base64 artifact, base64 only in the payload', async () => {
    const { user, saved } = setup();
    await user.click(screen.getByRole('radio', { name: 'Artifact' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'deploy.yml artifact' }), 'Define a new artifact...');
    expect(await cdaasDeployYamlStage.validateFn!(saved(), {})).toEqual({
      cdaas: { deployYamlArtifactId: 'deploy.yml inline artifact: Enter the URL of the file.' },
    });
    await user.selectOptions(screen.getByRole('combobox', { name: 'deploy.yml artifact Type' }), 'embedded/base64');
    await user.click(screen.getByRole('textbox', { name: 'deploy.yml artifact Contents' }));
    await user.paste(DEPLOY_YML);

    await waitFor(() =>
      expect(saved().cdaas).toMatchObject({
        source: 'artifact',
        deployYamlArtifactSource: 'inline',
        deployYamlInlineArtifact: { type: 'embedded/base64', artifactAccount: 'embedded-artifact', reference: DEPLOY_YML },
      }),
    );
    expect(saved().cdaas.deployYamlArtifactId).toBeUndefined();
    expect(saved().payload.deployment).toEqual({});
    expect(saved().payload.artifacts).toEqual([
      { source: 'inline', path: 'deploy.yml', artifact: { type: 'embedded/base64', artifactAccount: 'embedded-artifact', reference: btoa(DEPLOY_YML) } },
    ]);
  });

  it('opens a stage saved before inline artifacts existed exactly as before', async () => {
    const cdaas = { source: 'text', yaml: DEPLOY_YML, bindings: [{ path: 'manifests/potato-facts.yml', expectedArtifactId: 'ea-potato-manifest' }] };
    const { saved } = renderStageConfig(DeployYamlStageConfig, {
      stage: { type: 'cdaasDeployYaml', name: 'Deploy potato-facts', refId: '3', requisiteStageRefIds: [], cdaas },
      pipeline: { name: 'Release', expectedArtifacts: [manifestArtifact] as never },
      application: 'potatofacts',
    });
    expect(await screen.findByRole('combobox', { name: 'Artifact for manifests/potato-facts.yml' })).toHaveValue('ea-potato-manifest');
    expect(screen.queryByRole('group', { name: /inline artifact/ })).toBeNull();
    expect(saved().cdaas ?? cdaas).toEqual(cdaas);
  });
});
