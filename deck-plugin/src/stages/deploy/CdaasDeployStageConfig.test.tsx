import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { artifactExpression, webhookStageFields } from '@cdaas/contract/deploy';
import { useDeckRestOverFetch } from '../../../test/deckRest';
import { artifactAccountsHandler } from '../../../test/fixtures/artifactAccounts';
import { readHandlers } from '../../../test/fixtures/readHandlers';
import { setupMsw } from '../../../test/msw';
import { renderStageConfig } from '../../../test/stageHarness';
import { withCdaasSettings } from '../../../test/withSettings';
import { cursorOf, pasteInto, yamlEditor } from '../../../test/yamlEditor';
import { potatoFacts } from '../../../../test/support/potatoFacts';
import { ORCA_MONITOR_FIELDS } from '../../../../test/support/orcaWebhook';
import { CdaasDeployStageConfig } from './CdaasDeployStageConfig';
import { cdaasDeployStage } from './deployStage';

const server = setupMsw();
beforeEach(() => server.use(...readHandlers()));
// The inline artifact editor lists Deck's artifact accounts through Deck's AccountService.
useDeckRestOverFetch();

const BRIDGE = 'http://cdaas-bridge.spinnaker.svc:7002';
/** A Deployment and its Service, both shop-web (the Service is what the blue/green fields offer). */
const MANIFEST = potatoFacts({ name: 'shop-web', image: 'shop/web:1.4.2', service: true }).manifest;

/** userEvent.type treats `{` and `[` as key descriptors; paste puts text as is. */
async function paste(element: HTMLElement, text: string) {
  await userEvent.click(element);
  await userEvent.paste(text);
}

async function ready() {
  return screen.findByRole('combobox', { name: /^Account/ });
}

