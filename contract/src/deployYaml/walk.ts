/**
 * A small declarative walker over the `yaml` node tree. It checks a document against a spec in
 * one pass, reporting each problem at the node it concerns (so every message has a path and a
 * line:column), and collects name definitions and references for the cross-reference checks that
 * follow the walk. Written by hand rather than with zod because the messages must name positions,
 * suggest fixes for typos and accept `${...}` expressions wherever a scalar is expected.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node as YNode, type Pair, type YAMLMap } from 'yaml';

import { positionOf, type TextProblem } from './problems';
import { isSpel } from '../spel';
import { didYouMean, joinPath, listNames } from './text';

/** Names defined in one place and referred to from another. */
export type RefKind = 'target' | 'strategy' | 'webhook' | 'query';

/**
 * Where a node sits, built as a chain and turned into text ("targets.prod.strategy") only when a
 * problem or reference needs it: most nodes are fine, and formatting every path cost more than
 * the rest of the walk.
 */
export class Path {
  private text?: string;
  constructor(
    readonly parent?: Path,
    readonly key?: string | number,
  ) {}
  child(key: string | number): Path {
    return new Path(this, key);
  }
  toString(): string {
    if (this.text !== undefined) return this.text;
    const parent = this.parent ? this.parent.toString() : '';
    if (this.key === undefined) this.text = parent;
    else if (typeof this.key === 'number') this.text = `${parent}[${this.key}]`;
    else this.text = joinPath(parent, this.key);
    return this.text;
  }
  /** The nearest key name, for messages ("weight must be ..."). */
  get name(): string {
    for (let p: Path | undefined = this; p; p = p.parent) if (typeof p.key === 'string') return p.key;
    return 'value';
  }
}
export const ROOT = new Path();

type CheckFn = (node: YNode, cx: WalkContext, path: Path) => void;

interface Common {
  /** Noun used in messages ("weight", "strategy"). */
  what?: string;
  /** Runs after the node passed its structural checks. */
  check?: CheckFn;
}
export interface ScalarSpec extends Common {
  type: 'string' | 'number' | 'boolean' | 'scalar';
  enum?: readonly string[];
  caseInsensitive?: boolean;
  integer?: boolean;
  min?: number;
  max?: number;
  /** Strictly greater than zero. */
  positive?: boolean;
  nonEmpty?: boolean;
  /** The value names something defined elsewhere. */
  ref?: RefKind;
  /** The value defines a name others refer to (unique). */
  defines?: RefKind;
}
export interface Field {
  spec: Spec;
  required?: boolean;
  /** Added to "is required" so the user knows what to put there. */
  hint?: string;
}
export interface ObjectSpec extends Common {
  type: 'object';
  fields: Record<string, Field>;
  /** Free-form map (e.g. analysis context): no unknown-key warnings. */
  open?: boolean;
}
export interface RecordSpec extends Common {
  type: 'record';
  values: Spec;
  /** The keys define names others refer to. */
  defines?: RefKind;
  nonEmpty?: boolean;
}
export interface ArraySpec extends Common {
  type: 'array';
  items: Spec;
  nonEmpty?: boolean;
}
/** A map with exactly one key out of a set: a step (`setWeight`, `pause`, ...) or a strategy kind. */
export interface OneKeySpec extends Common {
  type: 'oneKey';
  options: Record<string, Spec>;
  what: string;
}
export interface AnySpec extends Common {
  type: 'any';
}
export type Spec = ScalarSpec | ObjectSpec | RecordSpec | ArraySpec | OneKeySpec | AnySpec;

export interface Ref {
  kind: RefKind;
  name: string;
  path: Path;
  offset: number;
}
export interface Def {
  offset: number;
}

const REF_NOUN: Record<RefKind, string> = { target: 'target', strategy: 'strategy', webhook: 'webhook', query: 'analysis query' };

export class WalkContext {
  readonly problems: TextProblem[] = [];
  readonly refs: Ref[] = [];
  readonly defs: Record<RefKind, Map<string, Def>> = {
    target: new Map(),
    strategy: new Map(),
    webhook: new Map(),
    query: new Map(),
  };

  constructor(
    readonly doc: Document,
    readonly lineCounter: LineCounter,
    readonly source: string,
    /** Whether `<<` merge keys may occur (the text contains `<<`). */
    readonly mergeKeys = true,
  ) {}

