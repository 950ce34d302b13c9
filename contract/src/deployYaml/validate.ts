/**
 * deploy.yml validation: parse with positions, check the schema in one walk, then check the names
 * that refer to each other (strategies, targets, webhooks, analysis queries) with map lookups.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node as YNode } from 'yaml';

import { expressionsLeftIn } from './expressions';
import { checkManifestText } from './manifests';
import { positionOf, sortProblems, yamlErrorProblem, type TextProblem } from './problems';
import { deployYmlSpec } from './schema';
import { isSpel } from '../spel';
import { didYouMean, joinPath } from './text';
import { describeDefined, keyText, mapGet, offsetOf, pairsOf, REF_NOUN, ROOT, walk, WalkContext, type RefKind } from './walk';

export interface ManifestPathEntry {
  /** `manifests[].path` as written. */
  path: string;
  line: number;
  column: number;
  /** The targets it goes to; undefined means all targets. */
  targets?: string[];
}

export interface DeployYamlResult {
  /** Errors first, then warnings, each in text order. */
  problems: TextProblem[];
  hasErrors: boolean;
  /** deploy.yml as JSON, when the text parsed as a YAML map (even with schema errors). */
  deployment?: Record<string, unknown>;
  /** Every `manifests[].path` (expressions included), in order: each must be bound to an artifact. */
  manifestPaths: ManifestPathEntry[];
  /**
   * Where each `targets.<name>.account` value starts, as the parser places it (for warnings about
   * a target's account that are worked out after the check, e.g. one with no connected agent).
   */
  accountPositions: Map<string, { line: number; column: number }>;
}

const SECTION: Record<RefKind, string> = { target: 'targets', strategy: 'strategies', webhook: 'webhooks', query: 'analysis.queries' };

export interface ValidateOptions {
  /**
   * The text is an artifact's contents, which Orca never evaluates: each `${…}` left in it is also
   * a warning (path, line:column), from the same parse.
   */
  fromArtifact?: boolean;
}

export function validateDeployYaml(text: string, options: ValidateOptions = {}): DeployYamlResult {
  return checkParsed(text, parseWhole(text), options);
}

/** A text parsed with positions: its document, where its lines start and the parser's own problems. */
export interface ParsedText {
  doc: Document;
  lineCounter: LineCounter;
  /** The `yaml` package's errors and warnings. */
  problems: TextProblem[];
  /** `<<` merge keys were followed (see parseWhole). */
  merge: boolean;
}

/** The whole text through the `yaml` parser, as one document. */
export function parseWhole(text: string): ParsedText {
  const lineCounter = new LineCounter();
  // Real deploy.yml files may share blocks with anchors and `<<:`. Merge support makes toJS look
  // at every key (4 ms of a 5,000-line file), so it is on only when a merge key can be present.
  const merge = text.includes('<<');
  const doc = parseDocument(text, { lineCounter, merge, prettyErrors: true });
  const problems: TextProblem[] = [];
  for (const e of doc.errors) problems.push(yamlErrorProblem(e, lineCounter, 'error'));
  for (const w of doc.warnings) problems.push(yamlErrorProblem(w, lineCounter, 'warning'));
  return { doc, lineCounter, problems, merge };
}

