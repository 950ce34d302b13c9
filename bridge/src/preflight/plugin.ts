/**
 * The plugin repository and the Spinnaker side, by reusing the release tooling's own steps:
 * `fetchVerifiedRelease` (verify-manifest's first half: repositories.json -> plugins.json -> the
 * pinned or newest release -> download -> SHA-512) and `checkConfig` (check-config).
 */
import type { CheckResult } from '@cdaas/contract/preflight';
import { checkConfig } from '@cdaas/plugin-manifest/checkConfig';
import { type FetchedRelease, VerifyError, fetchVerifiedRelease } from '@cdaas/plugin-manifest/fetchRelease';
import { type PluginInfo, loadPluginInfo, rawManifestUrl } from '@cdaas/plugin-manifest/pluginInfo';
import { loadSources } from '@cdaas/plugin-manifest/sources';
import type { BridgeConfig } from '../config/config';
import { type CheckMeta, result, skipped, withTimeout } from './checks';

/**
 * This plugin's identity from the checkout's package.json (where it is defined), or undefined when
 * preflight runs from the image, which carries no package.json: then the config names it.
 */
export function checkoutPluginInfo(): PluginInfo | undefined {
  try {
    return loadPluginInfo();
  } catch {
    return undefined;
  }
}

export interface PluginTarget {
  repositoryUrl?: string;
  pluginId?: string;
  version?: string;
}

export function pluginTarget(config: BridgeConfig, info: PluginInfo | undefined): PluginTarget {
  return {
    repositoryUrl: config.preflight.pluginRepositoryUrl ?? (info ? rawManifestUrl(info, 'repositories.json') : undefined),
    pluginId: config.preflight.pluginId ?? info?.id,
    version: config.preflight.pluginVersion,
  };
}

const FIX: Record<VerifyError['kind'], string> = {
  usage: 'correct the plugin repository setting',
  download: 'Gate must download this URL at startup: open egress from Spinnaker to its host, or correct spinnaker.extensibility.repositories.<id>.url (and preflight.pluginRepositoryUrl)',
  manifest: 'publish a valid repositories.json / plugins.json (npm run release writes them) at the configured URL',
  release: 'pin a version that plugins.json lists (deck-proxy.plugins.<id>.version), or publish the release with npm run release',
  checksum: 'the bundle does not match plugins.json: re-upload the release asset built for this sha512sum, or run npm run release again and publish plugins.json',
  bundle: 'rebuild the bundle with npm run package',
  module: 'rebuild the bundle with npm run package',
};

export async function checkPluginRepository(target: PluginTarget, timeoutMs: number): Promise<{ checks: CheckResult[]; fetched?: FetchedRelease }> {
  const manifest: CheckMeta = { id: 'plugin:manifest', group: 'plugin', requirement: 'repositories.json and plugins.json are reachable and list the plugin', target: target.repositoryUrl };
  const bundle: CheckMeta = {
    id: 'plugin:bundle',
    group: 'plugin',
    requirement: `The ${target.version ? `pinned release ${target.version}` : 'newest release'} is present and its bundle matches its SHA-512`,
    target: target.pluginId,
  };
  if (!target.repositoryUrl || !target.pluginId) {
    const why = 'not checked: set preflight.pluginRepositoryUrl and preflight.pluginId (env PREFLIGHT_PLUGIN_REPOSITORY_URL, PREFLIGHT_PLUGIN_ID)';
    return { checks: [skipped(manifest, why), skipped(bundle, why)] };
  }
  const steps: string[] = [];
  const started = performance.now();
  try {
    const fetched = await withTimeout(
      fetchVerifiedRelease({ source: new URL(target.repositoryUrl), pluginId: target.pluginId, version: target.version, timeoutMs, log: (l) => steps.push(l) }),
      // Three downloads in a row, each bounded by timeoutMs.
      timeoutMs * 2,
    );
    const ms = performance.now() - started;
    return {
      fetched,
      checks: [
        result(manifest, { state: 'pass', detail: steps.filter((s) => s.startsWith('read ')).join('; ') }, ms),
        result(bundle, { state: 'pass', detail: `release ${fetched.release.version}: ${fetched.bundle.length} bytes from ${fetched.bundleUrl.href}, SHA-512 matches` }, ms),
      ],
    };
  } catch (err) {
    const ms = performance.now() - started;
    const message = err instanceof Error ? err.message : String(err);
    // The log says how far it got: a release line means repositories.json and plugins.json were read.
    const pastManifest =
      steps.some((s) => s.startsWith('release ')) || (err instanceof VerifyError && err.kind === 'release' && !err.message.startsWith('no repository lists'));
    const fix = err instanceof VerifyError ? FIX[err.kind] : `the plugin repository check failed: ${message}`;
    return {
      checks: pastManifest
        ? [result(manifest, { state: 'pass', detail: steps.filter((s) => s.startsWith('read ')).join('; ') }, ms), result(bundle, { state: 'fail', detail: message, fix }, ms)]
        : [result(manifest, { state: 'fail', detail: message, fix }, ms), skipped(bundle, 'not checked: the manifest step failed')],
    };
  }
}

/** check-config's findings on the given Spinnaker files, one row each (errors fail, warnings warn). */
export function checkSpinnaker(files: string[], info: PluginInfo | undefined, readUrl: string, releases: { version: string; requires: string }[]): CheckResult[] {
  const meta: CheckMeta = { id: 'spinnaker:config', group: 'spinnaker', requirement: "Spinnaker's config has the cdaas proxy, the plugin and Orca's URL restrictions right", target: files.join(', ') };
  if (!files.length) return [skipped(meta, 'not checked: no Spinnaker config given (--spinnaker-config <file>, or preflight.spinnakerConfigFiles)')];
  if (!info) return [skipped(meta, "not checked: the plugin's identity is unknown here; run npx cdaas-preflight from a checkout of the plugin repository")];
  const started = performance.now();
  const findings = checkConfig(loadSources(files), { info, releases, defaultReadUrl: readUrl });
  const ms = performance.now() - started;
  if (!findings.length) return [result(meta, { state: 'pass', detail: `no problems in ${files.length} file(s)` }, ms)];
  return findings.map((f, i) => {
    const where = f.pos ? `${f.file}:${f.pos.line}:${f.pos.col}` : f.file;
    // check-config's messages name the key and say what to change: that is the fix.
    return result(
      { ...meta, id: `spinnaker:config:${i + 1}`, target: where },
      { state: f.severity === 'error' ? 'fail' : 'warn', detail: f.message.split(': ')[0]!, fix: f.message },
      ms,
    );
  });
}
