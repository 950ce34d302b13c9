// STUB (owner: deploy.yml helper): replaced by the real manifest text checks.

/** One problem found in user text. `line` and `column` are 1-based positions in that text. */
export interface TextProblem {
  message: string;
  line?: number;
  column?: number;
  /** Dotted path inside the parsed document, e.g. `targets.prod.strategy`, when known. */
  path?: string;
  severity: 'error' | 'warning';
}

/** Checks multi-document Kubernetes manifest YAML: parse errors with positions, kinds CDaaS refuses. */
export function checkManifestText(_text: string): TextProblem[] {
  return [];
}
