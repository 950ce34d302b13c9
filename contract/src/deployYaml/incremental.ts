/**
 * Checking a deploy.yml again after an edit without parsing all of it again.
 *
 * Parsing is nearly all of a check (a 5,000-line file: ~45 ms of yaml's parse against ~3 ms for
 * the walk and toJS), and a keystroke changes one line. So the text is cut into pieces at the
 * entries of its block maps and sequences (the top-level keys; under a long section such as
 * `targets:`, each target), each piece is parsed alone and kept, keyed by its text, and the next
 * check parses only the pieces whose text changed. The pieces' nodes are moved to where their
 * text now starts and put together into the tree one parse would give, which the same checks
 * then read (validate.ts `checkParsed`).
 *
 * Anything a piece on its own could read differently falls back to one parse of the whole text,
 * so the answer is always the one `validateDeployYaml` gives:
 * - a piece with any parse error or warning, or whose nodes are not the expected map or sequence
 *   entries (a line that continues something, not a new entry);
 * - anchors, aliases, `<<` merge keys (a piece may refer to another), directives and document
 *   markers (`%`, `---`, `...`), `?`/`:` explicit keys, keys that are not plain scalars;
 * - a key that occurs twice in one map (yaml reports it on the whole text only).
 * incremental.test.ts checks the two answers are the same over thousands of random edits.
 */
import { Document, isMap, isScalar, isSeq, LineCounter, Pair, parseDocument, YAMLMap, YAMLSeq, type Node as YNode } from 'yaml';

import { checkParsed, parseWhole, type DeployYamlResult, type ParsedText, type ValidateOptions } from './validate';

/** Blocks longer than this many lines are cut into their entries; shorter ones are one piece. */
const SPLIT_LINES = 24;
/** Root, section, section entry: deep enough for `targets.<name>` and `analysis.queries[]`. */
const MAX_DEPTH = 3;

interface Line {
  start: number;
  indent: number;
  /** The first character after the indent, '' for a blank line. */
  first: string;
}

type Kind = 'map' | 'seq';

interface Piece {
  /** The parsed root collection; its ranges are absolute offsets for a piece starting at `at`. */
  root: YAMLMap | YAMLSeq;
  at: number;
}

/** First characters of a line that is not a plain or quoted key: explicit keys, flow, anchors, tags, block scalars, reserved, tabs. */
const NOT_A_KEY = new Set([...'?:,[]{}&*!|>%@`-\t']);

/** Thrown inside a composition when a piece could read differently from the whole. */
class WholeParse extends Error {}

export interface CheckStats {
  /** How the last text was parsed. */
  parse: 'pieces' | 'whole';
  /** Pieces parsed for the last text (the rest were kept from before). */
  parsedPieces: number;
  /** Pieces the last text was made of. */
  pieces: number;
}

/**
 * validateDeployYaml for a text that changes a little at a time (a form's editor): the same
 * answer, with only the changed pieces parsed again. One per editor; it keeps the last text's pieces.
 */
export class DeployYamlChecker {
  private kept = new Map<string, Piece[]>();
  private next = new Map<string, Piece[]>();
  private parsedPieces = 0;
  private pieceCount = 0;
  stats: CheckStats = { parse: 'whole', parsedPieces: 0, pieces: 0 };

  validate(text: string, options: ValidateOptions = {}): DeployYamlResult {
    return checkParsed(text, this.parse(text), options);
  }

  private parse(text: string): ParsedText {
    this.next = new Map();
    this.parsedPieces = 0;
    this.pieceCount = 0;
    let parsed: ParsedText | undefined;
    if (!/^(%|---|\.\.\.)/m.test(text) && !text.includes('<<')) {
      try {
        parsed = this.compose(text);
      } catch (err) {
        // Anything else would be a fault here, not in the text: the whole parse still answers
        // right, and no piece of that attempt is kept.
        if (!(err instanceof WholeParse)) this.next = new Map();
      }
    }
    // Pieces parsed before a fallback are still good for the next text.
    this.kept = this.next;
    this.stats = parsed
      ? { parse: 'pieces', parsedPieces: this.parsedPieces, pieces: this.pieceCount }
      : { parse: 'whole', parsedPieces: 0, pieces: 0 };
    return parsed ?? parseWhole(text);
  }

