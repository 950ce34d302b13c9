/**
 * The YAML form's background path, with the background check held by the test: the problems of a
 * large deploy.yml appear once its check answers (not as the text renders), and an answer for an
 * older text that arrives late never replaces the newer text's problems nor reaches the stage.
 */
import { FormikStageConfig } from '@spinnaker/core';
import type { Application, IPipeline, IStage } from '@spinnaker/core';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import userEvent from '@testing-library/user-event';

import { readHandlers } from '../../../../test/fixtures/readHandlers';
import { setupMsw } from '../../../../test/msw';
import { renderStageConfig } from '../../../../test/stageHarness';
import { replaceText, yamlEditor } from '../../../../test/yamlEditor';

import { validateDeployYaml, type DeployYamlResult } from '@cdaas/contract/deployYaml';
import { DeployYamlStageConfig } from '../DeployYamlStageConfig';
import { DeployYamlStageForm, SLOW_CHECK_MS } from '../DeployYamlStageForm';
import { checkedInBackground, TYPING_PAUSE_MS } from '../model';

// Each background check waits until the test answers it, in whatever order the test chooses (a
// worker busy with an older text can answer it after a newer one was asked for). The answers are
// not remembered, so the form cannot lean on the cache of known texts: what it shows comes from
// the answers as they arrive.
const asked: Array<{ text: string; answer(): void }> = [];
vi.mock('./validateInBackground', async (importOriginal) => {
  const real = await importOriginal<typeof import('./validateInBackground')>();
  return {
    ...real,
    validateInBackground: (text: string) =>
      new Promise<DeployYamlResult>((resolve) => asked.push({ text, answer: () => resolve(validateDeployYaml(text)) })),
  };
});

const server = setupMsw();
beforeEach(() => {
  asked.length = 0;
  server.use(...readHandlers());
});

/** A large deploy.yml whose last target names the strategy `strategy` (a typo is an error at its line). */
function largeDeployYaml(strategy: string): string {
  const lines = ['version: v1', 'kind: kubernetes', 'application: potato-facts', 'targets:'];
  for (let i = 0; i < 600; i++) lines.push(`  prod-${i}:`, `    account: prod-eu-west-1`, `    namespace: potato-facts-${i}`, `    strategy: ${i === 599 ? strategy : 'canary'}`);
  lines.push('manifests:', '  - path: manifests/potato-facts.yml', 'strategies:', '  canary:', '    canary:', '      steps:', '        - setWeight:', '            weight: 50');
  return lines.join('\n') + '\n';
}

function answer(text: string): Promise<void> {
  const request = asked.find((a) => a.text === text);
  if (!request) throw new Error(`no background check was asked for that text (asked: ${asked.map((a) => a.text.length).join(', ')}; wanted ${text.length})`);
  return act(async () => request.answer());
}

function setup() {
  const utils = renderStageConfig(DeployYamlStageConfig, {
    stage: { type: 'cdaasDeployYaml', name: 'Deploy potato-facts', refId: '3', requisiteStageRefIds: [] },
    application: 'potatofacts',
  });
  return { saved: () => utils.saved() as IStage };
}

