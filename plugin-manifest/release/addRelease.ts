/**
 * `npm run release -- <version>`: records a packaged bundle in plugin-manifest/plugins.json.
 *
 * The version is defined once, in package.json: this refuses any other version rather than bumping
 * package.json itself. To release, bump with `npm version <x>` (commits and tags v<x>), push the
 * tag, and the release workflow packages, records and publishes that exact commit.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { bundleFileName, type PluginInfo, releaseAssetUrl } from '../core/pluginInfo';
import {
  describeIssues,
  formatJson,
  type PluginEntry,
  type PluginRelease,
  type PluginsJson,
  pluginsJsonSchema,
} from '../core/pluginsJson';
import { compareVersionStrings, semverProblem } from '../core/semver';
import { type PluginInfoFile, sha512Hex, writeAtomically } from '../package/packageBundle';

export class ReleaseError extends Error {}

/**
 * Adds `release` to the plugin's entry: releases ordered oldest to newest by semver, `preferred`
 * on the newest only (the one Gate picks when no version is pinned), description and provider
 * taken from package.json. Refuses a version that is already there. Returns a new array.
 */
export function insertRelease(pluginsJson: PluginsJson, info: PluginInfo, release: PluginRelease): PluginsJson {
  const problem = semverProblem(release.version);
  if (problem) throw new ReleaseError(`refusing to release: ${problem}`);
  const existing = pluginsJson.find((p) => p.id === info.id);
  const duplicate = existing?.releases.find((r) => r.version === release.version);
  if (duplicate) {
    throw new ReleaseError(
      `refusing to release ${release.version}: plugins.json already has ${info.id} ${release.version} ` +
        `(released ${duplicate.date}); a published version never changes, bump the version instead`,
    );
  }
  const releases = [...(existing?.releases ?? []), release]
    .sort((a, b) => compareVersionStrings(a.version, b.version))
    .map((r, i, all) => ({ ...r, preferred: i === all.length - 1 }));
  const entry: PluginEntry = {
    ...(existing ?? {}),
    id: info.id,
    description: info.description,
    provider: info.provider,
    releases,
  };
  return existing ? pluginsJson.map((p) => (p === existing ? entry : p)) : [...pluginsJson, entry];
}

export function readPluginsJson(path: string): PluginsJson {
  if (!existsSync(path)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ReleaseError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = pluginsJsonSchema.safeParse(raw);
  if (!parsed.success) throw new ReleaseError(`${path} is not a valid plugins.json:\n  ${describeIssues('plugins.json', parsed.error.issues).join('\n  ')}`);
  return parsed.data;
}

export interface AddReleaseOptions {
  info: PluginInfo;
  version: string;
  /** Where `npm run package` wrote the bundle and plugin-info.json (build/release). */
  releaseDir: string;
  pluginsJsonPath: string;
  /** The download URL recorded in plugins.json; defaults to the GitHub release asset. */
  assetUrl?: string;
}

export interface AddReleaseResult {
  release: PluginRelease;
  bundlePath: string;
  sha512Path: string;
  pluginsJson: PluginsJson;
}

export function addRelease(options: AddReleaseOptions): AddReleaseResult {
  const { info, version, releaseDir, pluginsJsonPath } = options;
  const problem = semverProblem(version);
  if (problem) throw new ReleaseError(`refusing to release: ${problem}`);
  if (version !== info.version) {
    throw new ReleaseError(
      `refusing to release ${version}: package.json's version is ${info.version}, and the version is defined ` +
        `only there. Bump it with \`npm version ${version}\` (which commits and tags v${version}), then push the tag.`,
    );
  }
  const bundlePath = join(releaseDir, bundleFileName(info, version));
  const sha512Path = `${bundlePath}.sha512`;
  if (!existsSync(bundlePath)) throw new ReleaseError(`${bundlePath} is missing: run \`npm run package\` first`);
  const sha512sum = sha512Hex(new Uint8Array(readFileSync(bundlePath)));
  const pluginInfoPath = join(releaseDir, 'plugin-info.json');
  let pluginInfo: PluginInfoFile;
  try {
    pluginInfo = JSON.parse(readFileSync(pluginInfoPath, 'utf8')) as PluginInfoFile;
  } catch (e) {
    throw new ReleaseError(`${pluginInfoPath} is unreadable (${(e as Error).message}): run \`npm run package\` again`);
  }
  if (pluginInfo.version !== version || pluginInfo.sha512sum !== sha512sum || pluginInfo.id !== info.id) {
    throw new ReleaseError(`${pluginInfoPath} does not describe ${bundlePath} (stale build?): run \`npm run package\` again`);
  }
  const release: PluginRelease = {
    version,
    date: pluginInfo.date,
    requires: info.requires,
    sha512sum,
    preferred: false,
    compatibility: [],
    url: options.assetUrl ?? releaseAssetUrl(info, version),
  };
  const pluginsJson = insertRelease(readPluginsJson(pluginsJsonPath), info, release);
  writeAtomically(pluginsJsonPath, formatJson(pluginsJson));
  return { release, bundlePath, sha512Path, pluginsJson };
}

/** Outputs for the next workflow steps, when running in GitHub Actions. */
export function writeGithubOutputs(result: AddReleaseResult, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  appendFileSync(
    file,
    `tag=v${result.release.version}\nbundle=${result.bundlePath}\nsha512_file=${result.sha512Path}\nsha512=${result.release.sha512sum}\n`,
  );
}