/** The checks after the parse, on a document however it was parsed (whole, or in pieces: ./incremental.ts). */
export function checkParsed(text: string, parsed: ParsedText, options: ValidateOptions = {}): DeployYamlResult {
  const { doc, lineCounter } = parsed;
  const problems = [...parsed.problems];

  const root = doc.contents as YNode | null;
  if (problems.some((p) => p.severity === 'error')) {
    return finish(problems, undefined, []);
  }
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    problems.push({ severity: 'error', message: 'deploy.yml is empty: it needs version, kind, application, targets and manifests', line: 1, column: 1 });
    return finish(problems, undefined, []);
  }
  if (!isMap(root)) {
    const { line, column } = positionOf(lineCounter, offsetOf(root));
    problems.push({ severity: 'error', message: 'deploy.yml must be a map of keys (version, kind, application, targets, ...)', line, column });
    return finish(problems, undefined, []);
  }

  const cx = new WalkContext(doc, lineCounter, text, parsed.merge);
  walk(root, deployYmlSpec, ROOT, cx);
  checkReferences(cx);
  checkDependencyCycles(root, cx);
  const manifestPaths = collectManifests(root, cx);
  problems.push(...cx.problems);
  if (options.fromArtifact) problems.push(...expressionsLeftIn(root, lineCounter));

  let deployment: Record<string, unknown> | undefined;
  try {
    deployment = doc.toJS({ maxAliasCount: 10000 }) as Record<string, unknown>;
  } catch (err) {
    problems.push({ severity: 'error', message: `deploy.yml could not be converted: ${err instanceof Error ? err.message : String(err)}`, line: 1, column: 1 });
  }
  return finish(problems, deployment, manifestPaths, accountPositionsIn(root, lineCounter));
}

function finish(
  problems: TextProblem[],
  deployment: Record<string, unknown> | undefined,
  manifestPaths: ManifestPathEntry[],
  accountPositions = new Map<string, { line: number; column: number }>(),
): DeployYamlResult {
  const sorted = sortProblems(problems);
  return { problems: sorted, hasErrors: sorted.some((p) => p.severity === 'error'), deployment, manifestPaths, accountPositions };
}

/** `targets.<name>.account` value positions, read from the nodes as written (no alias followed). */
function accountPositionsIn(root: YNode, lineCounter: LineCounter): Map<string, { line: number; column: number }> {
  const found = new Map<string, { line: number; column: number }>();
  const valueOf = (map: unknown, key: string) => (isMap(map) ? map.items.find((p) => isScalar(p.key) && String(p.key.value) === key)?.value : undefined);
  const targets = valueOf(root, 'targets');
  if (!isMap(targets)) return found;
  for (const pair of targets.items) {
    if (!isScalar(pair.key)) continue;
    const account = valueOf(pair.value, 'account') as YNode | null | undefined;
    if (account?.range) found.set(String(pair.key.value), positionOf(lineCounter, account.range[0]));
  }
  return found;
}

function checkReferences(cx: WalkContext): void {
  const names: Partial<Record<RefKind, string[]>> = {};
  for (const ref of cx.refs) {
    if (isSpel(ref.name)) continue;
    const defs = cx.defs[ref.kind];
    if (defs.has(ref.name)) continue;
    const known = (names[ref.kind] ??= [...defs.keys()]);
    const hint = didYouMean(ref.name, known);
    cx.report(
      'error',
      ref.offset,
      ref.path,
      `${REF_NOUN[ref.kind]} '${ref.name}' is not defined${hint ? ` (did you mean '${hint}'?)` : ''}; ${describeDefined(known, SECTION[ref.kind])}`,
    );
  }
}

/** dependsOn must form no cycle, or no target in the cycle could ever start. */
function checkDependencyCycles(root: YNode, cx: WalkContext): void {
  const targets = mapGet(root, 'targets', cx);
  if (!isMap(targets)) return;
  const edges = new Map<string, Array<{ to: string; node: YNode; index: number }>>();
  for (const pair of pairsOf(targets, cx)) {
    const name = keyText(pair);
    const deps = mapGet(mapGet(cx.resolve(pair.value), 'constraints', cx), 'dependsOn', cx);
    const list: Array<{ to: string; node: YNode; index: number }> = [];
    if (isSeq(deps)) {
      deps.items.forEach((item, index) => {
        const n = cx.resolve(item);
        if (isScalar(n) && typeof n.value === 'string' && !isSpel(n.value)) list.push({ to: n.value, node: n, index });
      });
    }
    edges.set(name, list);
  }
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 1);
    stack.push(name);
    for (const { to, node, index } of edges.get(name) ?? []) {
      if (!edges.has(to)) continue; // undefined targets are reported by checkReferences
      const s = state.get(to);
      if (s === 1) {
        const cycle = [...stack.slice(stack.indexOf(to)), to];
        const path = `${joinPath(joinPath('targets', name), 'constraints')}.dependsOn[${index}]`;
        cx.error(node, path, cycle.length === 2 ? `target '${name}' depends on itself` : `dependsOn forms a cycle: ${cycle.join(' -> ')}; none of these targets could start`);
      } else if (s === undefined) {
        visit(to);
      }
    }
    stack.pop();
    state.set(name, 2);
  };
  for (const name of edges.keys()) if (!state.has(name)) visit(name);
}

