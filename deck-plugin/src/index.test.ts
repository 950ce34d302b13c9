import { plugin } from './index';

describe('plugin', () => {
  it('registers both CD-as-a-Service stages as Orca Webhook stages, with their help merged', () => {
    expect(plugin.stages?.map((s) => s.key)).toEqual(['cdaasDeploy', 'cdaasDeployYaml']);
    expect(plugin.stages?.find((s) => s.key === 'cdaasDeploy')).toMatchObject({ alias: 'webhook', addAliasToConfig: true });
    expect(plugin.help?.['cdaas.deploy.account']).toMatch(/agent identifier/);
    for (const stage of plugin.stages ?? []) {
      for (const section of stage.executionDetailsSections ?? []) expect(typeof section.title).toBe('string');
    }
  });
});
