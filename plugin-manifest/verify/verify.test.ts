import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { formatJson, type PluginRelease } from '../core/pluginsJson';
import { packageBundle, sha512Hex } from '../package/packageBundle';
import { FIXTURE_INFO, type FakeGitHub, fixtureDist, runCli, startFakeGitHub, tempDir } from '../testing/fixtures';
import { writeZip } from '../zip/writeZip';
import { sharedLibraryGlobals } from './loadDeckModule';
import { EXIT, type VerifyError, verifyManifest, type VerifyOptions } from './verifyManifest';

const ID = FIXTURE_INFO.id;
const enc = (s: string) => new TextEncoder().encode(s);
let gh: FakeGitHub;
let globals: string[];
let n = 0;

beforeAll(async () => {
  gh = await startFakeGitHub();
  globals = await sharedLibraryGlobals();
});
afterAll(async () => {
  await gh.close();
});

function bundleFrom(indexJs?: string): Uint8Array {
  const out = tempDir('bundle');
  const { bundlePath } = packageBundle({ info: FIXTURE_INFO, distDir: fixtureDist(indexJs), outDir: out, env: {} });
  return new Uint8Array(readFileSync(bundlePath));
}

/** A release bundle whose deck.zip holds exactly these files (a split build). */
function bundleOf(files: Array<[string, string]>): Uint8Array {
  const deck = writeZip(files.map(([name, text]) => ({ name, data: enc(text) })));
  return writeZip([{ name: 'deck.zip', data: deck }]);
}

interface Published {
  repositoriesUrl: URL;
  pluginsUrl: URL;
}

/** Publishes releases the way the release workflow does: assets on a release, plugins.json raw. */
function publish(releases: { version: string; requires?: string; bytes: Uint8Array; sha512?: string }[]): Published {
  const prefix = `/raw/case-${++n}/main/plugin-manifest`;
  const entries: PluginRelease[] = releases.map((r) => ({
    version: r.version,
    date: '2026-11-24T21:00:00Z',
    requires: r.requires ?? 'deck>=0.0.0',
    sha512sum: r.sha512 ?? sha512Hex(r.bytes),
    preferred: false,
    compatibility: [],
    url: gh.putReleaseAsset(`v${r.version}-${n}`, `cdaas-spinnaker-plugin-${r.version}.zip`, r.bytes),
  }));
  const plugins = [
    { id: 'Someone.Else', releases: [{ version: '9.9.9', date: 'yesterday', requires: 'deck>=0.0.0', sha512sum: 'bad', url: 'x' }] },
    { id: ID, description: FIXTURE_INFO.description, provider: FIXTURE_INFO.provider, releases: entries },
  ];
  gh.put(`${prefix}/plugins.json`, formatJson(plugins));
  // The repository URL points at repositories.json; pf4j reads the plugins.json beside it.
  gh.put(`${prefix}/repositories.json`, formatJson([{ id: 'cdaas-spinnaker-plugin', url: `${gh.origin}${prefix}/repositories.json` }]));
  return { repositoriesUrl: new URL(`${gh.origin}${prefix}/repositories.json`), pluginsUrl: new URL(`${gh.origin}${prefix}/plugins.json`) };
}

function verify(source: URL, extra: Partial<VerifyOptions> = {}) {
  return verifyManifest({ source, pluginId: ID, sharedLibraryGlobals: globals, ...extra });
}

async function failure(p: Promise<unknown>): Promise<VerifyError> {
  try {
    await p;
  } catch (e) {
    return e as VerifyError;
  }
  throw new Error('expected verification to fail');
}

