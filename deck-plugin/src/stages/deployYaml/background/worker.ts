/**
 * The deploy.yml worker: the same check the forms run, off Deck's main thread, so checking a
 * 5,000-line file never blocks typing. Built as its own chunk (it imports the deploy-yaml chunk,
 * no shared library: there is no `window` here).
 */
import { DeployYamlChecker } from '@cdaas/contract/deployYaml';
import { deriveFrom, toSent } from './derive';
import type { CheckAnswer, CheckRequest } from './protocol';

// The DOM lib types `self` as a Window; a dedicated worker's scope is this much of it.
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<CheckRequest>) => void) | null;
  postMessage(answer: CheckAnswer): void;
};

// One checker for the worker's life: the texts it gets are one editor's, a keystroke apart, so it
// parses again only the part of the text that changed (the answer is validateDeployYaml's).
const checker = new DeployYamlChecker();

scope.onmessage = ({ data }) => {
  let answer: CheckAnswer;
  try {
    const result = checker.validate(data.text);
    answer = { id: data.id, result: toSent(result), derived: deriveFrom(result) };
  } catch (err) {
    answer = { id: data.id, error: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(answer);
};
