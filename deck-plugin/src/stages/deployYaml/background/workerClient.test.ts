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

describe('when a typed text goes to the worker', () => {
  // Frames the test paints itself: afterNextPaint queues a task from the next animation frame.
  let frames: FrameRequestCallback[] = [];
  const paint = async () => {
    const now = frames;
    frames = [];
    for (const f of now) f(performance.now());
    await new Promise((r) => setTimeout(r, 0));
  };
  beforeEach(() => {
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => frames.push(f));
    vi.stubGlobal('cancelAnimationFrame', (id: number) => {
      frames[id - 1] = () => undefined;
    });
  });

  // Posted from the keystroke's handler, a whole-text check (70-80 ms of CPU for 5,000 lines) took
  // one of the machine's two cores from that keystroke's frame: 25 ms of wall time against 20 when
  // sent after its paint, with the problems shown as soon (typing bench, same run).
  it("posts a keystroke's text once that keystroke's frame is painted, the newest text only", async () => {
    const { validateInBackground } = await client();
    let answered = '';
    void validateInBackground(text(1), { latestOnly: true }).then(() => (answered += 'first'));
    expect(HeldWorker.current!.posted).toEqual([]);
    const second = validateInBackground(text(2), { latestOnly: true });
    expect(HeldWorker.current!.posted).toEqual([]);
    await paint();
    expect(HeldWorker.current!.posted.map((r) => r.text)).toEqual([text(2)]);
    HeldWorker.current!.answer(HeldWorker.current!.posted[0]);
    expect(await second).toEqual(validateDeployYaml(text(2)));
    expect(answered).toBe('');
  });

  it('while the worker checks, keeps the newest text and posts it when the answer comes', async () => {
    const { validateInBackground } = await client();
    const first = validateInBackground(text(1), { latestOnly: true });
    await paint();
    const worker = HeldWorker.current!;
    void validateInBackground(text(2), { latestOnly: true });
    const third = validateInBackground(text(3), { latestOnly: true });
    await paint();
    expect(worker.posted.map((r) => r.text)).toEqual([text(1)]);
    worker.answer(worker.posted[0]);
    await first;
    expect(worker.posted.map((r) => r.text)).toEqual([text(1), text(3)]);
    worker.answer(worker.posted[1]);
    expect(await third).toEqual(validateDeployYaml(text(3)));
  });

  // Deck gets a large text's stage once its check answers: a tab hidden right after typing paints
  // no frame, and must not hold the stage back until it is shown again.
  it('posts it without a frame when none is painted (a hidden tab)', async () => {
    const { validateInBackground } = await client();
    void validateInBackground(text(1), { latestOnly: true });
    await new Promise((r) => setTimeout(r, 150));
    expect(HeldWorker.current!.posted.map((r) => r.text)).toEqual([text(1)]);
    await paint();
    expect(HeldWorker.current!.posted).toHaveLength(1);
  });

  it('posts a request that is not latest-only (a stage being saved) at once', async () => {
    const { validateInBackground } = await client();
    void validateInBackground(text(1));
    expect(HeldWorker.current!.posted.map((r) => r.text)).toEqual([text(1)]);
  });
});
