import { validateDeployYaml } from '@cdaas/contract/deployYaml';

import { backgroundMode, knownResult, validateInBackground } from './validateInBackground';

const TEXT = 'version: v1\nkind: kubernetes\napplication: potato\ntargets:\n  prod:\n    account: prod\n    namespace: p\n    strategy: canry\n';

describe('validateInBackground', () => {
  // jsdom has no Worker, and unbuilt there is no worker chunk: this is the CSP fallback path. The
  // worker path runs in Chromium (test/bundle/split.test.ts and the bench).
  it('gives the same problems, with the same line:column, as validateDeployYaml, off the current task', async () => {
    let settled = false;
    const promise = validateInBackground(TEXT).then((r) => ((settled = true), r));
    expect(settled).toBe(false);
    const result = await promise;
    expect(backgroundMode()).toBe('main thread');
    expect(result).toEqual(validateDeployYaml(TEXT));
    expect(result.problems.find((p) => p.path === 'targets.prod.strategy')).toMatchObject({ line: 8, column: 15 });
    expect(knownResult(TEXT)).toBe(result);
  });

  it('checks a text once however many callers ask for it at the same time', async () => {
    const text = TEXT.replace('potato', 'tomato');
    const [a, b] = await Promise.all([validateInBackground(text), validateInBackground(text, { latestOnly: true })]);
    expect(a).toBe(b);
  });
});
