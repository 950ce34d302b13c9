// deploy.yml validation speed: full validation (parse with positions, schema walk, cross-references,
// inline manifest checks) of a generated 5,000-line deploy.yml, beside a plain `yaml` parse of the
// same text measured in the same run. Target: at most 50 ms per validation (median).
import { performance } from 'node:perf_hooks';

import { parse } from 'yaml';

import { DeployYamlChecker, validateDeployYaml } from '@cdaas/contract/deployYaml';
import type { BenchRow } from '../types';
import { generateDeployYaml } from '../../support/largeDeployYaml';
import { median } from '../stats';

/**
 * Medians of `runs` alternating single runs of `first(i)` and `second(i)`: alternated so both see
 * the same machine load (two cores shared with other work), medians so one slow run (GC, a
 * neighbour's burst) moves neither.
 */
function alternate(runs: number, first: (i: number) => void, second: (i: number) => void): [number, number] {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 1; i <= runs; i++) {
    let t = performance.now();
    first(i);
    a.push(performance.now() - t);
    t = performance.now();
    second(i);
    b.push(performance.now() - t);
  }
  return [median(a), median(b)];
}

/** Medians of alternating single runs of validateDeployYaml and a plain parse of the same text. */
function measure(text: string, runs: number): { validateMs: number; parseMs: number } {
  // Warm up both so the JIT has compiled the hot paths before anything is measured.
  for (let i = 0; i < 8; i++) {
    parse(text);
    validateDeployYaml(text);
  }
  const [validateMs, parseMs] = alternate(runs, () => validateDeployYaml(text), () => parse(text));
  return { validateMs, parseMs };
}

/**
 * A keystroke's re-check in the form's checker (DeployYamlChecker: only the changed piece parsed
 * again), beside validateDeployYaml of the same text, alternating. `type` makes the i-th text.
 */
function measureKeystrokes(type: (i: number) => string, runs: number): { incrementalMs: number; wholeMs: number } {
  // Made before timing: building a text is not part of its check.
  const texts = Array.from({ length: runs + 1 }, (_, i) => type(i));
  const checker = new DeployYamlChecker();
  checker.validate(texts[0]);
  const [incrementalMs, wholeMs] = alternate(
    runs,
    (i) => {
      checker.validate(texts[i]);
      if (checker.stats.parse !== 'pieces' || checker.stats.parsedPieces !== 1) throw new Error(`a keystroke re-parsed ${JSON.stringify(checker.stats)}`);
    },
    (i) => validateDeployYaml(texts[i]),
  );
  return { incrementalMs, wholeMs };
}

const lines = (text: string) => text.split('\n').length - 1;

export async function run(): Promise<BenchRow[]> {
  const big = generateDeployYaml();
  // A file of the usual size: what the form re-checks on each edit (it saves the parsed payload).
  const typical = generateDeployYaml(150);
  for (const text of [big, typical]) {
    // A benchmark of the error path would be meaningless: the generated file must be valid.
    const check = validateDeployYaml(text);
    if (check.problems.length) throw new Error(`generated deploy.yml is not clean: ${check.problems[0].message}`);
  }
  const large = measure(big, 31);
  const small = measure(typical, 101);
  // Typing: a letter more each time, in the first line's comment (every piece after it moves) and
  // in a target's namespace deep in `targets:`.
  const atComment = big.indexOf('benchmark:') + 'benchmark:'.length;
  const atTarget = big.indexOf('namespace: svc-40\n') + 'namespace: svc-40'.length;
  const inComment = measureKeystrokes((i) => big.slice(0, atComment) + 'x'.repeat(i) + big.slice(atComment), 31);
  const inTarget = measureKeystrokes((i) => big.slice(0, atTarget) + 'x'.repeat(i) + big.slice(atTarget), 31);
  return [
    {
      name: `validate a ${lines(big)}-line deploy.yml (median)`,
      value: large.validateMs,
      unit: 'ms',
      baseline: { name: 'plain yaml parse of the same text', value: large.parseMs },
      target: '<= 50 ms',
    },
    { name: 'validation cost over a plain parse', value: large.validateMs / large.parseMs, unit: 'x' },
    {
      name: `re-check after a keystroke in the ${lines(big)}-line file's first line (the form's checker, median)`,
      value: inComment.incrementalMs,
      unit: 'ms',
      baseline: { name: 'validateDeployYaml of the same text', value: inComment.wholeMs },
    },
    {
      name: 're-check after a keystroke inside a target (median)',
      value: inTarget.incrementalMs,
      unit: 'ms',
      baseline: { name: 'validateDeployYaml of the same text', value: inTarget.wholeMs },
    },
    {
      name: `validate a ${lines(typical)}-line deploy.yml (each edit in the form)`,
      value: small.validateMs,
      unit: 'ms',
      baseline: { name: 'plain yaml parse of the same text', value: small.parseMs },
    },
  ];
}
