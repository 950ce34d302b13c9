import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { generateDeployYaml } from '../../../test/support/largeDeployYaml';
import { DeployYamlChecker } from './incremental';
import { validateDeployYaml } from './validate';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** A small deterministic generator, so a failing edit sequence can be replayed. */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s % n;
  };
}

const LETTERS = 'abcdefgxyz0123456789';
const YAML_CHARS = ' :-#\n"\'|>{}[]&*!?,%\t\r';

/** One edit of the kinds typing makes: a character in or out, a line copied, dropped or re-indented. */
function edit(text: string, r: (n: number) => number): string {
  const at = r(text.length + 1);
  const lines = text.split('\n');
  const line = r(lines.length);
  switch (r(7)) {
    case 0:
    case 1:
      return text.slice(0, at) + LETTERS[r(LETTERS.length)] + text.slice(at);
    case 2: {
      // Half at a line's first character, where pieces are cut.
      const where = r(2) ? at : lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
      return text.slice(0, where) + YAML_CHARS[r(YAML_CHARS.length)] + text.slice(where);
    }
    case 3:
      return text.slice(0, at) + text.slice(at + 1 + r(3));
    case 4:
      lines.splice(line, 0, lines[r(lines.length)]);
      return lines.join('\n');
    case 5:
      lines.splice(line, 1);
      return lines.join('\n');
    default:
      lines[line] = r(2) ? `  ${lines[line]}` : lines[line].replace(/^ {1,2}/, '');
      return lines.join('\n');
  }
}

describe('DeployYamlChecker', () => {
  it('gives validateDeployYaml’s answer, problems and positions included, over random edits of real-shaped files', () => {
    // The guard for the whole approach: any text a piece alone reads differently must either be
    // read the same or be parsed whole. Half the edits keep the file valid or near it (letters).
    const bases = [generateDeployYaml(400), fixture('potato-facts.deploy.yml'), fixture('potato-facts-broken.deploy.yml')];
    const r = random(20261201);
    const checker = new DeployYamlChecker();
    let checks = 0;
    let inPieces = 0;
    for (const base of bases) {
      let text = base;
      for (let i = 0; i < 300; i++) {
        text = i % 8 === 0 ? base : edit(text, r);
        const ours = checker.validate(text, { fromArtifact: i % 2 === 1 });
        expect(ours, `edit ${i} of a ${base.length}-character file`).toStrictEqual(validateDeployYaml(text, { fromArtifact: i % 2 === 1 }));
        checks++;
        if (checker.stats.parse === 'pieces') inPieces++;
      }
    }
    // Not a pass by always parsing the whole text: a good share of the checks went by pieces.
    expect(inPieces / checks).toBeGreaterThan(0.25);
  }, 120_000); // 900 edits, each checked both ways: 10 s here, more on a loaded machine

  it('parses again only the piece a keystroke changed, in a 5,000-line file', () => {
    const text = generateDeployYaml();
    const checker = new DeployYamlChecker();
    checker.validate(text);
    expect(checker.stats.parse).toBe('pieces');
    const pieces = checker.stats.pieces;
    expect(pieces).toBeGreaterThan(500);

    // In the first line's comment: every piece after it moves by one character.
    const inComment = text.replace('benchmark:', 'benchmark:x');
    expect(checker.validate(inComment)).toStrictEqual(validateDeployYaml(inComment));
    expect(checker.stats).toEqual({ parse: 'pieces', parsedPieces: 1, pieces });

    // Inside one target, deep in `targets:`.
    const inTarget = inComment.replace('namespace: svc-40\n', 'namespace: svc-40x\n');
    expect(checker.validate(inTarget)).toStrictEqual(validateDeployYaml(inTarget));
    expect(checker.stats).toEqual({ parse: 'pieces', parsedPieces: 1, pieces });
  });

  it('reports a kept piece’s problems at the line it moved to (regression guard: positions of pieces kept from the last text)', () => {
    const base = fixture('potato-facts.deploy.yml').replace(/strategy: (\S+)/, 'strategy: $1-typo');
    const checker = new DeployYamlChecker();
    const before = checker.validate(base).problems.find((p) => p.message.includes('-typo'));
    expect(before).toBeDefined();
    const moved = `# two lines\n# added above\n${base}`;
    const after = checker.validate(moved);
    expect(checker.stats.parse).toBe('pieces');
    expect(checker.stats.parsedPieces).toBe(1);
    expect(after.problems.find((p) => p.message.includes('-typo'))).toEqual({ ...before, line: before!.line! + 2 });
    expect(after).toStrictEqual(validateDeployYaml(moved));
  });

  it.each([
    ['a key given twice in one map, in two pieces', (t: string) => `${t}\nkind: kubernetes\n`, /Map keys must be unique/],
    ['an alias of an anchor in another piece', (t: string) => t.replace('kind: kubernetes', 'kind: &k kubernetes').replace(/^application: (.*)$/m, 'application: *k'), undefined],
    ['an explicit key (`?` and `:` lines)', (t: string) => `${t}\n? extra\n: value\n`, undefined],
    ['a document marker', (t: string) => `---\n${t}`, undefined],
    ['a merge key', (t: string) => `${t}\ndefaults: &d {a: 1}\nother:\n  <<: *d\n`, undefined],
    ['a tab where an entry would start', (t: string) => t.replace('\nkind:', '\n\tkind:'), /Tabs are not allowed|syntax error/],
  ])('parses the whole text where pieces could read it differently: %s', (_name, change, expected) => {
    const checker = new DeployYamlChecker();
    const base = fixture('potato-facts.deploy.yml');
    checker.validate(base);
    const text = change(base);
    const ours = checker.validate(text);
    expect(checker.stats.parse).toBe('whole');
    expect(ours).toStrictEqual(validateDeployYaml(text));
    if (expected) expect(ours.problems.map((p) => p.message).join('\n')).toMatch(expected);
  });
});
