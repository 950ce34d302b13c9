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

import { deckModulePath } from '../core/pluginInfo';
import {
  describeIssues,
  type PluginEntry,
  pluginEntrySchema,
  type PluginRelease,
  repositoriesJsonSchema,
} from '../core/pluginsJson';
import { requiresService } from '../core/requires';
import { compareVersionStrings } from '../core/semver';
import { describeChunkProblem, followChunks } from '../core/chunks';
import { DECK_SERVICE, DECK_ZIP, sha512Hex } from '../package/packageBundle';
import { readZip, ZipError, type ZipLimits } from '../zip/readZip';
import { fetchBytes, FetchError } from './fetchResource';
import { loadDeckModule, type ModuleReport } from './loadDeckModule';

/** One exit code per kind of failure, so scripts can tell them apart. */
export const EXIT = {
  usage: 2,
  download: 3,
  manifest: 4,
  release: 5,
  checksum: 6,
  bundle: 7,
  module: 8,
} as const;
export type FailureKind = keyof typeof EXIT;

export class VerifyError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
  get exitCode(): number {
    return EXIT[this.kind];
  }
}

export interface DeckManifestEntry {
  id: string;
  version: string;
  url: string;
}

export interface VerifyOptions {
  /** repositories.json or plugins.json (Spinnaker's repository URL may point at either). */
  source: URL;
  pluginId: string;
  /** Pinned version (`spinnaker.extensibility.deck-proxy.plugins.<id>.version`). */
  version?: string;
  sharedLibraryGlobals: string[];
  log?: (line: string) => void;
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

interface Located {
  plugin: PluginEntry;
  /** The repository URL release URLs are resolved against (pf4j: new URL(repositoryUrl, release.url)). */
  base: URL;
  pluginsJsonUrl: URL;
}

async function fetchJson(url: URL, what: string): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await fetchBytes(url, { maxBytes: 8 * 1024 * 1024 });
  } catch (e) {
    throw new VerifyError('download', `cannot download ${what}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new VerifyError('manifest', `${what} at ${url.href} is not JSON: ${(e as Error).message}`);
  }
}

const looksLikePluginsJson = (v: unknown): boolean =>
  Array.isArray(v) && v.length > 0 && v.every((p) => typeof p === 'object' && p !== null && 'releases' in p);

async function locatePlugin(options: VerifyOptions, log: (l: string) => void): Promise<Located> {
  const top = await fetchJson(options.source, 'the repository file');
  let repos: { id: string; pluginsJsonUrl: URL; base: URL; body?: unknown }[];
  if (looksLikePluginsJson(top)) {
    log(`read plugins.json from ${options.source.href}`);
    repos = [{ id: '(given)', pluginsJsonUrl: options.source, base: options.source, body: top }];
  } else {
    const parsed = repositoriesJsonSchema.safeParse(top);
    if (!parsed.success) {
      throw new VerifyError(
        'manifest',
        `${options.source.href} is neither a repositories.json nor a plugins.json:\n  ${describeIssues('repositories.json', parsed.error.issues).join('\n  ')}`,
      );
    }
    if (parsed.data.length === 0) throw new VerifyError('manifest', `${options.source.href} lists no repositories`);
    repos = parsed.data.map((r, i) => {
      let base: URL;
      try {
        base = new URL(r.url, options.source);
      } catch {
        throw new VerifyError('manifest', `repositories.json[${i}].url "${r.url}" is not a URL`);
      }
      // pf4j-update's DefaultUpdateRepository reads new URL(url, "plugins.json"): a URL ending in
      // repositories.json or plugins.json both land on the plugins.json beside it.
      return { id: r.id, base, pluginsJsonUrl: new URL('plugins.json', base) };
    });
    log(`read repositories.json from ${options.source.href}: ${repos.map((r) => r.id).join(', ')}`);
  }

  const found: Located[] = [];
  for (const repo of repos) {
    const body = repo.body ?? (await fetchJson(repo.pluginsJsonUrl, `plugins.json of repository "${repo.id}"`));
    if (!Array.isArray(body)) throw new VerifyError('manifest', `${repo.pluginsJsonUrl.href} is not a plugins.json (not a JSON array)`);
    log(`read ${repo.pluginsJsonUrl.href}: ${body.length} plugin(s)`);
    // Only our plugin's entry has to be valid here; other plugins are someone else's concern.
    const index = body.findIndex((p: unknown) => (p as { id?: unknown } | null)?.id === options.pluginId);
    if (index < 0) continue;
    const parsed = pluginEntrySchema.safeParse(body[index]);
    if (!parsed.success) {
      throw new VerifyError(
        'manifest',
        `${repo.pluginsJsonUrl.href} has an invalid entry for ${options.pluginId}:\n  ${describeIssues(`plugins.json[${index}]`, parsed.error.issues).join('\n  ')}`,
      );
    }
    found.push({ plugin: parsed.data, base: repo.base, pluginsJsonUrl: repo.pluginsJsonUrl });
  }
  if (found.length === 0) {
    throw new VerifyError('release', `no repository lists plugin ${options.pluginId} (looked in ${repos.map((r) => r.pluginsJsonUrl.href).join(', ')})`);
  }
  if (found.length > 1) log(`warning: ${found.length} repositories list ${options.pluginId}; using the first`);
  return found[0];
}

/** Gate: the pinned version when configured (exact match), else the highest release that requires deck. */
export function pickRelease(plugin: PluginEntry, version: string | undefined): PluginRelease {
  if (version !== undefined) {
    const pinned = plugin.releases.find((r) => r.version === version);
    if (!pinned) {
      throw new VerifyError(
        'release',
        `${plugin.id} has no release ${version} (plugins.json has: ${plugin.releases.map((r) => r.version).join(', ') || 'none'}); ` +
          `Gate would silently serve the newest release instead`,
      );
    }
    if (!requiresService(pinned.requires, DECK_SERVICE)) {
      throw new VerifyError(
        'release',
        `${plugin.id} ${version} has requires "${pinned.requires}", which does not name deck: Gate would not extract deck.zip from it`,
      );
    }
    return pinned;
  }
  const candidates = plugin.releases.filter((r) => requiresService(r.requires, DECK_SERVICE));
  if (candidates.length === 0) {
    const seen = [...new Set(plugin.releases.map((r) => `"${r.requires}"`))].join(', ') || 'no releases';
    throw new VerifyError('release', `no release of ${plugin.id} requires deck (requires seen: ${seen}); Gate would serve nothing to Deck`);
  }
  return candidates.reduce((a, b) => (compareVersionStrings(b.version, a.version) > 0 ? b : a));
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
  const { plugin, base } = await locatePlugin(options, log);
  const release = pickRelease(plugin, options.version);
  log(`release ${release.version} (${options.version ? 'pinned' : 'highest requiring deck'}), requires ${release.requires}`);

  let bundleUrl: URL;
  try {
    bundleUrl = new URL(release.url, base);
  } catch {
    throw new VerifyError('manifest', `release ${release.version} has url "${release.url}", which is not a URL`);
  }
  let bundle: Uint8Array;
  try {
    bundle = await fetchBytes(bundleUrl);
  } catch (e) {
    if (e instanceof FetchError) throw new VerifyError('download', `cannot download the bundle: ${e.message}`);
    throw e;
  }
  const sha512 = sha512Hex(bundle);
  if (sha512 !== release.sha512sum.toLowerCase()) {
    throw new VerifyError(
      'checksum',
      `SHA-512 mismatch for ${bundleUrl.href}: plugins.json says ${release.sha512sum}, the download is ${sha512}. ` +
        `Gate refuses this bundle (tampered, or plugins.json was not updated after a rebuild)`,
    );
  }
  log(`downloaded ${bundle.length} bytes from ${bundleUrl.href}, SHA-512 matches`);

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
