/**
 * The first half of what Gate does for a Deck plugin, shared by verify-manifest and the bridge's
 * preflight: repositories.json -> each repository's plugins.json (resolved the way pf4j-update
 * resolves it) -> the plugin's release (a pinned version, else the highest whose `requires` names
 * deck) -> download -> SHA-512 checked against plugins.json. Nothing here unpacks or runs the
 * bundle, so it needs only Node and zod.
 */
import { DECK_SERVICE, sha512Hex } from '../core/bundle';
import {
  describeIssues,
  type PluginEntry,
  pluginEntrySchema,
  type PluginRelease,
  repositoriesJsonSchema,
} from '../core/pluginsJson';
import { requiresService } from '../core/requires';
import { compareVersionStrings } from '../core/semver';
import { fetchBytes, FetchError } from './fetchResource';

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

export interface ReleaseOptions {
  /** repositories.json or plugins.json (Spinnaker's repository URL may point at either). */
  source: URL;
  pluginId: string;
  /** Pinned version (`spinnaker.extensibility.deck-proxy.plugins.<id>.version`). */
  version?: string;
  log?: (line: string) => void;
  /** Per download (default: fetchResource's). */
  timeoutMs?: number;
}

export interface FetchedRelease {
  plugin: PluginEntry;
  release: PluginRelease;
  bundleUrl: URL;
  bundle: Uint8Array;
  sha512: string;
}

interface Located {
  plugin: PluginEntry;
  /** The repository URL release URLs are resolved against (pf4j: new URL(repositoryUrl, release.url)). */
  base: URL;
  pluginsJsonUrl: URL;
}

async function fetchJson(url: URL, what: string, timeoutMs?: number): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await fetchBytes(url, { maxBytes: 8 * 1024 * 1024, timeoutMs });
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

async function locatePlugin(options: ReleaseOptions, log: (l: string) => void): Promise<Located> {
  const top = await fetchJson(options.source, 'the repository file', options.timeoutMs);
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
    const body = repo.body ?? (await fetchJson(repo.pluginsJsonUrl, `plugins.json of repository "${repo.id}"`, options.timeoutMs));
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

/** The release Gate would pick, downloaded and checked against its `sha512sum`. */
export async function fetchVerifiedRelease(options: ReleaseOptions): Promise<FetchedRelease> {
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
    bundle = await fetchBytes(bundleUrl, { timeoutMs: options.timeoutMs });
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

  return { plugin, release, bundleUrl, bundle, sha512 };
}
