import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { boundaryViolations } from './support/boundaries';

describe('package boundaries', () => {
  it('hold in this repository: no product file imports test code or crosses packages with ../', () => {
    expect(boundaryViolations(process.cwd())).toEqual([]);
  });

  it('name each violation, and let tests import what they exercise', () => {
    const root = mkdtempSync(join(tmpdir(), 'boundaries-'));
    const write = (rel: string, text: string) => {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    try {
      write('bridge/src/a.ts', "import { x } from '../../contract/src/x';\nexport const a = x;\n");
      write('sandbox/runner/b.ts', "import { play } from '../../bridge/test/player';\n");
      write('sandbox/lib/c.ts', "export { h } from '../test/helpers';\nconst later = () => import('./test/kit');\n");
      write('bridge/test/ok.test.ts', "import { a } from '../src/a';\nimport { s } from '../../sandbox/lib/c';\n");
      write('test/e2e/ok.ts', "import { start } from '../../sandbox/start';\n");
      write('contract/src/fine.ts', "import { y } from './y';\n");
      expect(boundaryViolations(root)).toEqual([
        'bridge/src/a.ts -> ../../contract/src/x: a ../ import into another package (contract); import it by package name',
        'sandbox/lib/c.ts -> ../test/helpers: product code imports test code',
        'sandbox/lib/c.ts -> ./test/kit: product code imports test code',
        'sandbox/runner/b.ts -> ../../bridge/test/player: a ../ import into another package (bridge); import it by package name',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
