import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadPluginInfo, releaseAssetUrl } from '../core/pluginInfo';
import { formatJson, type PluginRelease, type PluginsJson, pluginsJsonSchema } from '../core/pluginsJson';
import { packageBundle } from '../package/packageBundle';
import { FIXTURE_INFO, fixtureDist, runCli, tempDir } from '../testing/fixtures';
import { addRelease, insertRelease, ReleaseError, writeGithubOutputs } from './addRelease';

const sha = (c: string) => c.repeat(128);
const release = (version: string): PluginRelease => ({
  version,
  date: '2026-01-01T00:00:00Z',
  requires: 'deck>=0.0.0',
  sha512sum: sha('a'),
  preferred: false,
  compatibility: [],
  url: `https://example.invalid/${version}.zip`,
});

function versions(json: PluginsJson) {
  return json[0].releases.map((r) => [r.version, r.preferred]);
}

describe('insertRelease', () => {
  it('keeps releases in semver order and marks only the newest preferred', () => {
    let json: PluginsJson = [];
    for (const v of ['1.10.0', '1.2.0', '1.9.1', '0.1.0']) json = insertRelease(json, FIXTURE_INFO, release(v));
    expect(versions(json)).toEqual([
      ['0.1.0', false],
      ['1.2.0', false],
      ['1.9.1', false],
      ['1.10.0', true], // not 1.9.1: numeric, not string, order
    ]);
  });

  it('orders a prerelease below its release', () => {
    let json: PluginsJson = [];
    for (const v of ['2.0.0', '2.0.0-rc.2', '2.0.0-rc.10', '1.9.0']) json = insertRelease(json, FIXTURE_INFO, release(v));
    expect(versions(json).map(([v]) => v)).toEqual(['1.9.0', '2.0.0-rc.2', '2.0.0-rc.10', '2.0.0']);
  });

  it('refuses a version that is already released', () => {
    const json = insertRelease([], FIXTURE_INFO, release('1.2.0'));
    expect(() => insertRelease(json, FIXTURE_INFO, release('1.2.0'))).toThrow(/already has Armory\.CDaaSSpinnaker 1\.2\.0/);
  });

  it('refuses a version that is not semver', () => {
    expect(() => insertRelease([], FIXTURE_INFO, release('1.2'))).toThrow(/"1\.2" is not a semantic version/);
    expect(() => insertRelease([], FIXTURE_INFO, release('v1.2.0'))).toThrow(/starts with "v": give the bare version \(1\.2\.0\)/);
  });

  it('leaves other plugins alone and takes description and provider from package.json', () => {
    const other = { id: 'Other.Plugin', description: 'x', provider: 'y', releases: [release('3.0.0')] };
    const stale = { id: FIXTURE_INFO.id, description: 'old words', provider: 'old', releases: [release('1.0.0')] };
    const json = insertRelease([other, stale], FIXTURE_INFO, release('1.2.0'));
    expect(json[0]).toEqual(other);
    expect(json[1].description).toBe(FIXTURE_INFO.description);
    expect(json[1].provider).toBe(FIXTURE_INFO.provider);
  });
});

