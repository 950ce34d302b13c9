/**
 * A deploy.yml too large to check as the form renders goes through validateInBackground (in jsdom,
 * its main-thread fallback): the same problems at the same line:column, and the same saved stage,
 * as a small one checked synchronously.
 */
import type { IStage } from '@spinnaker/core';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { readHandlers } from '../../../../test/fixtures/readHandlers';
import { setupMsw } from '../../../../test/msw';
import { renderStageConfig } from '../../../../test/stageHarness';
import { replaceText } from '../../../../test/yamlEditor';

import { validateDeployYaml } from '@cdaas/contract/deployYaml';
import { manyTargetsDeployYaml } from '../../../../../test/support/potatoFacts';
import { DeployYamlStageConfig } from '../DeployYamlStageConfig';
import { cdaasDeployYamlStage } from '../deployYamlStage';
import { checkedInBackground } from '../model';

const server = setupMsw();
beforeEach(() => server.use(...readHandlers()));

// Built once, outside the test's time limit: the YAML library takes a few hundred ms on a loaded machine.
const LARGE = manyTargetsDeployYaml({ targets: 600, typoAt: 599 });

describe('Deployment YAML stage with a large deploy.yml', () => {
  it('shows the problems at the same line:column and saves the same Webhook stage as checking on the spot', async () => {
    const text = LARGE;
    expect(checkedInBackground(text)).toBe(true);
    const { saved } = renderStageConfig(DeployYamlStageConfig, {
      stage: { type: 'cdaasDeployYaml', name: 'Deploy potato-facts', refId: '3', requisiteStageRefIds: [] },
      application: 'potatofacts',
    });
    replaceText('deploy.yml', text);

    const expected = validateDeployYaml(text);
    const typo = expected.problems.find((p) => p.path === 'targets.prod-599.strategy');
    expect(typo).toMatchObject({ line: 2404, column: 15 });
    const problems = screen.getByRole('region', { name: 'deploy.yml problems' });
    expect(await within(problems).findByRole('button', { name: 'Go to line 2404, column 15' }, { timeout: 5000 })).toBeInTheDocument();

    // Deck gets the stage 800 ms after the answer (two pauses, by design): waitFor's default second
    // left 200 ms for the rest, which a loaded machine overran.
    await waitFor(() => expect((saved() as IStage).payload?.deployment).toEqual(expected.deployment), { timeout: 5000 });
    const stage = saved() as IStage;
    expect(stage.cdaas.yaml).toBe(text);

    // Regression: Deck gets a large text's stage only when typing pauses; leaving the editor (as a
    // click on Save does) must hand Deck the last keystroke at once, not lose it.
    const more = text + '# one more line\n';
    replaceText('deploy.yml', more);
    expect((saved() as IStage).cdaas.yaml).toBe(text);
    fireEvent.blur(screen.getByRole('textbox', { name: 'deploy.yml' }));
    expect((saved() as IStage).cdaas.yaml).toBe(more);
    expect((saved() as IStage).payload?.deployment).toEqual(validateDeployYaml(more).deployment);
    expect(await cdaasDeployYamlStage.validateFn!(stage, {})).toEqual({
      cdaas: expect.objectContaining({ yaml: expect.stringMatching(/^deploy\.yml has \d+ errors?; first: line \d+, column \d+: /) }),
    });
    // jsdom draws Ace and 600 targets' warnings slowly: about 20 s on a loaded 2-core machine.
  }, 90_000);
});
