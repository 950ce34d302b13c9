/**
 * `npm run docs:admin`: writes docs/admin-guide.md and docs/examples/*. With `--check`, writes
 * nothing and exits 1 when a committed file differs from what would be generated.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { loadPluginInfo, repoRoot } from '../core/pluginInfo';
import { generatedDocs } from './generated';

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const root = repoRoot();
  const files = generatedDocs(loadPluginInfo(root));
  const stale: string[] = [];
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, rel);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === text) continue;
    if (check) {
      stale.push(rel);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      console.log(`wrote ${rel}`);
    }
  }
  if (stale.length) {
    console.error(`docs:admin: out of date: ${stale.join(', ')}; run \`npm run docs:admin\``);
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
