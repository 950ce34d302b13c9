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
import { DeployYamlStageConfig } from '../DeployYamlStageConfig';
import { cdaasDeployYamlStage } from '../deployYamlStage';
import { checkedInBackground } from '../model';

const server = setupMsw();
beforeEach(() => server.use(...readHandlers()));

/** Many services' targets, as a large real deploy.yml has; the last one names a strategy that does not exist. */
function largeDeployYaml(targets: number): string {
  const lines = ['version: v1', 'kind: kubernetes', 'application: potato-facts', 'targets:'];
  for (let i = 0; i < targets; i++) lines.push(`  prod-${i}:`, `    account: prod-cluster-${i % 7}`, `    namespace: potato-facts-${i}`, `    strategy: ${i === targets - 1 ? 'canry' : 'canary'}`);
  lines.push('manifests:', '  - path: manifests/potato-facts.yml', 'strategies:', '  canary:', '    canary:', '      steps:', '        - setWeight:', '            weight: 50');
  return lines.join('\n') + '\n';
}

describe('Deployment YAML stage with a large deploy.yml', () => {
  it('shows the problems at the same line:column and saves the same Webhook stage as checking on the spot', async () => {
    const text = largeDeployYaml(600);
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

    await waitFor(() => expect((saved() as IStage).payload?.deployment).toEqual(expected.deployment));
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
