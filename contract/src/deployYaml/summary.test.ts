import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { summarizeDeployment, summaryLines, validateDeployYaml } from './index';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('summary of what was understood', () => {
  it('reads a realistic deploy.yml back in words', () => {
    const { deployment } = validateDeployYaml(fixture('potato-facts.deploy.yml'));
    expect(summaryLines(summarizeDeployment(deployment))).toEqual([
      'Application: potato-facts',
      "Target staging: account staging-west, namespace potato-facts-staging, strategy rolling; after deploying: run webhook 'integration-tests'",
      'Target prod-west: account prod-west, namespace potato-facts, strategy canary-with-approval; waits for staging; before deploying: wait for approval',
      'Target prod-east: account ${parameters.eastAccount}, namespace potato-facts, strategy blue-green; waits for staging; before deploying: wait 10 minutes',
      'Strategy rolling: canary: 100%',
      'Strategy canary-with-approval: canary: 25% -> wait for approval -> 50% -> expose potato-facts-internal for 30 minutes -> analysis (avgCPUUsage) -> wait 5 minutes -> 100%',
      'Strategy blue-green: blue/green: new version behind preview service potato-facts-preview; switch potato-facts-external to it after analysis (avgCPUUsage); shut down the old version after wait 1 hour',
      'Manifest manifests/potato-facts.yml: a file, bound to a pipeline artifact, to all targets',
      'Manifest manifests/potato-facts-service.yml: a file, bound to a pipeline artifact, to prod-west, prod-east',
      'Manifest inline manifest 1: written inside deploy.yml, to staging',
      'Webhooks: integration-tests',
    ]);
  });

  it('adds the final 100% that CD-as-a-Service applies after the last step', () => {
    const { deployment } = validateDeployYaml(`version: v1
kind: kubernetes
application: potato-facts
targets:
  prod:
    account: prod-west
    strategy: careful
manifests:
  - path: manifests/potato-facts.yml
strategies:
  careful:
    canary:
      steps:
        - setWeight:
            weight: 25
        - pause:
            untilApproved: true
        - setWeight:
            weight: 50
        - pause:
            duration: 5
            unit: minutes
`);
    const s = summarizeDeployment(deployment);
    expect(s.strategies).toEqual([{ name: 'careful', kind: 'canary', description: 'canary: 25% -> wait for approval -> 50% -> wait 5 minutes -> 100%' }]);
    expect(s.targets).toEqual([
      { name: 'prod', account: 'prod-west', strategy: 'careful', dependsOn: [], beforeDeployment: [], afterDeployment: [] },
    ]);
  });

  it('never throws on a half-typed document', () => {
    const s = summarizeDeployment({ targets: { prod: null, qa: 'x' }, strategies: { a: { canary: { steps: 'oops' } }, b: 3 }, manifests: [null, { inline: 'x' }] });
    expect(summaryLines(s)).toEqual([
      'Target prod: account (no account), strategy (no strategy)',
      'Target qa: account (no account), strategy (no strategy)',
      'Strategy a: canary: 100%',
      'Strategy b: not understood (expected canary or blueGreen)',
      'Manifest inline manifest 1: written inside deploy.yml, to all targets',
    ]);
    expect(summarizeDeployment(undefined)).toEqual({ targets: [], strategies: [], manifests: [], webhooks: [] });
  });
});