  private compose(text: string): ParsedText {
    const lines = scanLines(text);
    const firstContent = lines.findIndex(isContent);
    if (firstContent < 0) throw new WholeParse();
    const root = this.block(text, lines, 0, lines.length, lines[firstContent].indent, 'map', 0);
    const doc = new Document();
    doc.contents = root;
    const lineCounter = new LineCounter();
    for (const line of lines) lineCounter.addNewLine(line.start);
    return { doc, lineCounter, problems: [], merge: false };
  }

  /** Lines [from, to) as a block collection of `kind` whose entries start at `indent`. */
  private block(text: string, lines: Line[], from: number, to: number, indent: number, kind: Kind, depth: number): YAMLMap | YAMLSeq {
    const starts: number[] = [];
    for (let i = from; i < to; i++) {
      const line = lines[i];
      if (!isContent(line)) continue;
      if (line.indent < indent) throw new WholeParse();
      if (line.indent > indent) continue;
      if (kind === 'map') {
        // A sequence may sit at its key's indent (`key:` then `- item`): part of that entry.
        if (isDash(text, line)) {
          if (!starts.length) throw new WholeParse();
          continue;
        }
        if (NOT_A_KEY.has(line.first)) throw new WholeParse();
      } else if (!isDash(text, line)) {
        throw new WholeParse();
      }
      starts.push(i);
    }
    if (!starts.length) throw new WholeParse();
    starts[0] = from; // comments and blank lines before the first entry go with it
    starts.push(to);

    const items: Array<Pair | YNode> = [];
    let first: YAMLMap | YAMLSeq | undefined;
    let last: YAMLMap | YAMLSeq | undefined;
    for (let e = 0; e + 1 < starts.length; e++) {
      const a = starts[e];
      const b = starts[e + 1];
      const entry = kind === 'map' && depth + 1 < MAX_DEPTH && b - a > SPLIT_LINES ? this.section(text, lines, a, b, indent, depth) : undefined;
      const node = entry ?? this.piece(text, lines, a, b, kind);
      first ??= node;
      last = node;
      items.push(...(node.items as Array<Pair | YNode>));
    }
    const combined = kind === 'map' ? new YAMLMap() : new YAMLSeq();
    if (kind === 'map') checkUniqueKeys(items as Pair[]);
    combined.items = items as never;
    // The ranges one parse gives a block collection: from its first entry to the end of its last.
    combined.range = [first!.range![0], last!.range![1], last!.range![2]];
    return combined;
  }

