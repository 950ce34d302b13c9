/**
 * The worker answers with what the form would otherwise derive on the main thread (the summary),
 * and its result carries every target account's line:column, so the account warnings of a large
 * file are where a main-thread check puts them.
 */
import { summarizeDeployment, validateDeployYaml } from '@cdaas/contract/deployYaml';
import { manyTargetsDeployYaml } from '../../../../../test/support/potatoFacts';
import type { CheckAnswer, CheckRequest } from './protocol';

const TEXT = manyTargetsDeployYaml({ targets: 40, typoAt: 39 });

async function ask(request: CheckRequest): Promise<CheckAnswer> {
  const answers: CheckAnswer[] = [];
  vi.stubGlobal('postMessage', (a: CheckAnswer) => answers.push(a));
  await import('./worker');
  const scope = globalThis as unknown as { onmessage(e: { data: CheckRequest }): void };
  scope.onmessage({ data: request });
  vi.unstubAllGlobals();
  expect(answers).toHaveLength(1);
  return answers[0];
}

describe('deploy.yml worker', () => {
  it('answers the result with its summary and the parser’s position of every target account', async () => {
    const answer = await ask({ id: 7, text: TEXT });
    if (!('result' in answer)) throw new Error(`the worker failed: ${answer.error}`);
    const expected = validateDeployYaml(TEXT);
    expect(answer.id).toBe(7);
    // The deployment travels as JSON text (one string to copy), the rest as the check gave it.
    if (!('deploymentJson' in answer.result)) throw new Error('the deployment was not sent as JSON');
    const { deploymentJson, ...rest } = answer.result;
    const { deployment, ...expectedRest } = expected;
    expect(rest).toEqual(expectedRest);
    expect(JSON.parse(deploymentJson)).toEqual(deployment);
    expect(answer.derived?.summary).toEqual(summarizeDeployment(expected.deployment!));
    const names = answer.derived!.summary!.targets.map((t) => t.name);
    expect(names).toHaveLength(40);
    const parsed = expected.accountPositions;
    expect(parsed.size).toBe(40);
    for (const name of names) expect(answer.result.accountPositions.get(name)).toEqual(parsed.get(name));
  });

  it('answers each text as validateDeployYaml does when texts come a keystroke apart (one checker for the worker’s life)', async () => {
    // The typo sits in the last target: an edit in the first line moves it down a line, and a
    // kept piece must report it where it now is.
    const first = await ask({ id: 10, text: TEXT });
    const edited = `# typed above\n${TEXT}`;
    const second = await ask({ id: 11, text: edited });
    if (!('result' in first) || !('result' in second)) throw new Error('the worker failed');
    const typo = (a: typeof first.result) => a.problems.find((p) => p.severity === 'error');
    expect(typo(second.result)).toEqual({ ...typo(first.result), line: typo(first.result)!.line! + 1 });
    const { deployment: _d, ...expected } = validateDeployYaml(edited);
    const { deploymentJson: _j, ...got } = second.result as typeof second.result & { deploymentJson?: string };
    expect(got).toEqual(expected);
  });

  it('derives nothing from a text that does not parse', async () => {
    const answer = await ask({ id: 8, text: 'targets: [unclosed' });
    expect('result' in answer && answer.derived).toBeUndefined();
  });

  it('sends a deployment JSON cannot give back exactly (.inf, -0) as the object itself', async () => {
    const text = `${TEXT}\ndeploymentConfig:\n  timeout:\n    unit: minutes\n    duration: .inf\n`;
    const answer = await ask({ id: 9, text });
    if (!('result' in answer)) throw new Error(`the worker failed: ${answer.error}`);
    expect('deploymentJson' in answer.result).toBe(false);
    expect(answer.result).toEqual(validateDeployYaml(text));
  });
});
