/** The committed manifest files, as package.json says they must look. */
import { type PluginInfo, rawManifestUrl, repositoryId } from './pluginInfo';
import type { RepositoriesJson } from './pluginsJson';

export function expectedRepositoriesJson(info: PluginInfo): RepositoriesJson {
  return [{ id: repositoryId(info), url: rawManifestUrl(info, 'plugins.json') }];
}
