import * as v from 'valibot';

import { deployRequestSchema } from './deploy';
import { issueField, issueText } from './errors';

describe('issueField and issueText', () => {
  const issuesOf = (x: unknown) => {
    const parsed = v.safeParse(deployRequestSchema, x);
    return parsed.success ? [] : parsed.issues.map((i) => `${issueField(i) || 'body'}: ${issueText(i)}`);
  };
  // What a stage sends once Orca evaluated it, shaped by the deploy contract.
  const valid = v.parse(deployRequestSchema, {
    contractVersion: 'v1',
    deployment: { version: 'v1', kind: 'kubernetes', application: 'checkout' },
    files: { 'manifests/checkout.yaml': ['apiVersion: apps/v1\nkind: Deployment\n'] },
    artifacts: [],
    context: { application: 'checkout', pipelineName: 'Deploy to prod', executionId: 'E1', stageRefId: '3', user: 'alice' },
  });

  it('names the field in code notation, and says plainly that a field is missing', () => {
    const { stageRefId: _dropped, ...context } = valid.context;
    expect(issuesOf({ ...valid, context })).toEqual(['context.stageRefId: required, but missing']);
    expect(issuesOf({ ...valid, artifacts: [{ path: '', expectedArtifactId: 'a', artifact: 'x' }] })).toEqual([
      'artifacts[0].path: must not be empty',
    ]);
    expect(issuesOf('nope')).toEqual(['body: expected Object, received string']);
  });

  // Regression: valibot's own messages quote a wrong string in full, which put manifest text
  // (possibly a Kubernetes Secret) into the bridge's 400 answer and its log.
  it('never repeats the value it refuses', () => {
    const secret = 'kind: Secret\ndata:\n  password: aHVudGVyMg==';
    const issues = issuesOf({ ...valid, files: { 'm.yml': secret } });
    expect(issues).toEqual(['files.m.yml: expected Array, received string']);
    expect(issues.join()).not.toContain('aHVudGVyMg');
  });
});
