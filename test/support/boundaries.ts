/**
 * The project's package boundaries, checked over the source tree: (1) no product file reaches into
 * another top-level package with a `../` import (shared code goes by package name: @cdaas/contract,
 * @cdaas/bridge, @cdaas/plugin-manifest); (2) no product file imports test code. Test code is a
 * `*.test.*` file, a testkit, or anything in a test/, fixtures/ or bench/ folder (the top-level
 * test/ included); those may import whatever they exercise.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const TOP_LEVEL_PACKAGES = ['contract', 'deck-plugin', 'bridge', 'plugin-manifest', 'sandbox', 'test'] as const;

export function isTestCode(rel: string): boolean {
  const p = rel.split(sep).join('/');
  return /\.test\.[cm]?[jt]sx?$/.test(p) || /(^|\/)testkit\.[cm]?[jt]s$/.test(p) || /(^|\/)(test|tests|__tests__|fixtures|bench)\//.test(p);
}

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'build' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every violation, as `file -> import: why`; empty when the tree keeps both rules. */
export function boundaryViolations(root: string): string[] {
  const found: string[] = [];
  for (const top of TOP_LEVEL_PACKAGES) {
    if (!existsSync(join(root, top))) continue;
    for (const file of sources(join(root, top))) {
      const rel = relative(root, file);
      if (isTestCode(rel)) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const spec = m[1]!;
        const target = relative(root, resolve(dirname(file), spec));
        const targetTop = target.split(sep)[0];
        if (targetTop !== top) found.push(`${rel} -> ${spec}: a ../ import into another package (${targetTop}); import it by package name`);
        else if (isTestCode(target)) found.push(`${rel} -> ${spec}: product code imports test code`);
      }
    }
  }
  return found;
}