describe('Deployment YAML form, background check', () => {
  it('shows a large text’s problems once its check answers, keeping every character in the editor meanwhile', async () => {
    setup();
    const text = largeDeployYaml('canry');
    expect(checkedInBackground(text)).toBe(true);
    replaceText('deploy.yml', text);
    const problems = screen.getByRole('region', { name: 'deploy.yml problems' });
    // The status line follows the keystroke with the next frame.
    await waitFor(() => expect(within(problems).getByRole('status')).toHaveTextContent('Checking deploy.yml...'));
    expect(yamlEditor('deploy.yml').getValue()).toBe(text);

    await answer(text);
    const line = validateDeployYaml(text).problems.find((p) => p.path === 'targets.prod-599.strategy');
    expect(line).toMatchObject({ line: 2404, column: 15 });
    expect(within(problems).getByRole('button', { name: 'Go to line 2404, column 15' })).toBeInTheDocument();
    expect(within(problems).getByRole('status')).toHaveTextContent('1 error in deploy.yml.');
  });

  // Regression guard: answers arrive in the order the worker finishes, not the order of the texts.
  // An older text's late answer used to be able to replace the newer text's problems (and send the
  // older text to Deck as the stage).
  it('never lets a late answer for an older text replace the newer text’s problems or the saved text', async () => {
    const { saved } = setup();
    const older = largeDeployYaml('canary-old');
    const newer = largeDeployYaml('blue-green');
    replaceText('deploy.yml', older);
    replaceText('deploy.yml', newer);

    await answer(newer);
    const problems = screen.getByRole('region', { name: 'deploy.yml problems' });
    expect(within(problems).getByText(/targets\.prod-599\.strategy: strategy 'blue-green' is not defined/)).toBeInTheDocument();

    await answer(older);
    expect(within(problems).getByText(/targets\.prod-599\.strategy: strategy 'blue-green' is not defined/)).toBeInTheDocument();
    expect(within(problems).queryByText(/strategy 'canary-old'/)).not.toBeInTheDocument();
    expect(yamlEditor('deploy.yml').getValue()).toBe(newer);
    fireEvent.blur(screen.getByRole('textbox', { name: 'deploy.yml' }));
    expect(saved().cdaas.yaml).toBe(newer);
  });

  // Regression: with the worker answering a keystroke in tens of ms, the line said "Checking
  // deploy.yml..." and then the answer again on every key: a flicker, and two announcements a key.
  it('keeps the last answer’s words while a quick check runs, marked busy, and says Checking only for a slow one', async () => {
    setup();
    const checked = largeDeployYaml('canary');
    replaceText('deploy.yml', checked);
    await answer(checked);
    const status = within(screen.getByRole('region', { name: 'deploy.yml problems' })).getByRole('status');
    expect(status).toHaveTextContent('deploy.yml is valid.');
    expect(status).not.toHaveAttribute('aria-busy');
    // What the line said and when: whether a quick check shows "Checking" must not hang on how
    // fast this machine runs the test, so only words within SLOW_CHECK_MS of the key are judged.
    const words: Array<{ text: string; at: number }> = [];
    const observer = new MutationObserver(() => words.push({ text: status.textContent ?? '', at: performance.now() }));
    observer.observe(status, { childList: true, subtree: true, characterData: true });

    const quick = checked + '# a keystroke\n';
    const typedAt = performance.now();
    replaceText('deploy.yml', quick);
    await waitFor(() => expect(status).toHaveAttribute('aria-busy', 'true'));
    await answer(quick);
    expect(status).not.toHaveAttribute('aria-busy');
    expect(status).toHaveTextContent('deploy.yml is valid.');
    const early = words.filter((w) => w.at - typedAt < SLOW_CHECK_MS).map((w) => w.text);
    expect(early.filter((w) => w.includes('Checking'))).toEqual([]);

    const slow = quick + '# another\n';
    replaceText('deploy.yml', slow);
    await waitFor(() => expect(status).toHaveAttribute('aria-busy', 'true'));
    await waitFor(() => expect(status).toHaveTextContent('Checking deploy.yml...'));
    await answer(slow);
    expect(status).toHaveTextContent('deploy.yml is valid.');
    expect(status).not.toHaveAttribute('aria-busy');
    observer.disconnect();
  });

  // The form draws a large text only when its check answers (Ace holds it meanwhile): a redraw for
  // anything else in between (a manifest's artifact picked) must give the editor the text as typed
  // since, never the last text the form drew, which would wipe the keystrokes in between.
  it('keeps a large text typed but not yet checked when the form redraws for another field', async () => {
    const { saved } = setup();
    const checked = largeDeployYaml('canary');
    replaceText('deploy.yml', checked);
    await answer(checked);
    const typed = checked + '# typed while the check runs\n';
    replaceText('deploy.yml', typed);
    const status = within(screen.getByRole('region', { name: 'deploy.yml problems' })).getByRole('status');
    await waitFor(() => expect(status).toHaveTextContent('Checking deploy.yml...'));

    await userEvent.setup().selectOptions(screen.getByRole('combobox', { name: 'Artifact for manifests/potato-facts.yml' }), 'Define a new artifact...');
    expect(screen.getByRole('group', { name: 'Artifact for manifests/potato-facts.yml: inline artifact' })).toBeInTheDocument();
    expect(yamlEditor('deploy.yml').getValue()).toBe(typed);
    expect(status).toHaveTextContent('Checking deploy.yml...');

    await answer(typed);
    expect(status).toHaveTextContent('deploy.yml is valid.');
    fireEvent.blur(screen.getByRole('textbox', { name: 'deploy.yml' }));
    expect(saved().cdaas.yaml).toBe(typed);
  });

  // Regression guard (issue 12, a keystroke's cost): every answered text went to Formik at once,
  // which re-rendered the whole form and validated the stage between two keystrokes. A large text
  // now reaches Formik once typing pauses, with the last keystroke, and at once when the editor is left.
  it('hands a large text to Formik once typing pauses, never each answered text in between', async () => {
    const stage = { type: 'cdaasDeployYaml', name: 'Deploy potato-facts', refId: '3', requisiteStageRefIds: [] } as IStage;
    const pipeline = { id: 'p1', name: 'ship-it', application: 'potatofacts', stages: [stage], triggers: [], expectedArtifacts: [] } as unknown as IPipeline;
    const context = { bridgeUrl: 'http://cdaas-bridge.spinnaker.svc:7002', application: 'potatofacts', orcaUrlRulesApply: true };
    const formikTexts: string[] = [];
    render(
      <FormikStageConfig
        application={{ name: 'potatofacts' } as unknown as Application}
        pipeline={pipeline}
        stage={stage}
        onChange={(values: IStage) => formikTexts.push(values.cdaas?.yaml)}
        render={(props) => <DeployYamlStageForm {...props} context={context} />}
      />,
    );
    const first = largeDeployYaml('canary');
    const second = first + '# typed before the pause ended\n';
    replaceText('deploy.yml', first);
    await answer(first);
    replaceText('deploy.yml', second);
    await answer(second);
    const status = within(screen.getByRole('region', { name: 'deploy.yml problems' })).getByRole('status');
    expect(status).toHaveTextContent('deploy.yml is valid.');
    expect(formikTexts).not.toContain(second);

    await waitFor(() => expect(formikTexts).toContain(second), { timeout: TYPING_PAUSE_MS * 5 });
    expect(formikTexts).not.toContain(first);

    const third = second + '# and left at once\n';
    replaceText('deploy.yml', third);
    await answer(third);
    fireEvent.blur(screen.getByRole('textbox', { name: 'deploy.yml' }));
    await waitFor(() => expect(formikTexts).toContain(third), { timeout: TYPING_PAUSE_MS / 2 });
  });
});
