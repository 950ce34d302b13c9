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
    expect(answer.result).toEqual(expected);
    expect(answer.derived?.summary).toEqual(summarizeDeployment(expected.deployment!));
    const names = answer.derived!.summary!.targets.map((t) => t.name);
    expect(names).toHaveLength(40);
    const parsed = expected.accountPositions;
    expect(parsed.size).toBe(40);
    for (const name of names) expect(answer.result.accountPositions.get(name)).toEqual(parsed.get(name));
  });

  it('derives nothing from a text that does not parse', async () => {
    const answer = await ask({ id: 8, text: 'targets: [unclosed' });
    expect('result' in answer && answer.derived).toBeUndefined();
  });
});
