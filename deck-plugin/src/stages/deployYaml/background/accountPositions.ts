/**
 * Where each target's `account` value starts in a deploy.yml, for the account warnings' line:column.
 * Pure (no React, no Deck): the worker reads them with its check, so a large file's answer does
 * not scan its lines again on the main thread; the form reads them itself when it checks there.
 */
import { LineCounter, parseDocument } from 'yaml';

/** Where `targets.<name>.account`'s value starts, 1-based, as the yaml parser's node range gives it. */
export type Position = { line: number; column: number };

/**
 * The account values' positions read from the lines, for the block style deploy.yml files are
 * written in: a full parse of a 5,000-line file on the main thread is the long task this avoids.
 * Undefined whenever the layout is anything else (flow style, anchors, quoted keys, a name not
 * found): the caller then parses, so the line:column is always the parser's.
 */
function accountPositionsByLines(yaml: string, names: string[]): Map<string, Position> | undefined {
  const lines = yaml.split('\n');
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const content = (l: string) => /^\s*[^\s#]/.test(l);
  const start = lines.findIndex((l) => /^targets:\s*(#.*)?$/.test(l));
  if (start < 0) return undefined;
  const found = new Map<string, Position>();
  let targetIndent = -1;
  let current: string | undefined;
  let childIndent = -1;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i].replace(/\r$/, '');
    if (!content(l)) continue;
    const indent = indentOf(l);
    if (indent === 0) break;
    if (targetIndent < 0) targetIndent = indent;
    if (indent < targetIndent) return undefined;
    if (indent === targetIndent) {
      const key = /^\s*([A-Za-z0-9_.-]+):\s*(#.*)?$/.exec(l);
      if (!key) return undefined;
      current = key[1];
      childIndent = -1;
      continue;
    }
    if (childIndent < 0) childIndent = indent;
    if (indent !== childIndent || current === undefined) continue;
    const account = /^(\s*)account:(\s+)(\S)/.exec(l);
    if (account && !/^[&*!|>[{]/.test(account[3])) {
      if (found.has(current)) return undefined;
      found.set(current, { line: i + 1, column: account[1].length + 'account:'.length + account[2].length + 1 });
    }
  }
  return names.every((n) => found.has(n)) ? found : undefined;
}

function accountPositionsByParsing(yaml: string, names: string[]): Map<string, Position> {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lines });
  const found = new Map<string, Position>();
  for (const name of names) {
    const node = doc.getIn(['targets', name, 'account'], true) as { range?: [number, number, number] } | undefined;
    if (!node?.range) continue;
    const pos = lines.linePos(node.range[0]);
    found.set(name, { line: pos.line, column: pos.col });
  }
  return found;
}

/** The positions of `names`' accounts: from the lines when the layout allows it, else from a parse. */
export function accountPositions(yaml: string, names: string[]): Map<string, Position> {
  return accountPositionsByLines(yaml, names) ?? accountPositionsByParsing(yaml, names);
}

/** Exposed for the test that holds the line reading to the parser's answer. */
export const accountPositionsForTest = { byLines: accountPositionsByLines, byParsing: accountPositionsByParsing };
