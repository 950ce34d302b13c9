import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadPluginInfo } from '../core/pluginInfo';
import { FIXTURE_INFO, fixtureDist, runCli, tempDir } from '../testing/fixtures';
import { readZip } from '../zip/readZip';
import { DECK_ZIP, PackageError, packageBundle, sha512Hex } from './packageBundle';

const CLI = 'plugin-manifest/package/cli.ts';

describe('packageBundle', () => {
  it('nests deck.zip (index.js and index.js.map at its root) in <name>-<version>.zip', () => {
    const result = packageBundle({ info: FIXTURE_INFO, distDir: fixtureDist(), outDir: tempDir('out'), env: {} });
    expect(result.bundlePath.endsWith('cdaas-spinnaker-plugin-1.2.0.zip')).toBe(true);
    const outer = readZip(readFileSync(result.bundlePath), 'bundle');
    expect(outer.map((e) => e.name)).toEqual([DECK_ZIP]);
    const inner = readZip(outer[0].data, DECK_ZIP);
    expect(inner.map((e) => e.name)).toEqual(['index.js', 'index.js.map']);
  });

  it('puts every chunk index.js loads, with its map, at the root of deck.zip, and leaves out stale ones', () => {
    // Shaped like rollup's output: static imports, import(), and the worker's URL.
    const dist = fixtureDist(
      'const f=()=>import("./Form-Ab12.js");export const plugin={stages:[]};\n//# sourceMappingURL=index.js.map',
    );
    writeFileSync(join(dist, 'Form-Ab12.js'), 'import{a}from"./deploy-yaml-Cd34.js";export const u=new URL("deploy-yaml-worker-Ef56.js",import.meta.url).href;');
    writeFileSync(join(dist, 'Form-Ab12.js.map'), '{}');
    writeFileSync(join(dist, 'deploy-yaml-Cd34.js'), 'export const a=1;');
    writeFileSync(join(dist, 'deploy-yaml-worker-Ef56.js'), 'import"./deploy-yaml-Cd34.js";');
    writeFileSync(join(dist, 'Form-OLD0.js'), 'export const stale=1;');
    const result = packageBundle({ info: FIXTURE_INFO, distDir: dist, outDir: tempDir('out'), env: {} });
    const inner = readZip(readZip(readFileSync(result.bundlePath), 'bundle')[0].data, DECK_ZIP);
    expect(inner.map((e) => e.name)).toEqual(['index.js', 'Form-Ab12.js', 'Form-Ab12.js.map', 'deploy-yaml-Cd34.js', 'deploy-yaml-worker-Ef56.js', 'index.js.map']);
  });

  it('refuses a build whose index.js loads a chunk that is not there, naming it', () => {
    const dist = fixtureDist('const f=()=>import("./Form-Ab12.js");export const plugin={};');
    expect(() => packageBundle({ info: FIXTURE_INFO, distDir: dist, outDir: tempDir('out'), env: {} })).toThrow(
      /index\.js loads \.\/Form-Ab12\.js, but it is not in deck\.zip/,
    );
  });

  it('writes the SHA-512 beside the bundle and plugin-info.json from the plugin identity', () => {
    const now = new Date('2026-11-24T21:30:00.123Z');
    const result = packageBundle({ info: FIXTURE_INFO, distDir: fixtureDist(), outDir: tempDir('out'), env: {}, now: () => now });
    expect(result.sha512).toBe(sha512Hex(readFileSync(result.bundlePath)));
    expect(readFileSync(result.sha512Path, 'utf8')).toBe(`${result.sha512}  cdaas-spinnaker-plugin-1.2.0.zip\n`);
    expect(JSON.parse(readFileSync(result.pluginInfoPath, 'utf8'))).toEqual({
      id: 'Armory.CDaaSSpinnaker',
      version: '1.2.0',
      provider: 'https://github.com/armory',
      description: 'CD-as-a-Service deploy stages for Deck',
      requires: 'deck>=0.0.0',
      sha512sum: result.sha512,
      // pf4j-update parses yyyy-MM-ddTHH:mm:ssZ; milliseconds would make it fall back to the day.
      date: '2026-11-24T21:30:00Z',
    });
  });

  it('is reproducible: two runs give the same SHA-512, with and without SOURCE_DATE_EPOCH', () => {
    const dist = fixtureDist();
    const a = packageBundle({ info: FIXTURE_INFO, distDir: dist, outDir: tempDir('a'), env: {} });
    const b = packageBundle({ info: FIXTURE_INFO, distDir: dist, outDir: tempDir('b'), env: {} });
    expect(b.sha512).toBe(a.sha512);
    const env = { SOURCE_DATE_EPOCH: '1764000000' };
    const c = packageBundle({ info: FIXTURE_INFO, distDir: dist, outDir: tempDir('c'), env });
    const d = packageBundle({ info: FIXTURE_INFO, distDir: dist, outDir: tempDir('d'), env });
    expect(d.sha512).toBe(c.sha512);
    expect(c.sha512).not.toBe(a.sha512); // the timestamp is in the bytes
    expect(c.pluginInfo.date).toBe('2025-11-24T16:00:00Z');
  });

  it('changes the SHA-512 when the module changes', () => {
    const a = packageBundle({ info: FIXTURE_INFO, distDir: fixtureDist('export const plugin = {};'), outDir: tempDir('a'), env: {} });
    const b = packageBundle({ info: FIXTURE_INFO, distDir: fixtureDist('export const plugin = { };'), outDir: tempDir('b'), env: {} });
    expect(b.sha512).not.toBe(a.sha512);
  });

  it('names the missing build output', () => {
    expect(() => packageBundle({ info: FIXTURE_INFO, distDir: fixtureDist(undefined, null), outDir: tempDir('out'), env: {} })).toThrow(
      /index\.js\.map is missing: run `npm run build` first/,
    );
    expect(() => packageBundle({ info: FIXTURE_INFO, distDir: fixtureDist(), outDir: tempDir('out'), env: { SOURCE_DATE_EPOCH: 'yesterday' } })).toThrow(PackageError);
  });
});

