/** The committed manifest files, as package.json says they must look. */
import { type PluginInfo, rawManifestUrl, repositoryId } from './pluginInfo';
import type { PluginsJson, RepositoriesJson } from './pluginsJson';

export function expectedRepositoriesJson(info: PluginInfo): RepositoriesJson {
  return [{ id: repositoryId(info), url: rawManifestUrl(info, 'plugins.json') }];
}

/** plugins.json before the first release: the plugin's entry without releases. */
export function emptyPluginsJson(info: PluginInfo): PluginsJson {
  return [{ id: info.id, description: info.description, provider: info.provider, releases: [] }];
}
