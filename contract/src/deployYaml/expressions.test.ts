import { describe, expect, it } from 'vitest';

import { describeProblem } from './problems';
import { validateDeployYaml } from './validate';

const expressionsLeftInArtifact = (text: string) => validateDeployYaml(text, { fromArtifact: true }).problems.filter((p) => p.message.includes('Orca does not evaluate'));

// The known gap of issue 7: a `${…}` in a deploy.yml artifact passed validation and reached
// CD-as-a-Service unevaluated, with nothing telling the author.
describe('validateDeployYaml(text, { fromArtifact: true })', () => {
  it('names each value holding ${…} by path and line:column, and nothing else', () => {
    const text = [
      'version: v1',
      'kind: kubernetes',
      'application: potato-facts',
      'targets:',
      '  prod:',
      '    account: ${parameters.account}',
      '    strategy: rollout',
      'manifests:',
      '  - path: manifests/potato.yml',
      'strategies:',
      '  rollout:',
      '    canary:',
      '      steps:',
      '        - setWeight: { weight: 25 }',
      '        - setWeight: { weight: "${trigger.weight}" }',
      '        - pause: { untilApproved: true }',
      "notes: 'costs $5 {not an expression}'",
    ].join('\n');
    const found = expressionsLeftInArtifact(text);
    expect(found.map((p) => describeProblem(p).split(':')[0])).toEqual([
      'targets.prod.account (line 6, column 14)',
      'strategies.rollout.canary.steps[1].setWeight.weight (line 15, column 32)',
    ]);
    expect(found.every((p) => p.severity === 'warning')).toBe(true);
    expect(found[0].message).toContain('holds ${parameters.account}: Orca does not evaluate expressions inside an artifact');
  });

  it('finds nothing in a file without expressions', () => {
    expect(expressionsLeftInArtifact('version: v1\nkind: kubernetes\napplication: a\n')).toEqual([]);
  });

  it('says nothing of expressions in a stage\'s own text, where Orca evaluates them', () => {
    const text = 'version: v1\nkind: kubernetes\napplication: ${parameters.app}\n';
    expect(validateDeployYaml(text).problems.filter((p) => p.message.includes('Orca does not evaluate'))).toEqual([]);
    expect(expressionsLeftInArtifact(text).map((p) => p.path)).toEqual(['application']);
  });
});
