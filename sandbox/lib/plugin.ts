/** The plugin's id and version, read from package.json (the one place they are defined). */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PLUGIN_DIST_DIR = join(REPO_ROOT, 'build/dist');

export interface PluginIdentity {
  id: string;
  version: string;
}

export function pluginIdentity(): PluginIdentity {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
    spinnakerPlugin?: { id?: string };
  };
  const id = pkg.spinnakerPlugin?.id;
  if (!id) throw new Error('package.json: spinnakerPlugin.id is missing');
  return { id, version: pkg.version };
}
