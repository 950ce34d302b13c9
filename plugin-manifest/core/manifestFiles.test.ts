import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { expectedRepositoriesJson } from './manifestFiles';
import { loadPluginInfo, repoRoot } from './pluginInfo';
import { pluginsJsonSchema, repositoriesJsonSchema } from './pluginsJson';

const read = (name: string) => JSON.parse(readFileSync(join(repoRoot(), 'plugin-manifest', name), 'utf8'));

describe('the committed manifest files', () => {
  const info = loadPluginInfo();

  it('repositories.json points at the raw plugins.json of package.json\'s GitHub repository', () => {
    expect(repositoriesJsonSchema.parse(read('repositories.json'))).toEqual(expectedRepositoriesJson(info));
    expect(expectedRepositoriesJson(info)[0].url).toBe(
      `https://raw.githubusercontent.com/${info.githubRepository}/main/plugin-manifest/plugins.json`,
    );
  });

  it('plugins.json is valid and describes the plugin as package.json does', () => {
    const plugins = pluginsJsonSchema.parse(read('plugins.json'));
    const ours = plugins.find((p) => p.id === info.id);
    expect(ours).toBeDefined();
    expect({ description: ours?.description, provider: ours?.provider }).toEqual({ description: info.description, provider: info.provider });
    expect(ours?.releases.filter((r) => r.preferred).length).toBeLessThanOrEqual(1);
  });
});
