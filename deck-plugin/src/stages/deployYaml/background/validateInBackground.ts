/**
 * deploy.yml validation off the main thread: the one call the YAML stage's model makes. A module
 * Worker runs the worker chunk; where none can start (a Content Security Policy without `blob:`
 * in worker-src, no Worker as in jsdom, the single-module build) the same check runs on the main
 * thread, after the current task, so every caller gets the same answer either way.
 *
 * Deck and Gate usually sit on different origins, and a Worker script must be same-origin: the
 * worker is a one-line blob module importing the chunk from Gate (allowed by the CORS Gate already
 * sends for index.js). A same-origin chunk is started directly.
 */
import { DeployYamlChecker, type DeployYamlResult } from '@cdaas/contract/deployYaml';
import type { CheckAnswer, CheckRequest, Derived, SentResult } from './protocol';
import { WORKER_URL } from './workerUrl';
import { afterNextPaint } from '../../../lazy/afterPaint';

const RECENT = 8;
const recent = new Map<string, DeployYamlResult>();
const inFlight = new Map<string, Promise<DeployYamlResult>>();

function remember(text: string, result: DeployYamlResult): DeployYamlResult {
  recent.delete(text);
  recent.set(text, result);
  if (recent.size > RECENT) recent.delete(recent.keys().next().value as string);
  return result;
}

// What the worker derived with each result it answered (the summary, account positions).
const derivedByResult = new WeakMap<DeployYamlResult, Derived>();

/** What the worker derived with `result`, or undefined for a result checked on the main thread. */
export function derivedWith(result: DeployYamlResult): Derived | undefined {
  return derivedByResult.get(result);
}

// Worker results whose deployment came as JSON text, parsed when first read.
const sentAsJson = new WeakSet<DeployYamlResult>();

/**
 * A worker's answer as the result validateDeployYaml gives: its deployment parsed from the JSON
 * text the first time it is read (the stage's payload, once typing pauses), not per answer.
 */
function received(sent: SentResult): DeployYamlResult {
  if (!('deploymentJson' in sent)) return sent;
  const { deploymentJson, ...rest } = sent;
  let parsed: Record<string, unknown> | undefined;
  const result: DeployYamlResult = rest;
  Object.defineProperty(result, 'deployment', {
    enumerable: true,
    get: () => (parsed ??= JSON.parse(deploymentJson) as Record<string, unknown>),
  });
  sentAsJson.add(result);
  return result;
}

/** Whether the text parsed to a deployment, without parsing one that came as JSON text. */
export function hasDeployment(result: DeployYamlResult): boolean {
  return sentAsJson.has(result) || result.deployment !== undefined;
}

/** The result for `text` if it has been checked lately (here or on the main thread), else undefined. */
export function knownResult(text: string): DeployYamlResult | undefined {
  return recent.get(text);
}

// The main thread's checks (no worker, or a caller that needs the answer now) keep their pieces
// too, so a keystroke there costs the changed part's parse, not the whole text's.
const checker = new DeployYamlChecker();

/** Checks `text` on the main thread now, remembering the answer for the background callers too. */
export function validateNow(text: string): DeployYamlResult {
  return knownResult(text) ?? remember(text, checker.validate(text));
}

type Pending = { text: string; resolve(r: DeployYamlResult): void };

export interface BackgroundOptions {
  /**
   * For callers that want only the newest text's answer (a view while the user types): while the
   * worker is busy, a newer such request replaces this one, whose promise then never settles.
   */
  latestOnly?: boolean;
}

let worker: Worker | 'unavailable' | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();
let busy = 0;
// The newest latest-only request waiting for the worker, with what to do when it gets its turn;
// `painted` once the frame of the keystroke that made it has been painted.
let waiting: { p: Pending; send(): void; drop(): void; painted: boolean } | undefined;