// Gate extracts bundles with pf4j, which reads zips with java.util.zip.ZipInputStream. Runs where a
// JDK is installed (here and on GitHub's Ubuntu runners); skipped, and says so, elsewhere.
const hasJava = spawnSync('java', ['-version']).status === 0;
describe.skipIf(!hasJava)('the bundle as Java reads it', () => {
  it('ZipInputStream reads deck.zip from the bundle and index.js, index.js.map from deck.zip', () => {
    const result = packageBundle({ info: FIXTURE_INFO, distDir: fixtureDist(), outDir: tempDir('java'), env: { SOURCE_DATE_EPOCH: '1764000000' } });
    const out = execFileSync('java', [join(import.meta.dirname, '..', 'testing', 'Unzip.java'), result.bundlePath], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    const lines = out.trim().split('\n');
    expect(lines.map((l) => l.trim().split(' ')[0])).toEqual(['deck.zip', 'index.js', 'index.js.map']);
    expect(lines[1]).toMatch(/^  index\.js \d+ 2025-11-24T16:00:00Z$/);
  });
});

describe('npm run package (the CLI the release workflow runs)', () => {
  it('prints the same SHA-512 on two runs and names the bundle after package.json', async () => {
    const dist = fixtureDist();
    const outA = tempDir('cli-a');
    const outB = tempDir('cli-b');
    const a = await runCli(CLI, ['--dist', dist, '--out', outA]);
    const b = await runCli(CLI, ['--dist', dist, '--out', outB]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const sha = /sha512\s+([0-9a-f]{128})/.exec(a.stdout)?.[1];
    expect(sha).toBeDefined();
    expect(/sha512\s+([0-9a-f]{128})/.exec(b.stdout)?.[1]).toBe(sha);
    const info = loadPluginInfo();
    const bundle = readFileSync(join(outA, `${info.name}-${info.version}.zip`));
    expect(sha512Hex(bundle)).toBe(sha);
  });

  it('fails with a message when the build output is missing', async () => {
    const r = await runCli(CLI, ['--dist', tempDir('empty'), '--out', tempDir('out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/package: .*index\.js is missing/);
  });
});