describe('CD-as-a-Service Deploy stage config', () => {
  it('registers as an Orca Webhook stage that Deck copies the alias of', () => {
    expect(cdaasDeployStage.key).toBe('cdaasDeploy');
    expect(cdaasDeployStage.alias).toBe('webhook');
    expect(cdaasDeployStage.addAliasToConfig).toBe(true);
    expect(cdaasDeployStage.executionDetailsSections?.map((s) => s.title)).toEqual(['CD-as-a-Service deployment', 'taskStatus']);
  });

  it('a new stage saved without any edit already carries the Webhook fields and the form values', async () => {
    const { saved } = renderStageConfig(CdaasDeployStageConfig);
    await ready();
    await waitFor(() => expect(saved().url).toBeDefined());
    const stage = saved();
    expect(stage.url).toBe(`${BRIDGE}/v1/executions/\${execution.id}/stages/1/deployment`);
    expect(stage.cancelEndpoint).toBe(`${BRIDGE}/v1/executions/\${execution.id}/stages/1/deployment/cancel`);
    expect(stage).toMatchObject({
      method: 'POST',
      ...ORCA_MONITOR_FIELDS,
      cancelMethod: 'POST',
      customHeaders: { 'X-CDaaS-Contract': 'v1' },
    });
    expect(stage.cdaas).toMatchObject({ application: 'shop', strategy: 'canary', manifestSource: 'text' });
    // Reserved fields stay Deck's.
    expect(stage.refId).toBe('1');
    expect(stage.name).toBe('Deploy to prod');
  });

  it('saves the deploy.yml, the manifest text and the Webhook fields built from what the user entered', async () => {
    const { saved } = renderStageConfig(CdaasDeployStageConfig);
    await userEvent.selectOptions(await ready(), 'prod-eu-west-1');
    await userEvent.type(screen.getByRole('textbox', { name: 'Namespace override' }), 'shop');
    pasteInto('Manifest YAML', MANIFEST);
    await userEvent.clear(screen.getByRole('spinbutton', { name: /^Deployment timeout/ }));
    await userEvent.type(screen.getByRole('spinbutton', { name: /^Deployment timeout/ }), '45');

    await waitFor(() => expect(saved().cdaas.timeout.duration).toBe('45'));
    const stage = saved();
    const deployment = {
      version: 'v1',
      kind: 'kubernetes',
      application: 'shop',
      deploymentConfig: { timeout: { duration: 45, unit: 'minutes' } },
      targets: { 'prod-eu-west-1': { account: 'prod-eu-west-1', namespace: 'shop', strategy: 'canary' } },
      manifests: [{ path: 'manifests/stage-manifest.yaml' }],
      strategies: {
        canary: {
          canary: {
            steps: [{ setWeight: { weight: 25 } }, { pause: { untilApproved: true } }, { setWeight: { weight: 100 } }],
          },
        },
      },
    };
    expect(stage.payload.deployment).toEqual(deployment);
    expect(stage.payload.files).toEqual({ 'manifests/stage-manifest.yaml': [MANIFEST] });
    expect(stage.payload.artifacts).toEqual([]);
    expect(stage.payload.context).toEqual({
      application: 'shop',
      pipelineName: '${execution.name}',
      executionId: '${execution.id}',
      stageRefId: '1',
      user: '${execution.authentication.user}',
    });
    // Exactly what the contract builds: nothing added, nothing missing.
    const expected = webhookStageFields({
      bridgeUrl: BRIDGE,
      stageRefId: '1',
      application: 'shop',
      pipelineName: '${execution.name}',
      deployment,
      files: { 'manifests/stage-manifest.yaml': [MANIFEST] },
      artifacts: [],
    });
    for (const [key, value] of Object.entries(expected)) expect(stage[key]).toEqual(value);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('canary steps: add, reorder, remove, and the saved strategy follows', async () => {
    const { saved } = renderStageConfig(CdaasDeployStageConfig);
    await ready();
    const steps = () => within(screen.getByRole('list', { name: 'Canary steps' })).getAllByRole('listitem');
    expect(steps()).toHaveLength(3);

    await userEvent.click(screen.getByRole('button', { name: 'Add canary step' }));
    expect(steps()).toHaveLength(4);
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Canary step 4 type' }), 'Pause for a duration');
    await userEvent.type(screen.getByRole('spinbutton', { name: 'Canary step 4 duration' }), '90');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Canary step 4 unit' }), 'seconds');

    // Move the timed pause before the final 100% step.
    await userEvent.click(screen.getByRole('button', { name: 'Move canary step 4 up' }));
    expect(screen.getByRole('combobox', { name: 'Canary step 3 type' })).toHaveValue('pauseDuration');
    expect(screen.getByRole('spinbutton', { name: 'Canary step 4 weight (%)' })).toHaveValue('100');

    // Remove the approval pause.
    await userEvent.click(screen.getByRole('button', { name: 'Remove canary step 2' }));
    expect(steps()).toHaveLength(3);
    expect(screen.getByRole('button', { name: 'Move canary step 1 up' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Move canary step 3 down' })).toBeDisabled();

    await waitFor(() =>
      expect(saved().payload.deployment.strategies.canary.canary.steps).toEqual([
        { setWeight: { weight: 25 } },
        { pause: { duration: 90, unit: 'seconds' } },
        { setWeight: { weight: 100 } },
      ]),
    );
  });

  it('canary steps: flags weights out of range or not rising, and an empty list, keeping what was typed', async () => {
    const { saved } = renderStageConfig(CdaasDeployStageConfig);
    await ready();
    const first = screen.getByRole('spinbutton', { name: 'Canary step 1 weight (%)' });
    await userEvent.clear(first);
    await userEvent.type(first, '150');
    expect(
      await screen.findByText('Canary step 1 weight (%) cannot be greater than 100'),
    ).toBeInTheDocument();

    await userEvent.clear(first);
    await userEvent.type(first, 'abc');
    expect(await screen.findByText('Canary step 1 weight (%) must be a number')).toBeInTheDocument();
    // Regression guard: an invalid entry is kept in the field and in the saved form values.
    expect(first).toHaveValue('abc');
    await waitFor(() => expect(saved().cdaas.canarySteps[0].weight).toBe('abc'));

    await userEvent.clear(first);
    await userEvent.type(first, '100');
    expect(await screen.findByText('Canary step 3 weight (%) must be higher than the previous weight (100%)')).toBeInTheDocument();

    const last = screen.getByRole('spinbutton', { name: 'Canary step 3 weight (%)' });
    await paste(last, '${parameters.finalWeight}');
    await waitFor(() => expect(screen.queryByText(/Canary step 3 weight/)).not.toBeInTheDocument());

    for (let i = 3; i >= 1; i--) await userEvent.click(screen.getByRole('button', { name: `Remove canary step ${i}` }));
    expect(await screen.findByText('Add at least one canary step.')).toBeInTheDocument();
  });

  it('a pause needs a positive duration', async () => {
    renderStageConfig(CdaasDeployStageConfig);
    await ready();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Canary step 2 type' }), 'Pause for a duration');
    await userEvent.type(screen.getByRole('spinbutton', { name: 'Canary step 2 duration' }), '0');
    expect(
      await screen.findByText('Canary step 2 duration cannot be less than 1'),
    ).toBeInTheDocument();
  });

  it('shows manifest YAML problems with their line numbers', async () => {
    renderStageConfig(CdaasDeployStageConfig);
    await ready();
    pasteInto('Manifest YAML', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n');
    // The field's message, as Deck shows one once the field was edited.
    expect(await screen.findByText(/^Manifest YAML: line \d+, column \d+: .*Pod/)).toBeInTheDocument();
    // The same problem is marked on its line in Deck's editor and listed under it, clickable.
    const list = screen.getByRole('region', { name: 'Manifest YAML problems' });
    const go = within(list).getByRole('button', { name: /^Go to line 2, column \d+$/ });
    expect(yamlEditor('Manifest YAML').getSession().getAnnotations()).toEqual([expect.objectContaining({ row: 1, type: 'error' })]);
    await userEvent.click(go);
    expect(cursorOf('Manifest YAML').line).toBe(2);
  });

  it('accepts a Spinnaker expression as the account', async () => {
    const { saved } = renderStageConfig(CdaasDeployStageConfig);
    await ready();
    await userEvent.click(screen.getByRole('button', { name: 'Type an account or expression' }));
    await paste(screen.getByRole('textbox', { name: /^Account/ }), '${parameters.cluster}');
    await waitFor(() => expect(saved().payload.deployment.targets).toEqual({
      kubernetes: { account: '${parameters.cluster}', strategy: 'canary' },
    }));
    expect(screen.queryByText(/Account is required/)).not.toBeInTheDocument();
  });

  it('blue/green: saves the pauses and the services as trafficManagement', async () => {
    const { saved } = renderStageConfig(CdaasDeployStageConfig);
    await userEvent.selectOptions(await ready(), 'prod-eu-west-1');
    await userEvent.click(screen.getByRole('radio', { name: 'Blue/green' }));
    await userEvent.type(screen.getByRole('combobox', { name: /^Active service/ }), 'shop-web');
    await userEvent.type(screen.getByRole('combobox', { name: 'Preview service' }), 'shop-web-preview');
    // Only pauses are offered before the redirect and the shutdown.
    await userEvent.click(screen.getByRole('button', { name: 'Add pause before redirecting' }));
    const redirect = screen.getByRole('list', { name: 'Redirect traffic after' });
    expect(within(redirect).getAllByRole('listitem')).toHaveLength(2);
    const type = screen.getByRole('combobox', { name: 'Pause before redirecting 2 type' });
    expect(within(type).getAllByRole('option').map((o) => o.textContent)).toEqual(['Pause until approved', 'Pause for a duration']);
    await userEvent.click(screen.getByRole('button', { name: 'Remove pause before redirecting 2' }));
    expect(screen.getByRole('list', { name: 'Shut down old version after' })).toBeInTheDocument();
    await waitFor(() => expect(saved().cdaas.blueGreen.previewService).toBe('shop-web-preview'));
    const deployment = saved().payload.deployment;
    expect(deployment.targets['prod-eu-west-1'].strategy).toBe('blue-green');
    expect(deployment.strategies).toEqual({
      'blue-green': {
        blueGreen: {
          redirectTrafficAfter: [{ pause: { untilApproved: true } }],
          shutDownOldVersionAfter: [{ pause: { duration: 10, unit: 'minutes' } }],
        },
      },
    });
    expect(deployment.trafficManagement).toEqual([
      { targets: ['prod-eu-west-1'], kubernetes: [{ activeService: 'shop-web', previewService: 'shop-web-preview' }] },
    ]);
    // An approval can outlast Orca's 1-hour webhook monitor: the form says how to allow more.
    expect(screen.getByRole('note')).toHaveTextContent('Fail stage after a specific amount of time');
  });

  // Regression: a stage saved with canary kept the whole blueGreen block and a stale manifestArtifacts: [{}].
  it('saves only what the chosen options use, and keeps what was typed while switching back and forth', async () => {
    const { saved } = renderStageConfig(CdaasDeployStageConfig);
    await userEvent.selectOptions(await ready(), 'prod-eu-west-1');
    pasteInto('Manifest YAML', MANIFEST);
    const keys = () => Object.keys(saved().cdaas).sort();
    const common = ['account', 'application', 'manifestSource', 'namespace', 'strategy', 'timeout'];

    // Text + canary.
    await waitFor(() => expect(saved().cdaas.manifestText).toBe(MANIFEST));
    expect(keys()).toEqual([...common, 'canarySteps', 'manifestText'].sort());

    // Text + blue/green.
    await userEvent.click(screen.getByRole('radio', { name: 'Blue/green' }));
    await userEvent.type(screen.getByRole('combobox', { name: /^Active service/ }), 'shop-web');
    await waitFor(() => expect(saved().cdaas.blueGreen?.activeService).toBe('shop-web'));
    expect(keys()).toEqual([...common, 'blueGreen', 'manifestText'].sort());

    // Artifacts + blue/green.
    await userEvent.click(screen.getByRole('radio', { name: 'Artifacts' }));
    await waitFor(() => expect(saved().cdaas.manifestSource).toBe('artifact'));
    expect(keys()).toEqual([...common, 'blueGreen', 'manifestArtifacts'].sort());

    // Artifacts + canary.
    await userEvent.click(screen.getByRole('radio', { name: 'Canary' }));
    await waitFor(() => expect(saved().cdaas.strategy).toBe('canary'));
    expect(keys()).toEqual([...common, 'canarySteps', 'manifestArtifacts'].sort());
    expect(saved().payload.deployment.trafficManagement).toBeUndefined();

    // Artifacts defined inline: the row saves the inline artifact alone, nothing of the expected one.
    server.use(artifactAccountsHandler());
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Manifest artifact 1' }), 'Define a new artifact...');
    await waitFor(() => expect(saved().cdaas.manifestArtifacts).toEqual([{ source: 'inline', inline: { type: 'http/file', artifactAccount: 'http-artifacts' } }]));
    expect(keys()).toEqual([...common, 'canarySteps', 'manifestArtifacts'].sort());

    // Back to text + blue/green: what was typed is still there, in the form and in the saved stage.
    await userEvent.click(screen.getByRole('radio', { name: 'Text' }));
    await userEvent.click(screen.getByRole('radio', { name: 'Blue/green' }));
    expect(yamlEditor('Manifest YAML').getValue()).toBe(MANIFEST);
    expect(screen.getByRole('combobox', { name: /^Active service/ })).toHaveValue('shop-web');
    await waitFor(() => expect(saved().cdaas.blueGreen?.activeService).toBe('shop-web'));
    expect(saved().cdaas.manifestText).toBe(MANIFEST);
    expect(keys()).toEqual([...common, 'blueGreen', 'manifestText'].sort());
  });

  // Regression: a weight of 150 was plain red text at once, while blue/green's missing active
  // service appeared only in the save bar's list. Now every field: Deck's message, at once.
  it("shows every field's problem in Deck's validation style at the moment it exists", async () => {
    const { container } = renderStageConfig(CdaasDeployStageConfig);
    await userEvent.selectOptions(await ready(), 'prod-eu-west-1');
    const weight = screen.getByRole('spinbutton', { name: 'Canary step 1 weight (%)' });
    await userEvent.clear(weight);
    await userEvent.type(weight, '150');
    const weightMessage = await screen.findByText('Canary step 1 weight (%) cannot be greater than 100');
    expect(weightMessage.closest('.ValidationMessage')).not.toBeNull();
    // Deck's SpelNumberInput marks its whole box invalid (button-input invalid), not the bare input.
    expect(weight.closest('.button-input')).toHaveClass('invalid');
    expect(weight).toHaveAttribute('aria-invalid', 'true');

    await userEvent.click(screen.getByRole('radio', { name: 'Blue/green' }));
    // No blur, no save: the message is there as soon as the field is.
    const activeMessage = await screen.findByText(/^Active service/, { selector: '.ValidationMessage *' });
    expect(activeMessage).toBeInTheDocument();
    // One style: no plain red text of our own beside Deck's messages.
    expect([...container.querySelectorAll('.error-message')].filter((e) => !e.closest('.ValidationMessage'))).toEqual([]);
  });

  it('artifacts: binds manifests to expected artifacts as SpEL and refuses types the bridge cannot read', async () => {
    const expectedArtifacts = [
      {
        id: 'ea-manifests',
        displayName: 'shop manifests',
        matchArtifact: { type: 'github/file', name: 'deploy/shop.yaml', artifactAccount: 'github' },
        useDefaultArtifact: false,
        usePriorArtifact: false,
      },
      {
        id: 'ea-image',
        displayName: 'shop image',
        matchArtifact: { type: 'docker/image', name: 'shop/web' },
        useDefaultArtifact: false,
        usePriorArtifact: false,
      },
    ];
    const { saved } = renderStageConfig(CdaasDeployStageConfig, { pipeline: { expectedArtifacts } as never });
    await ready();
    await userEvent.click(screen.getByRole('radio', { name: 'Artifacts' }));
    const picker = screen.getByRole('combobox', { name: 'Manifest artifact 1' });
    expect(within(picker).getByRole('option', { name: 'shop image (docker/image): not readable by CD-as-a-Service' })).toBeDisabled();
    await userEvent.selectOptions(picker, 'ea-manifests');

    await waitFor(() => expect(saved().payload.artifacts).toHaveLength(1));
    const stage = saved();
    expect(stage.payload.artifacts[0]).toEqual({
      path: 'manifests/artifact-1.yaml',
      expectedArtifactId: 'ea-manifests',
      displayName: 'shop manifests',
      artifact: artifactExpression('ea-manifests'),
    });
    expect(stage.payload.deployment.manifests).toEqual([{ path: 'manifests/artifact-1.yaml' }]);
    expect(stage.payload.files).toEqual({});
    expect(cdaasDeployStage.artifactExtractor?.(stage)).toEqual(['ea-manifests']);
  });

  it('artifacts: defines an inline http/file artifact, saves it only while chosen, and keeps both choices while switching', async () => {
    server.use(artifactAccountsHandler());
    const expectedArtifacts = [
      { id: 'ea-manifests', displayName: 'shop manifests', matchArtifact: { type: 'github/file', name: 'deploy/shop.yaml' }, useDefaultArtifact: false, usePriorArtifact: false },
    ];
    const { saved } = renderStageConfig(CdaasDeployStageConfig, { pipeline: { expectedArtifacts } as never });
    await ready();
    await userEvent.click(screen.getByRole('radio', { name: 'Artifacts' }));
    const picker = screen.getByRole('combobox', { name: 'Manifest artifact 1' });
    await userEvent.selectOptions(picker, 'ea-manifests');
    await userEvent.selectOptions(picker, 'Define a new artifact...');

    const editor = screen.getByRole('group', { name: 'Manifest artifact 1: inline artifact' });
    const type = within(editor).getByRole('combobox', { name: 'Manifest artifact 1 Type' });
    expect(type).toHaveValue('http/file');
    // Deck's own names for the kinds it registered.
    expect(within(type).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Base64 (embedded/base64)',
      'HTTP (http/file)',
      'GitHub (github/file)',
    ]);
    const account = within(editor).getByRole('combobox', { name: 'Manifest artifact 1 Account' });
    // Deck's artifact accounts for the type only; "No account" stays a choice.
    await waitFor(() => expect(within(account).getAllByRole('option').map((o) => o.textContent)).toEqual(['No account', 'http-artifacts']));
    await waitFor(() => expect(account).toHaveValue('http-artifacts'));
    await userEvent.selectOptions(account, 'No account');
    expect(account).toHaveValue('');
    const url = within(editor).getByRole('textbox', { name: 'Manifest artifact 1 URL' });
    // Asked for at once, in Deck's style, like every other field of the form.
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(url).toHaveClass('ng-invalid');
    expect(within(editor).getByText('Enter the URL of the file.')).toBeInTheDocument();

    await userEvent.selectOptions(account, 'http-artifacts');
    await paste(url, 'https://cdn.example.com/shop/${trigger.properties.tag}/shop.yaml');
    expect(url).toHaveAttribute('aria-invalid', 'false');
    expect(within(editor).queryByText('Enter the URL of the file.')).toBeNull();

    const inlineArtifact = { type: 'http/file', artifactAccount: 'http-artifacts', reference: 'https://cdn.example.com/shop/${trigger.properties.tag}/shop.yaml' };
    await waitFor(() => expect(saved().cdaas.manifestArtifacts).toEqual([{ source: 'inline', inline: inlineArtifact }]));
    expect(saved().payload.artifacts).toEqual([{ source: 'inline', path: 'manifests/artifact-1.yaml', artifact: inlineArtifact }]);
    expect(saved().payload.deployment.manifests).toEqual([{ path: 'manifests/artifact-1.yaml' }]);
    // An inline artifact is no expected artifact of the pipeline's.
    expect(cdaasDeployStage.artifactExtractor?.(saved())).toEqual([]);

    // Back to the expected artifact: saved alone, as a stage saved before inline artifacts.
    await userEvent.selectOptions(picker, 'ea-manifests');
    await waitFor(() => expect(saved().cdaas.manifestArtifacts).toEqual([{ expectedArtifactId: 'ea-manifests', displayName: 'shop manifests' }]));
    expect(saved().payload.artifacts).toEqual([
      { path: 'manifests/artifact-1.yaml', expectedArtifactId: 'ea-manifests', displayName: 'shop manifests', artifact: artifactExpression('ea-manifests') },
    ]);

    // Text and back, then inline again: what was typed is all still there.
    await userEvent.click(screen.getByRole('radio', { name: 'Text' }));
    await userEvent.click(screen.getByRole('radio', { name: 'Artifacts' }));
    const again = screen.getByRole('combobox', { name: 'Manifest artifact 1' });
    expect(again).toHaveValue('ea-manifests');
    await userEvent.selectOptions(again, 'Define a new artifact...');
    expect(screen.getByRole('textbox', { name: 'Manifest artifact 1 URL' })).toHaveValue(inlineArtifact.reference);
    expect(screen.getByRole('combobox', { name: 'Manifest artifact 1 Account' })).toHaveValue('http-artifacts');
    await waitFor(() => expect(saved().cdaas.manifestArtifacts).toEqual([{ source: 'inline', inline: inlineArtifact }]));
  });

  it("artifacts: an inline artifact's problems reach Deck's pipeline check, and a github/file one has a version", async () => {
    server.use(artifactAccountsHandler());
    const { saved } = renderStageConfig(CdaasDeployStageConfig);
    await ready();
    await userEvent.click(screen.getByRole('radio', { name: 'Artifacts' }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Manifest artifact 1' }), 'Define a new artifact...');
    // A new inline artifact is http/file with Deck's first account for it, as Deck's editor does.
    await waitFor(() => expect(saved().cdaas.manifestArtifacts).toEqual([{ source: 'inline', inline: { type: 'http/file', artifactAccount: 'http-artifacts' } }]));
    expect(await cdaasDeployStage.validateFn?.(saved(), {} as never)).toMatchObject({
      cdaas: { manifestArtifacts: [{ inline: 'Manifest artifact 1: Enter the URL of the file.' }] },
    });

    const type = screen.getByRole('combobox', { name: 'Manifest artifact 1 Type' });
    await userEvent.selectOptions(type, 'github/file');
    // A new type takes that type's account, as Deck's ArtifactEditor does.
    expect(screen.getByRole('combobox', { name: 'Manifest artifact 1 Account' })).toHaveValue('github-artifacts');
    await paste(screen.getByRole('textbox', { name: 'Manifest artifact 1 Content URL' }), 'not a url');
    expect(screen.getByText('Enter an absolute http(s) URL, or an expression such as ${trigger.properties.url}.')).toBeInTheDocument();
    await userEvent.clear(screen.getByRole('textbox', { name: 'Manifest artifact 1 Content URL' }));
    await paste(screen.getByRole('textbox', { name: 'Manifest artifact 1 Content URL' }), 'https://api.github.com/repos/shop/web/contents/k8s/web.yml');
    await paste(screen.getByRole('textbox', { name: 'Manifest artifact 1 Commit/Branch' }), '${trigger.hash}');
    const artifact = { type: 'github/file', artifactAccount: 'github-artifacts', reference: 'https://api.github.com/repos/shop/web/contents/k8s/web.yml', version: '${trigger.hash}' };
    await waitFor(() => expect(saved().payload.artifacts).toEqual([{ source: 'inline', path: 'manifests/artifact-1.yaml', artifact }]));
    // The account is still missing; the artifact row has nothing left to say.
    expect(await cdaasDeployStage.validateFn?.(saved(), {} as never)).toEqual({ cdaas: { account: expect.any(String) } });

    // Base64: the contents as typed in the stage, base64 in the payload (what kork expects).
    await userEvent.selectOptions(type, 'embedded/base64');
    const contents = screen.getByRole('textbox', { name: 'Manifest artifact 1 Contents' });
    await userEvent.clear(contents);
    await paste(contents, MANIFEST);
    await waitFor(() => expect(saved().cdaas.manifestArtifacts[0].inline).toEqual({ type: 'embedded/base64', artifactAccount: 'embedded-artifact', reference: MANIFEST }));
    expect(saved().payload.artifacts[0].artifact).toEqual({ type: 'embedded/base64', artifactAccount: 'embedded-artifact', reference: btoa(MANIFEST) });
    expect(screen.queryByRole('textbox', { name: 'Manifest artifact 1 Commit/Branch' })).toBeNull();
  });

  it('artifacts: when Deck cannot list its artifact accounts, the inline artifact is still defined, without one', async () => {
    server.use(artifactAccountsHandler(() => new Response(null, { status: 500 })));
    renderStageConfig(CdaasDeployStageConfig);
    await ready();
    await userEvent.click(screen.getByRole('radio', { name: 'Artifacts' }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Manifest artifact 1' }), 'Define a new artifact...');
    expect(await screen.findByText(/Spinnaker's artifact accounts could not be loaded/)).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Manifest artifact 1 Account' })).toHaveValue('');
    expect(screen.getByRole('textbox', { name: 'Manifest artifact 1 URL' })).toBeEnabled();
  });

  it('artifacts: a saved artifact of an unreadable type gets a clear message', async () => {
    const expectedArtifacts = [
      { id: 'ea-chart', displayName: 'shop chart', matchArtifact: { type: 'helm/chart', name: 'shop' } },
    ];
    renderStageConfig(CdaasDeployStageConfig, {
      pipeline: { expectedArtifacts } as never,
      stage: { cdaas: { manifestSource: 'artifact', manifestArtifacts: [{ expectedArtifactId: 'ea-chart' }] } },
    });
    await ready();
    expect(
      await screen.findByText(/^CD-as-a-Service cannot read helm\/chart artifacts \("shop chart"\); use one of embedded\/base64, http\/file, github\/file/),
    ).toBeInTheDocument();
  });

  // The manifest box is a plain textarea until the browser is idle after the first paint
  // (ProgressiveYamlEditor); what is typed there, here during an IME composition, which holds the
  // swap back, must save the stage that typing it into Deck's editor saves.
  it('a manifest typed before Deck\'s editor is built saves the same stage as one typed into the editor', async () => {
    const held: Array<() => void> = [];
    vi.stubGlobal('requestIdleCallback', (cb: () => void) => held.push(cb));
    vi.stubGlobal('cancelIdleCallback', () => undefined);
    try {
      const before = renderStageConfig(CdaasDeployStageConfig);
      await userEvent.selectOptions(await ready(), 'prod-eu-west-1');
      const plain = screen.getByRole('textbox', { name: 'Manifest YAML' });
      expect(plain.closest('.ace_editor')).toBeNull();
      fireEvent.compositionStart(plain);
      act(() => plain.focus());
      fireEvent.change(plain, { target: { value: MANIFEST } });
      fireEvent.compositionEnd(plain);
      expect(yamlEditor('Manifest YAML').getValue()).toBe(MANIFEST);
      await waitFor(() => expect(before.saved().cdaas.manifestText).toBe(MANIFEST));
      const viaTextarea = before.saved();
      before.unmount();

      const after = renderStageConfig(CdaasDeployStageConfig);
      await userEvent.selectOptions(await ready(), 'prod-eu-west-1');
      pasteInto('Manifest YAML', MANIFEST);
      await waitFor(() => expect(after.saved().cdaas.manifestText).toBe(MANIFEST));
      expect(viaTextarea).toEqual(after.saved());
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('reopening the form shows exactly what was typed before', async () => {
    const first = renderStageConfig(CdaasDeployStageConfig);
    await userEvent.selectOptions(await ready(), 'staging-us-east-1');
    await userEvent.type(screen.getByRole('textbox', { name: 'Namespace override' }), 'Shop_NS');
    await userEvent.clear(screen.getByRole('spinbutton', { name: 'Canary step 1 weight (%)' }));
    await userEvent.type(screen.getByRole('spinbutton', { name: 'Canary step 1 weight (%)' }), '12x');
    await waitFor(() => expect(first.saved().cdaas.canarySteps[0].weight).toBe('12x'));
    const savedJson = first.saved();
    first.unmount();

    const second = renderStageConfig(CdaasDeployStageConfig, { stage: savedJson });
    expect(await ready()).toHaveValue('staging-us-east-1');
    expect(screen.getByRole('textbox', { name: 'Namespace override' })).toHaveValue('Shop_NS');
    expect(screen.getByRole('textbox', { name: 'Canary step 1 weight (%)' })).toHaveValue('12x');
    // Reopened forms show problems at once (Deck marks saved fields as touched).
    expect(await screen.findByText(/Namespace "Shop_NS" is not a valid Kubernetes name/)).toBeInTheDocument();
    // Regression guard: opening a saved stage must not rewrite it (Deck would flag unsaved changes).
    expect(second.updates).toEqual([]);
  });

  it('shows a field\'s message as typed, not as Markdown (regression: `*team*-a` showed as an italic "team-a")', async () => {
    renderStageConfig(CdaasDeployStageConfig);
    await ready();
    await paste(screen.getByRole('textbox', { name: 'Namespace override' }), '*team*-a');
    const message = await screen.findByText(/is not a valid Kubernetes name/);
    expect(message).toHaveTextContent(/^Namespace "\*team\*-a" is not a valid Kubernetes name/);
    // Still Deck's error box beside the field.
    expect(message.closest('.ValidationMessage')).toHaveClass('errorMessage');
  });

  it('warns when the bridge URL in Deck settings is one Orca refuses by default, and saves it anyway', async () => {
    await withCdaasSettings({ bridgeUrl: 'http://cdaas-bridge.spinnaker.svc.cluster.local:7002' }, async () => {
      const { saved } = renderStageConfig(CdaasDeployStageConfig);
      await ready();
      expect(screen.getByRole('alert')).toHaveTextContent(/its host ends with \.local, which excludedDomains refuses, .* Ask your Spinnaker admin\./);
      await waitFor(() => expect(saved().url).toMatch(/^http:\/\/cdaas-bridge\.spinnaker\.svc\.cluster\.local:7002\//));
    });
  });

  it('where Orca does not apply its URL rules (the sandbox), notes the bridge URL in one line, no warning box', async () => {
    await withCdaasSettings({ bridgeUrl: 'http://127.0.0.1:7002', orcaUrlRulesApply: false }, async () => {
      renderStageConfig(CdaasDeployStageConfig);
      await ready();
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      expect(screen.getByText(/^Bridge URL http:\/\/127\.0\.0\.1:7002: a real Orca would refuse it/)).toBeInTheDocument();
    });
  });
});
