/**
 * Spinnaker expressions left inside a deploy.yml that arrives as an artifact. Orca evaluates `${…}`
 * in a stage's own fields only, never inside an artifact's contents, so an expression there reaches
 * CD-as-a-Service as written. The validator lets `${…}` through (in a stage's text it stands for
 * what Orca puts there); `validateDeployYaml(text, { fromArtifact: true })` adds these warnings
 * from the same parse, which the bridge asks for at stage start.
 */
import { isMap, isScalar, isSeq, type LineCounter, type Node as YNode } from 'yaml';

import { isSpel } from '../spel';
import type { TextProblem } from './problems';

/** Every scalar value under `root` holding `${…}`, as warnings with the dotted path and line:column of each. */
export function expressionsLeftIn(root: unknown, lineCounter: LineCounter): TextProblem[] {
  const found: TextProblem[] = [];
  const visit = (node: unknown, path: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        visit(pair.value, path ? `${path}.${key}` : key);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else if (isScalar(node) && isSpel(node.value)) {
      const { line, col } = lineCounter.linePos((node as YNode).range?.[0] ?? 0);
      const shown = String(node.value).length > 60 ? `${String(node.value).slice(0, 57)}...` : String(node.value);
      found.push({
        severity: 'warning',
        path,
        line,
        column: col,
        message: `holds ${shown}: Orca does not evaluate expressions inside an artifact, so CD-as-a-Service receives it as written (put the value itself in the file, or paste deploy.yml into the stage, where Orca evaluates it)`,
      });
    }
  };
  visit(root, '');
  return found;
}
