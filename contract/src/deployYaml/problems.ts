import type { LineCounter, YAMLError, YAMLWarning } from 'yaml';

/** One problem found in user text. `line` and `column` are 1-based positions in that text. */
export interface TextProblem {
  message: string;
  line?: number;
  column?: number;
  /** Dotted path inside the parsed document, e.g. `targets.prod.strategy`, when known. */
  path?: string;
  severity: 'error' | 'warning';
}

/** "12:15 targets.prod.strategy: ..." style text, for lists and test assertions. */
export function formatProblem(p: TextProblem): string {
  const at = p.line !== undefined ? `line ${p.line}, column ${p.column ?? 1}: ` : '';
  return at + p.message;
}

/**
 * "targets.prod.strategy (line 4, column 15): strategy ... is not defined", for answers read away
 * from the text (a pipeline's stage context): the path leads, `whole` names the file when no path
 * is known. Messages from the walker start with their path, which is moved in front of the position.
 */
export function describeProblem(p: TextProblem, whole = 'deploy.yml'): string {
  const path = p.path ?? whole;
  const message = p.path && p.message.startsWith(`${p.path}: `) ? p.message.slice(p.path.length + 2) : p.message;
  const at = p.line !== undefined ? ` (line ${p.line}, column ${p.column ?? 1})` : '';
  return `${path}${at}: ${message}`;
}

/** Errors first, then by position, so the first thing a user reads is the first thing to fix. */
export function sortProblems(problems: TextProblem[]): TextProblem[] {
  const rank = (p: TextProblem) => (p.severity === 'error' ? 0 : 1);
  return problems
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        rank(a.p) - rank(b.p) ||
        (a.p.line ?? Infinity) - (b.p.line ?? Infinity) ||
        (a.p.column ?? 0) - (b.p.column ?? 0) ||
        a.i - b.i,
    )
    .map((x) => x.p);
}

export function positionOf(lineCounter: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** The yaml library's own parse errors, with its message trimmed to its first line (the rest is a code excerpt). */
export function yamlErrorProblem(err: YAMLError | YAMLWarning, lineCounter: LineCounter, severity: 'error' | 'warning', prefix = ''): TextProblem {
  const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
  const first = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return { message: `${prefix}YAML ${severity === 'error' ? 'syntax error' : 'warning'}: ${first}`, line: pos.line, column: pos.col, severity };
}