  report(severity: 'error' | 'warning', offset: number, where: Path | string, message: string): void {
    const { line, column } = positionOf(this.lineCounter, offset);
    const path = String(where);
    this.problems.push({ severity, path, line, column, message: path ? `${path}: ${message}` : message });
  }
  error(at: YNode | number, path: Path | string, message: string): void {
    this.report('error', offsetOf(at), path, message);
  }
  warn(at: YNode | number, path: Path | string, message: string): void {
    this.report('warning', offsetOf(at), path, message);
  }
  resolve(node: unknown): YNode | undefined {
    if (isAlias(node)) return node.resolve(this.doc) as YNode | undefined;
    return (node ?? undefined) as YNode | undefined;
  }
  define(kind: RefKind, name: string, path: Path, offset: number): void {
    const seen = this.defs[kind].get(name);
    if (seen) {
      const { line, column } = positionOf(this.lineCounter, seen.offset);
      this.report('error', offset, path, `${REF_NOUN[kind]} '${name}' is defined twice (first at ${line}:${column})`);
      return;
    }
    this.defs[kind].set(name, { offset });
  }
}

export function offsetOf(at: YNode | number | null | undefined): number {
  if (typeof at === 'number') return at;
  return at?.range?.[0] ?? 0;
}

/** The pairs of a map, with `<<: *anchor` merges expanded (later keys win, as in toJS). */
export function pairsOf(map: YAMLMap, cx: WalkContext): Pair[] {
  if (!cx.mergeKeys) return map.items as Pair[];
  let merged = false;
  for (const p of map.items) if (isMergeKey(p)) merged = true;
  if (!merged) return map.items as Pair[];
  const out: Pair[] = [];
  for (const p of map.items as Pair[]) {
    if (!isMergeKey(p)) {
      out.push(p);
      continue;
    }
    const v = cx.resolve(p.value);
    const sources = isSeq(v) ? v.items.map((i) => cx.resolve(i)) : [v];
    for (const s of sources) if (isMap(s)) out.push(...pairsOf(s, cx));
  }
  // Explicit keys win over merged ones.
  const byKey = new Map<string, Pair>();
  for (const p of out) byKey.set(keyText(p), p);
  return [...byKey.values()];
}

function isMergeKey(p: unknown): boolean {
  if (!isPair(p)) return false;
  const k = p.key;
  return isScalar(k) ? k.value === '<<' || String(k.source ?? '') === '<<' : false;
}

export function keyText(p: Pair): string {
  const k = p.key;
  if (isScalar(k)) return String(k.value);
  return String(k);
}

/** The value node under `key` of a map node (aliases resolved), if any. */
export function mapGet(node: YNode | undefined, key: string, cx: WalkContext): YNode | undefined {
  if (!isMap(node)) return undefined;
  for (const p of pairsOf(node, cx)) if (keyText(p) === key) return cx.resolve(p.value);
  return undefined;
}

/** A scalar's JS value, or undefined for anything else. */
export function scalarValue(node: YNode | undefined): unknown {
  return isScalar(node) ? node.value : undefined;
}