describe('verify-manifest: the package-and-verify round trip through a GitHub stand-in', () => {
  it('follows repositories.json -> plugins.json -> release redirect -> deck.zip -> index.js, and prints the Deck entry', async () => {
    const bytes = bundleFrom();
    const { repositoriesUrl } = publish([{ version: '1.2.0', bytes }]);
    const lines: string[] = [];
    const result = await verify(repositoriesUrl, { log: (l) => lines.push(l) });
    expect(result.entry).toEqual({ id: ID, version: '1.2.0', url: '/plugins/deck/Armory.CDaaSSpinnaker/1.2.0/index.js' });
    expect(result.sha512).toBe(sha512Hex(bytes));
    expect(result.files).toEqual(['index.js', 'index.js.map']);
    expect(result.module.stageKeys).toEqual(['cdaasDeploy', 'cdaasDeployYaml']);
    // GitHub answers release downloads with a redirect to its storage host; it was followed.
    expect(gh.requests.some((r) => r.startsWith('GET /storage/release-assets/'))).toBe(true);
    expect(lines.join('\n')).toMatch(/SHA-512 matches/);
  });

  it('picks the highest release whose requires names deck, or the pinned one', async () => {
    const { pluginsUrl } = publish([
      { version: '1.10.0', bytes: bundleFrom() },
      { version: '1.9.0', bytes: bundleFrom() },
      { version: '2.0.0', requires: 'orca>=0.0.0', bytes: bundleFrom() },
    ]);
    expect((await verify(pluginsUrl)).entry.version).toBe('1.10.0');
    expect((await verify(pluginsUrl, { version: '1.9.0' })).entry.version).toBe('1.9.0');
    const e = await failure(verify(pluginsUrl, { version: '1.8.0' }));
    expect(e.kind).toBe('release');
    expect(e.message).toMatch(/has no release 1\.8\.0 \(plugins\.json has: 1\.10\.0, 1\.9\.0, 2\.0\.0\); Gate would silently serve the newest/);
  });

  it('reads a plugins.json given as a local file, with a file: bundle URL', async () => {
    const dir = tempDir('local');
    const bytes = bundleFrom();
    writeFileSync(join(dir, 'b.zip'), bytes);
    const release = { version: '1.2.0', date: '2026-11-24', requires: 'deck>=0.0.0', sha512sum: sha512Hex(bytes), url: 'b.zip' };
    writeFileSync(join(dir, 'plugins.json'), formatJson([{ id: ID, releases: [release] }]));
    const result = await verify(pathToFileURL(join(dir, 'plugins.json')));
    expect(result.bundleUrl).toBe(pathToFileURL(join(dir, 'b.zip')).href); // resolved relative, as pf4j does
  });
});

