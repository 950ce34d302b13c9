/**
 * `npm run verify-manifest -- <repositories.json or plugins.json URL or file> [--version X] [--id Id]`
 * Prints each step, then the plugin-manifest.json entry Deck will get. Exit 0 when Gate would serve
 * the plugin; otherwise a message and an exit code per kind of failure (see EXIT).
 */
import { parseArgs } from 'node:util';

import { loadPluginInfo } from '../core/pluginInfo';
import { toUrl } from './fetchResource';
import { sharedLibraryGlobals } from './loadDeckModule';
import { EXIT, VerifyError, verifyManifest } from './verifyManifest';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.filter((a) => a !== '--'),
      allowPositionals: true,
      options: { version: { type: 'string' }, id: { type: 'string' } },
    });
  } catch (e) {
    console.error(`verify-manifest: ${(e as Error).message}`);
    return EXIT.usage;
  }
  if (parsed.positionals.length !== 1) {
    console.error('usage: npm run verify-manifest -- <repositories.json URL or file> [--version <pinned version>] [--id <plugin id>]');
    return EXIT.usage;
  }
  try {
    const result = await verifyManifest({
      source: toUrl(parsed.positionals[0]),
      pluginId: parsed.values.id ?? loadPluginInfo().id,
      version: parsed.values.version,
      sharedLibraryGlobals: await sharedLibraryGlobals(),
      log: (line) => console.log(`ok  ${line}`),
    });
    console.log('plugin-manifest.json entry Deck gets from Gate (Deck prefixes url with its gateUrl):');
    console.log(JSON.stringify(result.entry));
    return 0;
  } catch (e) {
    if (e instanceof VerifyError) {
      console.error(`verify-manifest: ${e.kind}: ${e.message}`);
      return e.exitCode;
    }
    console.error(`verify-manifest: ${(e as Error).stack ?? e}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