/** Lists manifest paths for binding, flags duplicates and checks inline manifests in place. */
function collectManifests(root: YNode, cx: WalkContext): ManifestPathEntry[] {
  const manifests = mapGet(root, 'manifests', cx);
  const out: ManifestPathEntry[] = [];
  if (!isSeq(manifests)) return out;
  const seen = new Map<string, number>();
  manifests.items.forEach((raw, i) => {
    const item = cx.resolve(raw);
    const pathNode = mapGet(item, 'path', cx);
    if (isScalar(pathNode) && typeof pathNode.value === 'string' && pathNode.value.trim()) {
      const p = pathNode.value;
      const { line, column } = positionOf(cx.lineCounter, offsetOf(pathNode));
      if (seen.has(p)) {
        cx.warn(pathNode, `manifests[${i}].path`, `path '${p}' is also listed at manifests[${seen.get(p)}]; its manifests would be deployed twice`);
      } else {
        seen.set(p, i);
        const targetsNode = mapGet(item, 'targets', cx);
        const targets = isSeq(targetsNode) ? targetsNode.items.map((t) => String((cx.resolve(t) as Scalar | undefined)?.value ?? '')) : undefined;
        out.push({ path: p, line, column, ...(targets ? { targets } : {}) });
      }
    }
    const inline = mapGet(item, 'inline', cx);
    const inlineText = isMap(inline) ? mapGet(inline, 'value', cx) : inline;
    if (isScalar(inlineText) && typeof inlineText.value === 'string') checkInlineManifest(inlineText, `manifests[${i}].inline`, cx);
  });
  return out;
}

/**
 * Runs the manifest checks on inline text and maps their positions back into deploy.yml. Exact for
 * block literals (`value: |`), the usual way to write them; other styles point at the value.
 */
function checkInlineManifest(node: Scalar, path: string, cx: WalkContext): void {
  const found = checkManifestText(node.value as string);
  if (!found.length) return;
  const start = positionOf(cx.lineCounter, offsetOf(node));
  const literal = node.type === Scalar.BLOCK_LITERAL;
  const indent = literal ? blockIndent(cx, node) : 0;
  for (const p of found) {
    const line = literal && p.line !== undefined ? start.line + p.line : start.line;
    const column = literal && p.column !== undefined ? p.column + indent : start.column;
    cx.problems.push({ ...p, path: p.path ? `${path}: ${p.path}` : path, line, column, message: `${path}: ${p.message}` });
  }
}

function blockIndent(cx: WalkContext, node: Scalar): number {
  // The content starts on the line after the `|` header; its indentation is that line's leading spaces.
  const end = node.range?.[1] ?? 0;
  const startOffset = node.range?.[0] ?? 0;
  const firstLine = positionOf(cx.lineCounter, startOffset).line; // header line
  const nextLineStart = cx.lineCounter.lineStarts[firstLine]; // 0-based index of the following line
  if (nextLineStart === undefined || nextLineStart >= end) return 0;
  const source = cx.source.slice(nextLineStart, Math.min(end, nextLineStart + 200));
  return /^ */.exec(source)?.[0].length ?? 0;
}

