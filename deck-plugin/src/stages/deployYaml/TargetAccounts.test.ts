/**
 * The account warnings' line:column come with the check (the validator's own document, so no
 * second parse of a 5,000-line file on the main thread): they must be the parser's positions for
 * every layout, block or not.
 */
import { validateDeployYaml } from '@cdaas/contract/deployYaml';
import { LineCounter, parseDocument } from 'yaml';

const byChecking = (text: string) => validateDeployYaml(text).accountPositions;

/** The parser's own answer, node by node, which the check's positions are held to. */
function byParsing(yaml: string, names: string[]): Map<string, { line: number; column: number }> {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lines });
  const found = new Map<string, { line: number; column: number }>();
  for (const name of names) {
    const node = doc.getIn(['targets', name, 'account'], true) as { range?: [number, number, number] } | undefined;
    if (!node?.range) continue;
    const pos = lines.linePos(node.range[0]);
    found.set(name, { line: pos.line, column: pos.col });
  }
  return found;
}

const BLOCK = `# a comment with account: nowhere
version: v1
kind: kubernetes
targets:
  prod:
    # account: commented out
    namespace: potato
    account: prod-us-west-2   # a trailing comment
    strategy: canary
  "staging":
    account: staging
  qa:
    constraints:
      account: not-this-one
    account: 'qa-cluster'
strategies: {}
`;

describe('account positions', () => {
  it('reads the parser’s line:column for block-style targets, comments and quotes included', () => {
    const text = BLOCK.replace('  "staging":', '  staging:');
    const names = ['prod', 'staging', 'qa'];
    const read = byChecking(text);
    const parsed = byParsing(text, names);
    for (const name of names) expect(read?.get(name)).toEqual(parsed.get(name));
    expect(read?.get('prod')).toEqual({ line: 8, column: 14 });
    expect(read?.get('qa')).toEqual({ line: 15, column: 14 });
  });

  it('gives the parser’s line:column for the other layouts too', () => {
    // A quoted key, a flow mapping, an anchor, a value on the next line.
    const cases: Array<[string, string]> = [
      [BLOCK, 'staging'],
      ['targets: { prod: { account: a } }\n', 'prod'],
      ['targets:\n  prod:\n    account: &a prod\n', 'prod'],
      ['targets:\n  prod:\n    account:\n      prod\n', 'prod'],
    ];
    for (const [text, name] of cases) {
      expect(byChecking(text).get(name)).toBeDefined();
      expect(byChecking(text).get(name)).toEqual(byParsing(text, [name]).get(name));
    }
    expect(byParsing('targets:\n  prod:\n    account:\n      prod\n', ['prod']).get('prod')).toEqual({ line: 4, column: 7 });
  });
});
