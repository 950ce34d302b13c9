/**
 * `npm run release -- <version>`: see addRelease.ts. `--release-dir` and `--plugins-json` point
 * elsewhere (tests); the workflow uses the defaults.
 */
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { loadPluginInfo, MANIFEST_DIR, repoRoot } from '../core/pluginInfo';
import { addRelease, writeGithubOutputs } from './addRelease';

function main(argv: string[]): number {
  const root = repoRoot();
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.filter((a) => a !== '--'),
      allowPositionals: true,
      options: { 'release-dir': { type: 'string' }, 'plugins-json': { type: 'string' } },
    });
  } catch (e) {
    console.error(`release: ${(e as Error).message}`);
    return 2;
  }
  if (parsed.positionals.length !== 1) {
    console.error('usage: npm run release -- <version>   (the version in package.json, e.g. 1.2.3)');
    return 2;
  }
  const version = parsed.positionals[0];
  try {
    const pluginsJsonPath = resolve(parsed.values['plugins-json'] ?? join(root, MANIFEST_DIR, 'plugins.json'));
    const result = addRelease({
      info: loadPluginInfo(root),
      version,
      releaseDir: resolve(parsed.values['release-dir'] ?? join(root, 'build', 'release')),
      pluginsJsonPath,
    });
    writeGithubOutputs(result);
    console.log(`added ${version} to ${relative(process.cwd(), pluginsJsonPath)}`);
    console.log(`url     ${result.release.url}`);
    console.log(`sha512  ${result.release.sha512sum}`);
    console.log(`bundle  ${relative(process.cwd(), result.bundlePath)}`);
    return 0;
  } catch (e) {
    console.error(`release: ${(e as Error).message}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
