/**
 * `npm run package` (= `npm run build` then this): writes build/release/<name>-<version>.zip, its
 * .sha512 and plugin-info.json, and prints the SHA-512. `--dist` and `--out` point elsewhere (tests).
 */
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { loadPluginInfo, repoRoot } from '../core/pluginInfo';
import { packageBundle } from './packageBundle';

function main(argv: string[]): number {
  const root = repoRoot();
  try {
    const { values } = parseArgs({
      args: argv.filter((a) => a !== '--'),
      options: { dist: { type: 'string' }, out: { type: 'string' } },
    });
    const result = packageBundle({
      info: loadPluginInfo(root),
      distDir: values.dist ? resolve(values.dist) : join(root, 'build', 'dist'),
      outDir: values.out ? resolve(values.out) : join(root, 'build', 'release'),
    });
    console.log(`bundle  ${relative(process.cwd(), result.bundlePath)}`);
    console.log(`sha512  ${result.sha512}`);
    console.log(`info    ${relative(process.cwd(), result.pluginInfoPath)}`);
    return 0;
  } catch (e) {
    console.error(`package: ${(e as Error).message}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
