/**
 * The plugin's identity, read from package.json (the one place it is defined): `spinnakerPlugin`
 * holds id, provider, description, GitHub repository and `requires`; `version` is the version.
 * Everything else (bundle name, raw manifest URLs, release asset URLs, admin snippets) derives
 * from this.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

import { parseRequires } from './requires';
import { semverProblem } from './semver';

/** kork's canonical plugin id: `<namespace>.<name>`. */
export const PLUGIN_ID = /^[\w-]+\.[\w-]+$/;

const packageJsonSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'an unscoped npm package name (it names the bundle zip)'),
  version: z.string().superRefine((v, ctx) => {
    const problem = semverProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  spinnakerPlugin: z.object({
    id: z.string().regex(PLUGIN_ID, 'kork wants <namespace>.<name>, e.g. Armory.CDaaSSpinnaker'),
    provider: z.string().min(1),
    description: z.string().min(1),
    githubRepository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, '<owner>/<repository>'),
    requires: z.string().superRefine((v, ctx) => {
      const parsed = parseRequires(v);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
    }),
  }),
});

export interface PluginInfo {
  /** package.json `name`: names the bundle, `<name>-<version>.zip`. */
  name: string;
  version: string;
  id: string;
  provider: string;
  description: string;
  /** `<owner>/<repository>` on GitHub. */
  githubRepository: string;
  requires: string;
}

export class PluginInfoError extends Error {}

/** The repository root (this file is plugin-manifest/core/pluginInfo.ts). */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function loadPluginInfo(root: string = repoRoot()): PluginInfo {
  const file = join(root, 'package.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PluginInfoError(`${file}: ${(e as Error).message}`);
  }
  const parsed = packageJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new PluginInfoError(`${file} does not define the plugin:\n${lines.join('\n')}`);
  }
  const { name, version, spinnakerPlugin: p } = parsed.data;
  return { name, version, ...p };
}

/** Where the manifest files live in the repository, and the branch Spinnaker reads them from. */
export const MANIFEST_DIR = 'plugin-manifest';
export const MANIFEST_BRANCH = 'main';

export function bundleFileName(info: Pick<PluginInfo, 'name'>, version: string): string {
  return `${info.name}-${version}.zip`;
}

export function rawManifestUrl(info: Pick<PluginInfo, 'githubRepository'>, file: 'plugins.json' | 'repositories.json'): string {
  return `https://raw.githubusercontent.com/${info.githubRepository}/${MANIFEST_BRANCH}/${MANIFEST_DIR}/${file}`;
}

/** The GitHub release asset the release workflow uploads for `v<version>`. */
export function releaseAssetUrl(info: Pick<PluginInfo, 'githubRepository' | 'name'>, version: string): string {
  return `https://github.com/${info.githubRepository}/releases/download/v${version}/${bundleFileName(info, version)}`;
}

/** The id admins give the repository (`spinnaker.extensibility.repositories.<id>`). */
export function repositoryId(info: Pick<PluginInfo, 'githubRepository'>): string {
  return info.githubRepository.split('/')[1];
}

/** The path Gate serves a Deck plugin's module under (Deck prefixes it with the Gate URL). */
export function deckModulePath(id: string, version: string): string {
  return `/plugins/deck/${id}/${version}/index.js`;
}
