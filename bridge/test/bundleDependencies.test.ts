/**
 * bridge/package.json declares exactly the packages its bundle pulls in: esbuild's metafile says
 * which packages the bridge's own code and the contract import, and the two lists must agree both
 * ways, so an undeclared import fails here rather than in an admin's image build, and a package
 * nothing imports any more does not linger in the image's lockfile.
 */
import { readFileSync } from 'node:fs';

import { build } from 'esbuild';

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** The packages first-party files (bridge/src, contract/src, plugin-manifest) import, with one importer each. */
async function importedPackages(): Promise<Map<string, string>> {
  // The same entry and platform as `npm run build:bridge` and the Dockerfile.
  const result = await build({
    entryPoints: ['bridge/src/main.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    metafile: true,
    outfile: 'main.cjs',
    logLevel: 'silent',
  });
  const used = new Map<string, string>();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    if (file.includes('node_modules/')) continue;
    for (const imp of input.imports) {
      if (imp.external || !imp.original || imp.original.startsWith('.') || imp.original.startsWith('node:')) continue;
      const name = packageOf(imp.original);
      // The contract and plugin-manifest (preflight's release and config checks) are first-party:
      // the Dockerfile copies them in, npm does not install them.
      if (name === '@cdaas/contract' || name === '@cdaas/plugin-manifest') continue;
      if (!used.has(name)) used.set(name, file);
    }
  }
  return used;
}

describe("the bridge's declared dependencies", () => {
  it('are exactly the packages its bundle imports', async () => {
    const declared = Object.keys((JSON.parse(readFileSync('bridge/package.json', 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {});
    const used = await importedPackages();
    expect(used.size).toBeGreaterThan(0);
    const missing = [...used].filter(([name]) => !declared.includes(name)).map(([name, by]) => `${name} (imported by ${by})`);
    const unused = declared.filter((name) => !used.has(name));
    expect({ 'imported but not in bridge/package.json dependencies': missing, 'declared but not imported': unused }).toEqual({
      'imported but not in bridge/package.json dependencies': [],
      'declared but not imported': [],
    });
  });

  it('are the ones bridge/package-lock.json pins, for `npm ci` in the image', () => {
    const pkg = JSON.parse(readFileSync('bridge/package.json', 'utf8')) as { dependencies: Record<string, string> };
    const lock = JSON.parse(readFileSync('bridge/package-lock.json', 'utf8')) as { packages: Record<string, { dependencies?: Record<string, string> }> };
    expect(lock.packages['']?.dependencies).toEqual(pkg.dependencies);
  });
});