  /**
   * A long map entry whose value is a block on the following lines (`targets:` and its targets):
   * the key line alone as one piece, its value cut into entries. Undefined when it is not that.
   */
  private section(text: string, lines: Line[], a: number, b: number, indent: number, depth: number): YAMLMap | undefined {
    let keyLine = a;
    while (!isContent(lines[keyLine]) || lines[keyLine].indent !== indent) keyLine++;
    const head = lines[keyLine];
    const lineText = text.slice(head.start, lineEnd(text, lines, keyLine));
    if (!/^ *[A-Za-z0-9_][\w./-]* *:( +#.*)? *\r?$/.test(lineText)) return undefined;
    let child = keyLine + 1;
    while (child < b && !isContent(lines[child])) child++;
    if (child >= b) return undefined;
    const c = lines[child];
    const childKind: Kind = isDash(text, c) ? 'seq' : 'map';
    if (!(c.indent > indent || (c.indent === indent && childKind === 'seq'))) return undefined;

    const header = this.piece(text, lines, a, child, 'map') as YAMLMap;
    const pair = header.items.length === 1 ? header.items[0] : undefined;
    if (!pair || !isScalar(pair.value) || pair.value.value !== null) throw new WholeParse();
    // A new pair and map, so the kept piece stays the key line alone (shifting it moves nothing else).
    const value = this.block(text, lines, child, b, c.indent, childKind, depth + 1);
    const out = new YAMLMap();
    out.items = [new Pair(pair.key, value)];
    out.range = [header.range![0], value.range![1], value.range![2]];
    return out;
  }

  /** Lines [a, b) parsed alone (or kept from the last text), moved to where they start now. */
  private piece(text: string, lines: Line[], a: number, b: number, kind: Kind): YAMLMap | YAMLSeq {
    const start = lines[a].start;
    const end = b < lines.length ? lines[b].start : text.length;
    const source = text.slice(start, end);
    this.pieceCount++;
    let piece = this.kept.get(source)?.pop();
    if (piece) {
      if (piece.at !== start) {
        shift(piece.root, start - piece.at);
        piece.at = start;
      }
    } else {
      piece = parsePiece(source, start, kind);
      this.parsedPieces++;
    }
    const same = this.next.get(source);
    if (same) same.push(piece);
    else this.next.set(source, [piece]);
    return piece.root;
  }
}

function parsePiece(source: string, start: number, kind: Kind): Piece {
  const doc = parseDocument(source);
  const root = doc.contents;
  if (!(isMap(root) || isSeq(root))) throw new WholeParse();
  // Checked once, here: a piece's text fixes its kind (a sequence's pieces start with `-`, a map's
  // with a key), so a kept piece is one of the kind it is asked for again.
  if (isMap(root) !== (kind === 'map') || !root.items.length || doc.errors.length || doc.warnings.length || !plain(root)) throw new WholeParse();
  if (start) shift(root, start);
  return { root, at: start };
}

/** No anchor, alias or non-scalar key anywhere under `node`: what a piece alone reads as the whole does. */
function plain(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (isScalar(node)) return node.anchor === undefined;
  if (isMap(node)) return node.anchor === undefined && node.items.every((p) => isScalar(p.key) && plain(p.key) && plain(p.value));
  if (isSeq(node)) return node.anchor === undefined && node.items.every(plain);
  return false; // an alias
}

/** Moves every node's range under `node` by `delta` characters. */
function shift(node: unknown, delta: number): void {
  if (isScalar(node)) {
    moveRange(node.range, delta);
  } else if (isMap(node)) {
    moveRange(node.range, delta);
    for (const p of node.items) {
      shift(p.key, delta);
      shift(p.value, delta);
    }
  } else if (isSeq(node)) {
    moveRange(node.range, delta);
    for (const item of node.items) shift(item, delta);
  }
}

function moveRange(range: [number, number, number] | null | undefined, delta: number): void {
  if (!range) return;
  range[0] += delta;
  range[1] += delta;
  range[2] += delta;
}

/** yaml reports a key given twice in one map; pieces parsed apart cannot see it, so the whole is parsed. */
function checkUniqueKeys(pairs: Pair[]): void {
  const seen = new Set<unknown>();
  for (const p of pairs) {
    const key = (p.key as { value: unknown }).value;
    if (seen.has(key)) throw new WholeParse();
    seen.add(key);
  }
}

function scanLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    let i = start;
    while (text.charCodeAt(i) === 32) i++;
    const c = text[i];
    lines.push({ start, indent: i - start, first: c === undefined || c === '\n' || c === '\r' ? '' : c });
    const nl = text.indexOf('\n', i);
    if (nl < 0) break;
    start = nl + 1;
  }
  return lines;
}

function isContent(line: Line): boolean {
  return line.first !== '' && line.first !== '#';
}

/** A sequence entry: `-` then a space or the line's end. */
function isDash(text: string, line: Line): boolean {
  if (line.first !== '-') return false;
  const next = text[line.start + line.indent + 1];
  return next === undefined || next === ' ' || next === '\n' || next === '\r';
}

function lineEnd(text: string, lines: Line[], i: number): number {
  return i + 1 < lines.length ? lines[i + 1].start - 1 : text.length;
}