describe('addRelease', () => {
  function packaged(version = FIXTURE_INFO.version) {
    const info = { ...FIXTURE_INFO, version };
    const releaseDir = tempDir('release');
    const result = packageBundle({ info, distDir: fixtureDist(), outDir: releaseDir, env: { SOURCE_DATE_EPOCH: '1764000000' } });
    return { info, releaseDir, result, pluginsJsonPath: join(tempDir('manifest'), 'plugins.json') };
  }

  it('records the freshly packaged bundle with the GitHub release asset URL', () => {
    const { info, releaseDir, result, pluginsJsonPath } = packaged();
    addRelease({ info, version: '1.2.0', releaseDir, pluginsJsonPath });
    const json = pluginsJsonSchema.parse(JSON.parse(readFileSync(pluginsJsonPath, 'utf8')));
    expect(json).toEqual([
      {
        id: 'Armory.CDaaSSpinnaker',
        description: FIXTURE_INFO.description,
        provider: FIXTURE_INFO.provider,
        releases: [
          {
            version: '1.2.0',
            date: '2025-11-24T16:00:00Z',
            requires: 'deck>=0.0.0',
            sha512sum: result.sha512,
            preferred: true,
            compatibility: [],
            url: 'https://github.com/armory/cdaas-spinnaker-plugin/releases/download/v1.2.0/cdaas-spinnaker-plugin-1.2.0.zip',
          },
        ],
      },
    ]);
  });

  it('refuses a version other than package.json\'s (the version is defined once)', () => {
    const { info, releaseDir, pluginsJsonPath } = packaged();
    expect(() => addRelease({ info, version: '1.3.0', releaseDir, pluginsJsonPath })).toThrow(
      /refusing to release 1\.3\.0: package\.json's version is 1\.2\.0.*npm version 1\.3\.0/,
    );
  });

  it('refuses when nothing was packaged, or the bundle changed after packaging', () => {
    const { info, releaseDir, result, pluginsJsonPath } = packaged();
    expect(() => addRelease({ info, version: '1.2.0', releaseDir: tempDir('none'), pluginsJsonPath })).toThrow(/is missing: run `npm run package` first/);
    writeFileSync(result.bundlePath, 'tampered');
    expect(() => addRelease({ info, version: '1.2.0', releaseDir, pluginsJsonPath })).toThrow(/does not describe .* \(stale build\?\)/);
  });

  it('refuses a plugins.json it cannot read, naming the field', () => {
    const { info, releaseDir, pluginsJsonPath } = packaged();
    writeFileSync(pluginsJsonPath, formatJson([{ id: info.id, releases: [{ ...release('1.0.0'), sha512sum: 'abc' }] }]));
    expect(() => addRelease({ info, version: '1.2.0', releaseDir, pluginsJsonPath })).toThrow(/plugins\.json\[0\]\.releases\[0\]\.sha512sum: 128 hex characters/);
  });

  it('writes step outputs for the release workflow', () => {
    const { info, releaseDir, pluginsJsonPath } = packaged();
    const result = addRelease({ info, version: '1.2.0', releaseDir, pluginsJsonPath });
    const out = join(tempDir('gh'), 'output');
    writeFileSync(out, '');
    writeGithubOutputs(result, { GITHUB_OUTPUT: out });
    const lines = readFileSync(out, 'utf8');
    expect(lines).toContain('tag=v1.2.0\n');
    expect(lines).toContain(`bundle=${result.bundlePath}\n`);
    expect(lines).toContain(`sha512_file=${result.bundlePath}.sha512\n`);
    expect(lines).toContain(`sha512=${result.release.sha512sum}\n`);
  });
});

describe('npm run package then npm run release (the release workflow, minus GitHub)', () => {
  it('records package.json\'s version and refuses it a second time', async () => {
    const info = loadPluginInfo();
    const out = tempDir('wf');
    const pluginsJson = join(out, 'plugins.json');
    const ghOutput = join(out, 'gh-output');
    writeFileSync(ghOutput, '');
    expect((await runCli('plugin-manifest/package/cli.ts', ['--dist', fixtureDist(), '--out', out])).code).toBe(0);
    const first = await runCli('plugin-manifest/release/cli.ts', ['--', info.version, '--release-dir', out, '--plugins-json', pluginsJson], {
      GITHUB_OUTPUT: ghOutput,
    });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const json = pluginsJsonSchema.parse(JSON.parse(readFileSync(pluginsJson, 'utf8')));
    expect(json[0].releases.map((r) => r.url)).toEqual([releaseAssetUrl(info, info.version)]);
    expect(readFileSync(ghOutput, 'utf8')).toContain(`tag=v${info.version}`);

    const again = await runCli('plugin-manifest/release/cli.ts', [info.version, '--release-dir', out, '--plugins-json', pluginsJson]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has .* a published version never changes/);

    const bad = await runCli('plugin-manifest/release/cli.ts', ['next', '--release-dir', out, '--plugins-json', pluginsJson]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/"next" is not a semantic version/);
  });
});

describe('ReleaseError', () => {
  it('is what refusals throw', () => {
    expect(() => insertRelease([], FIXTURE_INFO, release('x'))).toThrow(ReleaseError);
  });
});
