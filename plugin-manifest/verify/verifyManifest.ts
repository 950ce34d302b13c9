/**
 * What Gate does at startup for a Deck plugin, step by step, so a release can be checked before an
 * admin points Spinnaker at it: repositories.json -> each repository's plugins.json (resolved the
 * way pf4j-update resolves it) -> the plugin's release (a pinned version, else the highest whose
 * `requires` names deck) -> download -> SHA-512 -> deck.zip -> index.js loaded as Deck loads it ->
 * the plugin-manifest.json entry Deck will get.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

import { DECK_ZIP } from '../core/bundle';
import { deckModulePath } from '../core/pluginInfo';
import type { PluginRelease } from '../core/pluginsJson';
import { describeChunkProblem, followChunks } from '../core/chunks';
import { readZip, ZipError, type ZipLimits } from '../zip/readZip';
import { fetchVerifiedRelease, type ReleaseOptions, VerifyError } from './fetchRelease';
import { loadDeckModule, type ModuleReport } from './loadDeckModule';

export { EXIT, type FailureKind, pickRelease, VerifyError } from './fetchRelease';

export interface DeckManifestEntry {
  id: string;
  version: string;
  url: string;
}

export interface VerifyOptions extends ReleaseOptions {
  sharedLibraryGlobals: string[];
  limits?: ZipLimits;
  loadTimeoutMs?: number;
}

export interface VerifyResult {
  entry: DeckManifestEntry;
  release: PluginRelease;
  bundleUrl: string;
  sha512: string;
  files: string[];
  module: ModuleReport;
}

function inside(root: string, name: string): string {
  const target = resolve(root, name);
  if (target !== root && !target.startsWith(root + sep)) {
    throw new VerifyError('bundle', `entry "${name}" would be written outside the extraction folder`);
  }
  return target;
}

function openZip(bytes: Uint8Array, label: string, limits?: ZipLimits) {
  try {
    return readZip(bytes, label, limits);
  } catch (e) {
    if (e instanceof ZipError) throw new VerifyError('bundle', e.message);
    throw e;
  }
}

export async function verifyManifest(options: VerifyOptions): Promise<VerifyResult> {
  const log = options.log ?? (() => undefined);
  const { plugin, release, bundleUrl, bundle, sha512 } = await fetchVerifiedRelease(options);
  const outer = openZip(bundle, 'the bundle', options.limits);
  const deckZip = outer.find((e) => e.name === DECK_ZIP);
  if (!deckZip) {
    throw new VerifyError(
      'bundle',
      `the bundle has no ${DECK_ZIP} at its root (entries: ${outer.map((e) => e.name).join(', ') || 'none'}); ` +
        `kork's PluginBundleExtractor looks for <service>.zip, so Gate would serve nothing to Deck`,
    );
  }
  const inner = openZip(deckZip.data, DECK_ZIP, options.limits);
  const files = inner.filter((e) => !e.isDirectory);
  if (!files.some((e) => e.name === 'index.js')) {
    throw new VerifyError('bundle', `${DECK_ZIP} has no index.js at its root (entries: ${files.map((e) => e.name).join(', ') || 'none'}); Deck imports <id>/<version>/index.js`);
  }

  const dir = mkdtempSync(join(tmpdir(), 'verify-manifest-'));
  try {
    for (const entry of files) {
      const target = inside(dir, entry.name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, entry.data);
    }
    log(`extracted ${DECK_ZIP}: ${files.map((e) => e.name).join(', ')}`);
    // Gate gives content types only to js, css and html; anything else reaches browsers untyped.
    const untyped = files.filter((e) => !/\.(js|css|html|map)$/.test(e.name)).map((e) => e.name);
    if (untyped.length) log(`warning: Gate serves ${untyped.join(', ')} without a content type; inline such files into index.js`);
    // Every file index.js loads must be a top-level file of deck.zip: Gate serves only those.
    const texts = new Map(files.map((e) => [e.name, Buffer.from(e.data).toString('utf8')]));
    const chunkGraph = followChunks(texts);
    if (chunkGraph.problems.length) throw new VerifyError('bundle', chunkGraph.problems.map(describeChunkProblem).join('; '));
    const chunks = chunkGraph.reached.filter((name) => name !== 'index.js');
    if (chunks.length) log(`index.js loads ${chunks.length} chunk(s), all in ${DECK_ZIP}: ${chunks.join(', ')}`);
    // Deck imports the files as ES modules from URLs ending in .js; this makes Node read them so too.
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    const modulePath = join(dir, 'index.js');
    const loaded = await loadDeckModule(modulePath, options.sharedLibraryGlobals, options.loadTimeoutMs, chunks);
    if (!loaded.ok) throw new VerifyError('module', `index.js failed to load as Deck loads it: ${loaded.problem}`);
    if (!loaded.report.exports.includes('plugin')) {
      throw new VerifyError(
        'module',
        `index.js has no named export \`plugin\` (exports: ${loaded.report.exports.join(', ') || 'none'}); Deck throws "does not export plugin"`,
      );
    }
    if (loaded.report.pluginType !== 'object') {
      throw new VerifyError('module', `index.js exports \`plugin\` as ${loaded.report.pluginType}, not an object Deck can register`);
    }
    log(`index.js exports plugin with ${loaded.report.stageKeys.length} stage(s): ${loaded.report.stageKeys.join(', ') || 'none'}`);
    return {
      entry: { id: plugin.id, version: release.version, url: deckModulePath(plugin.id, release.version) },
      release,
      bundleUrl: bundleUrl.href,
      sha512,
      files: files.map((e) => e.name),
      module: loaded.report,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
