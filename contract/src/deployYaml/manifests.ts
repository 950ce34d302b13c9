/**
 * Checks Kubernetes manifest text the way CD-as-a-Service will read it: multi-document YAML, each
 * document an object with apiVersion, kind and metadata.name, and no kinds CDaaS refuses.
 * Used by both stages (the Deploy stage's manifest text, the YAML stage's inline manifests).
 */
import { isMap, isScalar, LineCounter, parseAllDocuments, type Node as YNode } from 'yaml';

import { positionOf, yamlErrorProblem, type TextProblem } from './problems';
import { isSpel } from '../spel';

export type { TextProblem } from './problems';

/** Kinds CDaaS does not deploy, with why and what to use instead. */
const REFUSED_KINDS: Record<string, string> = {
  Pod:
    'CD-as-a-Service does not deploy bare Pods: nothing would replace or roll them out. Put the pod template in a Deployment (spec.template) instead',
  ReplicaSet:
    'CD-as-a-Service creates and scales ReplicaSets itself while it rolls out a Deployment, so it refuses ReplicaSet manifests. Deploy a Deployment with the same pod template instead',
};

/** Checks multi-document Kubernetes manifest YAML: parse errors with positions, kinds CDaaS refuses. */
export function checkManifestText(text: string): TextProblem[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: true });
  const problems: TextProblem[] = [];
  // parseAllDocuments returns an EmptyStream (an array with an `empty` flag) for blank input.
  if (!Array.isArray(docs) || docs.length === 0) {
    if (text.trim() === '') return [{ severity: 'error', message: 'the manifest text is empty', line: 1, column: 1 }];
    return problems;
  }
  let counted = 0;
  docs.forEach((doc, i) => {
    const label = docs.length > 1 ? `document ${i + 1}` : 'the manifest';
    for (const e of doc.errors) problems.push(yamlErrorProblem(e, lineCounter, 'error', docs.length > 1 ? `document ${i + 1}: ` : ''));
    if (doc.errors.length) return;
    const root = doc.contents as YNode | null;
    // A `---` at the end (or two in a row) leaves an empty document: harmless, kubectl skips it too.
    if (root === null || (isScalar(root) && root.value === null)) return;
    counted++;
    const at = (node: YNode | null | undefined) => positionOf(lineCounter, node?.range?.[0] ?? root.range?.[0] ?? 0);
    if (!isMap(root)) {
      problems.push({ severity: 'error', ...at(root), message: `${label} must be a Kubernetes object (a map with apiVersion, kind and metadata)` });
      return;
    }
    const get = (node: YNode | null | undefined, key: string): YNode | undefined => (isMap(node) ? (node.get(key, true) as YNode | undefined) : undefined);
    const name = get(get(root, 'metadata'), 'name');
    const kindNode = get(root, 'kind');
    const kind = isScalar(kindNode) ? kindNode.value : undefined;
    const nameText = isScalar(name) && typeof name.value === 'string' ? name.value : undefined;
    const who = typeof kind === 'string' ? `${label} (${kind}${nameText ? ` ${nameText}` : ''})` : label;

    for (const key of ['apiVersion', 'kind'] as const) {
      const node = get(root, key);
      if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
        problems.push({ severity: 'error', path: key, ...at(node ?? root), message: `${who}: ${key} is required` });
      }
    }
    if (!isScalar(name) || name.value === null || String(name.value).trim() === '') {
      const metadata = get(root, 'metadata');
      problems.push({ severity: 'error', path: 'metadata.name', ...at(name ?? metadata ?? root), message: `${who}: metadata.name is required` });
    }
    if (typeof kind === 'string' && !isSpel(kind) && kind in REFUSED_KINDS) {
      problems.push({ severity: 'error', path: 'kind', ...at(kindNode), message: `${who}: ${REFUSED_KINDS[kind]}` });
    }
  });
  if (counted === 0 && problems.length === 0) problems.push({ severity: 'error', message: 'the manifest text holds no Kubernetes object', line: 1, column: 1 });
  return problems;
}
