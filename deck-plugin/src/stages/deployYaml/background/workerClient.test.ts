/**
 * The worker path of validateInBackground with a Worker the test holds (jsdom has none; the real
 * worker runs in Chromium in test/bundle/split.test.ts and the bench): when a typed text is posted
 * and what the main thread makes of the answer.
 */
import { validateDeployYaml } from '@cdaas/contract/deployYaml';
import { manyTargetsDeployYaml } from '../../../../../test/support/potatoFacts';
import { toSent } from './derive';
import type { CheckRequest } from './protocol';

vi.mock('./workerUrl', () => ({ WORKER_URL: '/deploy-yaml-worker.js' }));

class HeldWorker {
  static current: HeldWorker | undefined;
  posted: CheckRequest[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  constructor() {
    HeldWorker.current = this;
  }
  postMessage(request: CheckRequest): void {
    this.posted.push(request);
  }
  terminate(): void {}
  /** Answers the request as the worker does (worker.ts). */
  answer(request: CheckRequest): void {
    this.onmessage?.({ data: { id: request.id, result: toSent(validateDeployYaml(request.text)) } });
  }
}


async function client() {
  vi.resetModules();
  return import('./validateInBackground');
}

const text = (n: number) => manyTargetsDeployYaml({ targets: 3, typoAt: n });

beforeEach(() => {
  HeldWorker.current = undefined;
  vi.stubGlobal('Worker', HeldWorker);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('validateInBackground with a worker', () => {
  // Rebuilding the whole parsed document from each answer cost the main thread ~3 ms per key and
  // the garbage of a 5,000-line document; only the stage's payload reads it, once typing pauses.
  it("gives validateDeployYaml's result, its deployment parsed from the answer's JSON only when read", async () => {
    const { validateInBackground, hasDeployment } = await client();
    const answer = validateInBackground(text(1));
    const parse = vi.spyOn(JSON, 'parse');
    HeldWorker.current!.answer(HeldWorker.current!.posted[0]);
    const result = await answer;
    expect(hasDeployment(result)).toBe(true);
    expect(parse).not.toHaveBeenCalled();
    expect(result).toEqual(validateDeployYaml(text(1)));
    expect(parse).toHaveBeenCalledTimes(1);
    expect(result.deployment).toBe(result.deployment);
    expect(parse).toHaveBeenCalledTimes(1);
    parse.mockRestore();
  });
});