describe('verify-manifest: each failure has its own message and exit code', () => {
  it('rejects a tampered bundle', async () => {
    const good = bundleFrom();
    const { repositoriesUrl } = publish([{ version: '1.2.0', bytes: bundleFrom('export const plugin = { evil: true };'), sha512: sha512Hex(good) }]);
    const e = await failure(verify(repositoriesUrl));
    expect(e.kind).toBe('checksum');
    expect(e.exitCode).toBe(EXIT.checksum);
    expect(e.message).toMatch(/SHA-512 mismatch for .*plugins\.json says [0-9a-f]{128}, the download is [0-9a-f]{128}/);
  });

  it('rejects a plugin whose releases do not require deck', async () => {
    const { repositoriesUrl } = publish([{ version: '1.2.0', requires: 'orca>=0.0.0,gate>=0.0.0', bytes: bundleFrom() }]);
    const e = await failure(verify(repositoriesUrl));
    expect(e.kind).toBe('release');
    expect(e.message).toBe('no release of Armory.CDaaSSpinnaker requires deck (requires seen: "orca>=0.0.0,gate>=0.0.0"); Gate would serve nothing to Deck');
  });

  it('rejects a bundle without deck.zip', async () => {
    const inner = writeZip([{ name: 'index.js', data: enc('export const plugin = {};') }]);
    const bytes = writeZip([{ name: 'orca.zip', data: inner }]);
    const { repositoriesUrl } = publish([{ version: '1.2.0', bytes }]);
    const e = await failure(verify(repositoriesUrl));
    expect(e.kind).toBe('bundle');
    expect(e.message).toMatch(/the bundle has no deck\.zip at its root \(entries: orca\.zip\); kork's PluginBundleExtractor looks for <service>\.zip/);
  });

  it('rejects a deck.zip entry escaping its folder', async () => {
    const inner = writeZip([
      { name: 'index.js', data: enc('export const plugin = {};') },
      { name: '../../../../tmp/evil.js', data: enc('boom') },
    ]);
    const { repositoriesUrl } = publish([{ version: '1.2.0', bytes: writeZip([{ name: 'deck.zip', data: inner }]) }]);
    const e = await failure(verify(repositoriesUrl));
    expect(e.kind).toBe('bundle');
    expect(e.message).toMatch(/deck\.zip: entry "\.\.\/\.\.\/\.\.\/\.\.\/tmp\/evil\.js" has a "\.\." segment that leaves the folder; refusing to extract it/);
  });

  it('rejects a module without the `plugin` export Deck requires', async () => {
    const { repositoriesUrl } = publish([{ version: '1.2.0', bytes: bundleFrom('export default { stages: [] };') }]);
    const e = await failure(verify(repositoriesUrl));
    expect(e.kind).toBe('module');
    expect(e.message).toMatch(/index\.js has no named export `plugin` \(exports: default\)/);
  });

  it('loads every chunk index.js can import, resolved relative to index.js, and lists them', async () => {
    const bytes = bundleOf([
      ['index.js', 'export const plugin = { stages: [{ key: "cdaasDeploy" }] }; export const load = () => import("./Form-Ab12.js");'],
      ['Form-Ab12.js', 'import { a } from "./deploy-yaml-Cd34.js"; import { plugin } from "./index.js"; export const form = a + plugin.stages.length;'],
      ['deploy-yaml-Cd34.js', 'export const a = 1;'],
    ]);
    const { repositoriesUrl } = publish([{ version: '1.2.0', bytes }]);
    const result = await verify(repositoriesUrl);
    expect(result.module.chunks).toEqual(['Form-Ab12.js', 'deploy-yaml-Cd34.js']);
    expect(result.module.stageKeys).toEqual(['cdaasDeploy']);
  });

  it('names a chunk index.js imports that deck.zip lacks, and one that fails to load', async () => {
    const missing = bundleOf([['index.js', 'export const plugin = {}; export const load = () => import("./Form-Ab12.js");']]);
    const broken = bundleOf([
      ['index.js', 'export const plugin = {}; export const load = () => import("./Form-Ab12.js");'],
      ['Form-Ab12.js', 'throw new Error("chunk kaput");'],
    ]);
    const { repositoriesUrl: a } = publish([{ version: '1.2.0', bytes: missing }]);
    const e = await failure(verify(a));
    expect(e.kind).toBe('bundle');
    expect(e.message).toBe('index.js loads ./Form-Ab12.js, but it is not in deck.zip');
    const { repositoriesUrl: b } = publish([{ version: '1.2.0', bytes: broken }]);
    const f = await failure(verify(b));
    expect(f.kind).toBe('module');
    expect(f.message).toMatch(/chunk Form-Ab12\.js \(loaded by index\.js\) failed: chunk kaput/);
  });

  it('rejects a module that throws while loading', async () => {
    const { repositoriesUrl } = publish([{ version: '1.2.0', bytes: bundleFrom('throw new Error("kaput"); export const plugin = {};') }]);
    const e = await failure(verify(repositoriesUrl));
    expect(e.kind).toBe('module');
    expect(e.message).toMatch(/failed to load as Deck loads it: Error: kaput/);
  });

  it('runs the module where it cannot write files or start processes (it is code from the internet)', async () => {
    const target = join(tempDir('victim'), 'written-by-bundle.txt');
    const evil = `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(target)}, 'pwned');\nexport const plugin = {};\n`;
    const { repositoriesUrl } = publish([{ version: '1.2.0', bytes: bundleFrom(evil) }]);
    const e = await failure(verify(repositoriesUrl));
    expect(e.kind).toBe('module');
    expect(e.message).toMatch(/failed to load as Deck loads it: Error: Access to this API has been restricted/);
    expect(existsSync(target)).toBe(false);
  });

  it('names a missing release asset', async () => {
    const { repositoriesUrl, pluginsUrl } = publish([{ version: '1.2.0', bytes: bundleFrom() }]);
    const body = await (await fetch(pluginsUrl)).json();
    body[1].releases[0].url = `${gh.origin}/armory/cdaas-spinnaker-plugin/releases/download/v0.0.0/missing.zip`;
    gh.put(pluginsUrl.pathname, formatJson(body));
    const e = await failure(verify(repositoriesUrl));
    expect(e.kind).toBe('download');
    expect(e.message).toMatch(/cannot download the bundle: GET .*missing\.zip: HTTP 404/);
  });

  it('names the invalid field of our plugins.json entry', async () => {
    const { repositoriesUrl, pluginsUrl } = publish([{ version: '1.2.0', bytes: bundleFrom() }]);
    const body = await (await fetch(pluginsUrl)).json();
    body[1].releases[0].sha512sum = 'abc';
    gh.put(pluginsUrl.pathname, formatJson(body));
    const e = await failure(verify(repositoriesUrl));
    expect(e.kind).toBe('manifest');
    expect(e.message).toMatch(/plugins\.json\[1\]\.releases\[0\]\.sha512sum: 128 hex characters/);
  });
});

describe('npm run verify-manifest (CLI)', () => {
  it('exits 0 and prints the plugin-manifest.json entry', async () => {
    const { repositoriesUrl } = publish([{ version: '1.2.0', bytes: bundleFrom() }]);
    const r = await runCli('plugin-manifest/verify/cli.ts', ['--', repositoriesUrl.href]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('{"id":"Armory.CDaaSSpinnaker","version":"1.2.0","url":"/plugins/deck/Armory.CDaaSSpinnaker/1.2.0/index.js"}');
  });

  it('exits with the failure\'s own code and message', async () => {
    const { repositoriesUrl } = publish([{ version: '1.2.0', bytes: bundleFrom(), sha512: 'f'.repeat(128) }]);
    const r = await runCli('plugin-manifest/verify/cli.ts', [repositoriesUrl.href]);
    expect(r.code).toBe(EXIT.checksum);
    expect(r.stderr).toMatch(/^verify-manifest: checksum: SHA-512 mismatch/);
    const usage = await runCli('plugin-manifest/verify/cli.ts', []);
    expect(usage.code).toBe(EXIT.usage);
  });
});
