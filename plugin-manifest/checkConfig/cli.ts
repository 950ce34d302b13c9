/**
 * `npm run check-config -- <files...> [--plugins-json <file>]`
 * Files: spinnaker-local.yml, gate-local.yml, orca-local.yml, settings-local.js, or a SpinnakerService
 * manifest (or `gate=<file>` to name the service). `--plugins-json` takes a file or URL (default: this
 * checkout's plugin-manifest/plugins.json). Prints one line per problem, with file:line:col,
 * the key, and the fix; exits 1 when anything is wrong (warnings alone exit 0).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { defaultReadUrl } from '../core/bridgeDefaults';
import { loadPluginInfo, MANIFEST_DIR, repoRoot } from '../core/pluginInfo';
import { describeIssues, pluginsJsonSchema } from '../core/pluginsJson';
import { fetchBytes, toUrl } from '../verify/fetchResource';
import { checkConfig, formatFinding } from './checkConfig';
import { loadSources } from './sources';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv.filter((a) => a !== '--'), allowPositionals: true, options: { 'plugins-json': { type: 'string' } } });
  } catch (e) {
    console.error(`check-config: ${(e as Error).message}`);
    return 2;
  }
  if (parsed.positionals.length === 0) {
    console.error('usage: npm run check-config -- <spinnaker-local.yml|gate-local.yml|orca-local.yml|settings-local.js|SpinnakerService manifest>... [--plugins-json <file>]');
    return 2;
  }
  const info = loadPluginInfo();
  // The versions a pin may name: this checkout's plugins.json, or the published one (--plugins-json <url>).
  const pluginsJsonPath = parsed.values['plugins-json'] ?? join(repoRoot(), MANIFEST_DIR, 'plugins.json');
  let releases: { version: string; requires: string }[];
  try {
    const bytes = await fetchBytes(toUrl(pluginsJsonPath), { maxBytes: 8 * 1024 * 1024 });
    const json = pluginsJsonSchema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    if (!json.success) {
      console.error(`check-config: ${pluginsJsonPath} is not a valid plugins.json:\n  ${describeIssues('plugins.json', json.error.issues).join('\n  ')}`);
      return 2;
    }
    releases = json.data.find((p) => p.id === info.id)?.releases ?? [];
  } catch (e) {
    console.error(`check-config: cannot read ${pluginsJsonPath}: ${(e as Error).message}`);
    return 2;
  }
  const findings = checkConfig(loadSources(parsed.positionals), { info, releases, defaultReadUrl: defaultReadUrl() });
  for (const f of findings) console.log(formatFinding(f));
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  console.log(errors ? `${errors} problem(s), ${warnings} warning(s)` : `no problems${warnings ? `, ${warnings} warning(s)` : ''} in ${parsed.positionals.length} file(s)`);
  return errors ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