/**
 * A latest-only request (a keystroke's text) goes to the worker once the keystroke's frame is
 * painted and the worker is free; a newer text before then replaces it. Posted from the
 * keystroke's own handler, the check took one of two cores from that frame's script, style,
 * layout and paint: with a whole parse per check (70-80 ms of CPU for 5,000 lines, still the case
 * while the text has a syntax error) the keystroke's longest task read 25 ms against 20 when
 * posted after the paint (typing bench, same run, Ace alone 15), and the problems showed as soon
 * (112 against 111 ms). The worker's incremental checker made most checks 13-18 ms since.
 */
let cancelWait: (() => void) | undefined;
const HIDDEN_TAB_MS = 100;

function sendWaiting(): void {
  if (!waiting?.painted || busy > 0) return;
  const next = waiting;
  waiting = undefined;
  next.send();
}

/** Why the worker is not used, for the bench and e2e tests (which run in a real browser). */
export let workerProblem: string | undefined;

function onMainThread(p: Pending): void {
  setTimeout(() => p.resolve(validateNow(p.text)), 0);
}

function giveUp(why: string): void {
  workerProblem = why;
  if (worker && worker !== 'unavailable') worker.terminate();
  worker = 'unavailable';
  for (const p of pending.values()) onMainThread(p);
  pending.clear();
  cancelWait?.();
  if (waiting) onMainThread(waiting.p);
  waiting = undefined;
  busy = 0;
}

function startWorker(): Worker | 'unavailable' {
  if (!WORKER_URL || typeof Worker === 'undefined') {
    workerProblem = WORKER_URL ? 'this browser has no Worker' : 'this build has no worker chunk';
    return 'unavailable';
  }
  try {
    const url = new URL(WORKER_URL, document.baseURI);
    const w =
      url.origin === location.origin
        ? new Worker(url, { type: 'module' })
        : new Worker(URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' })), { type: 'module' });
    w.onmessage = ({ data }: MessageEvent<CheckAnswer>) => {
      busy = Math.max(0, busy - 1);
      sendWaiting();
      const p = pending.get(data.id);
      if (!p) return;
      pending.delete(data.id);
      if ('result' in data) {
        const result = received(data.result);
        if (data.derived) derivedByResult.set(result, data.derived);
        p.resolve(remember(p.text, result));
      }
      else onMainThread(p);
    };
    // A worker that cannot load its chunk (CSP, CORS, a missing file) reports it here, once.
    w.onerror = (e) => {
      e.preventDefault();
      giveUp(`the worker failed: ${e.message || 'its script could not be loaded'}`);
    };
    return w;
  } catch (err) {
    workerProblem = `no worker could start: ${err instanceof Error ? err.message : String(err)}`;
    return 'unavailable';
  }
}

/** Which way checks run now: for the bench and the e2e test, which assert the worker path in Chromium. */
export function backgroundMode(): 'worker' | 'main thread' | 'not started' {
  return worker === undefined ? 'not started' : worker === 'unavailable' ? 'main thread' : 'worker';
}

/** The same result validateDeployYaml(text) gives, computed off the main thread where possible. */
export function validateInBackground(text: string, options: BackgroundOptions = {}): Promise<DeployYamlResult> {
  const known = knownResult(text);
  if (known) return Promise.resolve(known);
  const running = inFlight.get(text);
  if (running) return running;
  worker ??= startWorker();
  const promise = new Promise<DeployYamlResult>((resolve) => {
    const p: Pending = { text, resolve };
    if (worker === 'unavailable' || worker === undefined) return onMainThread(p);
    const w = worker;
    const send = () => {
      const id = nextId++;
      pending.set(id, p);
      busy++;
      w.postMessage({ id, text } satisfies CheckRequest);
    };
    if (!options.latestOnly) return send();
    waiting?.drop();
    const entry = { p, send, drop: () => inFlight.delete(text), painted: false };
    waiting = entry;
    cancelWait?.();
    const go = () => {
      cancelWait?.();
      entry.painted = true;
      sendWaiting();
    };
    // A hidden tab paints no frame: then the timer sends it.
    const cancelPaint = afterNextPaint(go);
    const timer = setTimeout(go, HIDDEN_TAB_MS);
    cancelWait = () => {
      cancelPaint();
      clearTimeout(timer);
    };
  }).finally(() => inFlight.delete(text));
  inFlight.set(text, promise);
  return promise;
}
