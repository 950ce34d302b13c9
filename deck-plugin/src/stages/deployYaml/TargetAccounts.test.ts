/**
 * The account warnings' line:column are read from the lines for block-style files (a main-thread
 * parse of a 5,000-line file is the long task the YAML form avoids): the reading must give the
 * parser's positions, and give up (so the parser answers) on any layout it does not know.
 */
import { accountPositionsForTest } from './background/accountPositions';

const { byLines, byParsing } = accountPositionsForTest;

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
    const read = byLines(text, names);
    const parsed = byParsing(text, names);
    for (const name of names) expect(read?.get(name)).toEqual(parsed.get(name));
    expect(read?.get('prod')).toEqual({ line: 8, column: 14 });
    expect(read?.get('qa')).toEqual({ line: 15, column: 14 });
  });

  it('gives up on layouts it does not read, so the parser answers', () => {
    // A quoted key, a flow mapping, an anchor, a value on the next line: each is left to the parser.
    expect(byLines(BLOCK, ['staging'])).toBeUndefined();
    expect(byLines('targets: { prod: { account: a } }\n', ['prod'])).toBeUndefined();
    expect(byLines('targets:\n  prod:\n    account: &a prod\n', ['prod'])).toBeUndefined();
    expect(byLines('targets:\n  prod:\n    account:\n      prod\n', ['prod'])).toBeUndefined();
    expect(byParsing('targets:\n  prod:\n    account:\n      prod\n', ['prod']).get('prod')).toEqual({ line: 4, column: 7 });
  });
});
