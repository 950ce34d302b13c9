/** The plugin's id and version, as the release tooling reads and validates them from package.json. */
import { join } from 'node:path';

import { loadPluginInfo, repoRoot } from '@cdaas/plugin-manifest/pluginInfo';

export const REPO_ROOT = repoRoot();
export const PLUGIN_DIST_DIR = join(REPO_ROOT, 'build/dist');

export interface PluginIdentity {
  id: string;
  version: string;
}

export function pluginIdentity(): PluginIdentity {
  const { id, version } = loadPluginInfo(REPO_ROOT);
  return { id, version };
}
