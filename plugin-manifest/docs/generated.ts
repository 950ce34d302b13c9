/** Every file `npm run docs:admin` owns, by path from the repository root. */
import type { PluginInfo } from '../core/pluginInfo';
import { renderAdminGuide } from './adminGuide';
import { exampleFiles } from './snippets';

export function generatedDocs(info: PluginInfo): Record<string, string> {
  const files: Record<string, string> = { 'docs/admin-guide.md': renderAdminGuide(info) };
  for (const [name, text] of Object.entries(exampleFiles(info))) files[`docs/examples/${name}`] = text;
  return files;
}