function describeFound(node: YNode | undefined): string {
  if (node === undefined || (isScalar(node) && node.value === null)) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)}`;
    if (typeof v === 'number') return `the number ${v}`;
    if (typeof v === 'boolean') return String(v);
  }
  return 'a value of another kind';
}

function describeExpected(spec: Spec): string {
  switch (spec.type) {
    case 'string':
      return spec.enum ? `one of ${spec.enum.join(', ')}` : 'text';
    case 'number':
      return spec.integer ? 'a whole number' : 'a number';
    case 'boolean':
      return 'true or false';
    case 'scalar':
      return 'text, a number or true/false';
    case 'object':
    case 'record':
    case 'oneKey':
      return 'a map';
    case 'array':
      return 'a list';
    default:
      return 'a value';
  }
}

/**
 * Checks `raw` against `spec`. `keyNode` is where the value's key sits: problems about a missing
 * or empty value point there, since an empty value has no position of its own worth showing.
 */
export function walk(raw: unknown, spec: Spec, path: Path, cx: WalkContext, keyNode?: YNode): void {
  const node = cx.resolve(raw);
  const at: YNode | number = node && !(isScalar(node) && node.value === null) ? node : (keyNode ?? node ?? 0);
  if (spec.type === 'any') {
    if (node && spec.check) spec.check(node, cx, path);
    return;
  }
  // An expression stands for whatever Orca puts there at stage start.
  if (isScalar(node) && isSpel(node.value)) return;

  if (node === undefined || (isScalar(node) && node.value === null)) {
    cx.error(at, path, `expected ${describeExpected(spec)}, found nothing`);
    return;
  }

  switch (spec.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'scalar':
      walkScalar(node, spec, path, cx);
      break;
    case 'object':
      if (!isMap(node)) return cx.error(at, path, `expected ${describeExpected(spec)}, found ${describeFound(node)}`);
      walkObject(node, spec, path, cx, keyNode);
      break;
    case 'record':
      if (!isMap(node)) return cx.error(at, path, `expected a map of names, found ${describeFound(node)}`);
      walkRecord(node, spec, path, cx);
      break;
    case 'array':
      if (!isSeq(node)) return cx.error(at, path, `expected a list, found ${describeFound(node)}`);
      if (spec.nonEmpty && node.items.length === 0) cx.error(at, path, `the list is empty; at least one ${spec.what ?? 'entry'} is needed`);
      for (let i = 0; i < node.items.length; i++) walk(node.items[i], spec.items, path.child(i), cx, node.items[i] as YNode);
      break;
    case 'oneKey':
      if (!isMap(node)) return cx.error(at, path, `expected a ${spec.what} (one of ${Object.keys(spec.options).join(', ')}), found ${describeFound(node)}`);
      walkOneKey(node, spec, path, cx);
      break;
  }
  if (spec.check) spec.check(node, cx, path);
}

function walkScalar(node: YNode, spec: ScalarSpec, path: Path, cx: WalkContext): void {
  if (!isScalar(node)) return cx.error(node, path, `expected ${describeExpected(spec)}, found ${describeFound(node)}`);
  const v = node.value;
  if (spec.type === 'string') {
    if (typeof v !== 'string') {
      // Names and labels written as bare numbers or booleans are read as text, like the CLI does.
      if (spec.enum || (typeof v !== 'number' && typeof v !== 'boolean')) {
        return cx.error(node, path, `expected ${describeExpected(spec)}, found ${describeFound(node)}`);
      }
    }
    const text = String(v);
    if (spec.nonEmpty && text.trim() === '') return cx.error(node, path, `${spec.what ?? path.name} must not be empty`);
    if (spec.enum) {
      const ok = spec.caseInsensitive ? spec.enum.some((e) => e.toLowerCase() === text.toLowerCase()) : spec.enum.includes(text);
      if (!ok) {
        // With a single allowed value, "use v1" already says it all.
        const hint = spec.enum.length > 1 ? didYouMean(text, spec.enum) : undefined;
        return cx.error(node, path, `'${text}' is not a valid ${spec.what ?? path.name}; use ${spec.enum.join(', ')}${hint ? ` (did you mean '${hint}'?)` : ''}`);
      }
    }
    if (spec.ref) cx.refs.push({ kind: spec.ref, name: text, path, offset: offsetOf(node) });
    if (spec.defines) cx.define(spec.defines, text, path, offsetOf(node));
    return;
  }
  if (spec.type === 'number') {
    if (typeof v !== 'number') return cx.error(node, path, `${spec.what ?? path.name} must be ${describeExpected(spec)}, found ${describeFound(node)}`);
    if (spec.integer && !Number.isInteger(v)) return cx.error(node, path, `${spec.what ?? path.name} must be a whole number, found ${v}`);
    if (spec.positive && v <= 0) return cx.error(node, path, `${spec.what ?? path.name} must be greater than 0, found ${v}`);
    if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
      const range = spec.max === undefined ? `at least ${spec.min}` : spec.min === undefined ? `at most ${spec.max}` : `from ${spec.min} to ${spec.max}`;
      return cx.error(node, path, `${spec.what ?? path.name} must be ${range}, found ${v}`);
    }
    return;
  }
  if (spec.type === 'boolean') {
    if (typeof v !== 'boolean') return cx.error(node, path, `${spec.what ?? path.name} must be true or false, found ${describeFound(node)}`);
    return;
  }
  // 'scalar': any of string, number, boolean
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
    cx.error(node, path, `expected ${describeExpected(spec)}, found ${describeFound(node)}`);
  }
}

function walkObject(node: YAMLMap, spec: ObjectSpec, path: Path, cx: WalkContext, keyNode?: YNode): void {
  const pairs = pairsOf(node, cx);
  for (const pair of pairs) {
    const key = keyText(pair);
    const field = Object.prototype.hasOwnProperty.call(spec.fields, key) ? spec.fields[key] : undefined;
    const childPath = path.child(key);
    if (!field) {
      if (spec.open) continue;
      const hint = didYouMean(key, Object.keys(spec.fields));
      cx.warn(pair.key as YNode, childPath, `unknown key '${key}'` + (hint ? `; did you mean '${hint}'?` : `; known keys: ${Object.keys(spec.fields).join(', ')}`));
      continue;
    }
    const value = cx.resolve(pair.value);
    if (value === undefined || (isScalar(value) && value.value === null)) {
      if (field.required) cx.error(pair.key as YNode, childPath, `${key} needs a value${field.hint ? ` (${field.hint})` : ''}`);
      else cx.warn(pair.key as YNode, childPath, `has no value; give it one or remove the key`);
      continue;
    }
    walk(value, field.spec, childPath, cx, pair.key as YNode);
  }
  for (const key of requiredKeys(spec)) {
    let found = false;
    for (let i = 0; i < pairs.length && !found; i++) found = keyText(pairs[i]) === key;
    if (!found) {
      const hint = spec.fields[key].hint;
      cx.error(keyNode ?? node, path.child(key), `${key} is required${hint ? ` (${hint})` : ''}`);
    }
  }
}

function walkRecord(node: YAMLMap, spec: RecordSpec, path: Path, cx: WalkContext): void {
  const pairs = pairsOf(node, cx);
  if (spec.nonEmpty && pairs.length === 0) cx.error(node, path, `at least one ${spec.what ?? 'entry'} is needed`);
  for (const pair of pairs) {
    const key = keyText(pair);
    const childPath = path.child(key);
    if (spec.defines) cx.define(spec.defines, key, childPath, offsetOf(pair.key as YNode));
    walk(pair.value, spec.values, childPath, cx, pair.key as YNode);
  }
}

function walkOneKey(node: YAMLMap, spec: OneKeySpec, path: Path, cx: WalkContext): void {
  const pairs = pairsOf(node, cx);
  const options = Object.keys(spec.options);
  if (pairs.length === 0) return cx.error(node, path, `an empty ${spec.what}; use one of ${options.join(', ')}`);
  const known = pairs.filter((p) => keyText(p) in spec.options);
  if (known.length > 1) {
    cx.error(known[1].key as YNode, path, `a ${spec.what} holds one of ${options.join(', ')}; found ${known.map(keyText).join(' and ')}: split them into separate entries`);
  }
  for (const pair of pairs) {
    const key = keyText(pair);
    const childPath = path.child(key);
    const option = Object.prototype.hasOwnProperty.call(spec.options, key) ? spec.options[key] : undefined;
    if (!option) {
      // An unknown step type cannot run: an error, not a warning.
      const hint = didYouMean(key, options);
      // A field of one of the options at this level is usually an indentation slip.
      const owner = options.find((o) => {
        const option = spec.options[o];
        return option.type === 'object' && Object.prototype.hasOwnProperty.call(option.fields, key);
      });
      const advice = hint ? ` (did you mean '${hint}'?)` : owner ? `; ${key} belongs under ${owner}: indent it below ${owner}` : '';
      cx.error(pair.key as YNode, childPath, `'${key}' is not a ${spec.what}; use ${options.join(', ')}${advice}`);
      continue;
    }
    walk(pair.value, option, childPath, cx, pair.key as YNode);
  }
}

const REQUIRED = new WeakMap<ObjectSpec, string[]>();
function requiredKeys(spec: ObjectSpec): string[] {
  let keys = REQUIRED.get(spec);
  if (!keys) {
    keys = Object.keys(spec.fields).filter((k) => spec.fields[k].required);
    REQUIRED.set(spec, keys);
  }
  return keys;
}

/** For messages listing what is defined: "defined: a, b" or "none are defined". */
export function describeDefined(names: readonly string[], section: string): string {
  return names.length ? `defined: ${listNames(names)}` : `none are defined in ${section}`;
}

export { REF_NOUN };
