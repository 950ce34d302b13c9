/**
 * Builds the release bundle Spinnaker downloads: `<name>-<version>.zip` holding `deck.zip` (named
 * by the `<service>.zip` rule kork's PluginBundleExtractor relies on), which holds `index.js`, the
 * chunks it loads and their source maps, all at its root (Gate serves top-level files only).
 * Beside the bundle: `<zip>.sha512` and `plugin-info.json`.
 *
 * Reproducible: the same inputs give the same bytes (fixed order, timestamps and level), so the
 * SHA-512 in plugins.json can be checked by anyone who rebuilds the tag.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { DECK_FILES, DECK_ZIP, sha512Hex } from '../core/bundle';
import { describeChunkProblem, followChunks } from '../core/chunks';
import { bundleFileName, type PluginInfo } from '../core/pluginInfo';
import { formatJson } from '../core/pluginsJson';
import { DOS_EPOCH_SECONDS, writeZip } from '../zip/writeZip';

export { DECK_FILES, DECK_SERVICE, DECK_ZIP, sha512Hex } from '../core/bundle';

export interface PluginInfoFile {
  id: string;
  version: string;
  provider: string;
  description: string;
  requires: string;
  sha512sum: string;
  date: string;
}

export interface PackageResult {
  bundlePath: string;
  sha512Path: string;
  pluginInfoPath: string;
  sha512: string;
  pluginInfo: PluginInfoFile;
}

export class PackageError extends Error {}

/**
 * SOURCE_DATE_EPOCH (reproducible-builds.org) when set, else none: the zip then carries
 * 1980-01-01 and plugin-info.json the current time (the date is not part of the hashed bytes).
 */
export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new PackageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${raw}"`);
  return Number(raw);
}

/** pf4j-update parses exactly `yyyy-MM-dd'T'HH:mm:ss'Z'`: no milliseconds. */
export function pf4jDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface PackageOptions {
  info: PluginInfo;
  /** Folder holding the built index.js and index.js.map (build/dist). */
  distDir: string;
  /** Output folder (build/release). */
  outDir: string;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

function readDist(distDir: string, name: string): Uint8Array {
  const path = join(distDir, name);
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    throw new PackageError(`${path} is missing: run \`npm run build\` first (npm run package does)`);
  }
}

/**
 * index.js, its map, and every chunk it can load with the chunk's map, found by following the
 * code's imports (so a stale chunk of an earlier build is left out, and a missing one stops here).
 */
export function deckFiles(distDir: string): Array<{ name: string; data: Uint8Array }> {
  const data = new Map<string, Uint8Array>(DECK_FILES.map((name) => [name, readDist(distDir, name)]));
  const texts = new Map<string, string>();
  const { problems } = followChunks({
    get: (name: string) => {
      if (!texts.has(name)) texts.set(name, Buffer.from(data.get(name) ?? readDist(distDir, name)).toString('utf8'));
      return texts.get(name);
    },
    has: (name: string) => data.has(name) || existsSync(join(distDir, name)),
  } as ReadonlyMap<string, string>);
  if (problems.length) throw new PackageError(`the build is incomplete: ${problems.map(describeChunkProblem).join('; ')}; run \`npm run build\``);
  for (const name of texts.keys()) {
    if (!data.has(name)) data.set(name, readDist(distDir, name));
    const map = `${name}.map`;
    if (!data.has(map) && existsSync(join(distDir, map))) data.set(map, readDist(distDir, map));
  }
  // index.js first (as Gate lists it), then by name: the same inputs give the same zip.
  const names = [...data.keys()].sort((a, b) => (a === 'index.js' ? -1 : b === 'index.js' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => ({ name, data: data.get(name) as Uint8Array }));
}

export function buildDeckZip(distDir: string, mtime: number): Uint8Array {
  return writeZip(deckFiles(distDir), { mtimeEpochSeconds: mtime });
}

export function packageBundle(options: PackageOptions): PackageResult {
  const { info, distDir, outDir } = options;
  const env = options.env ?? process.env;
  const epoch = sourceDateEpoch(env);
  const mtime = epoch ?? DOS_EPOCH_SECONDS;
  const deckZip = buildDeckZip(distDir, mtime);
  const bundle = writeZip([{ name: DECK_ZIP, data: deckZip }], { mtimeEpochSeconds: mtime });
  const sha512 = sha512Hex(bundle);

  mkdirSync(outDir, { recursive: true });
  const bundlePath = join(outDir, bundleFileName(info, info.version));
  const sha512Path = `${bundlePath}.sha512`;
  const pluginInfoPath = join(outDir, 'plugin-info.json');
  const pluginInfo: PluginInfoFile = {
    id: info.id,
    version: info.version,
    provider: info.provider,
    description: info.description,
    requires: info.requires,
    sha512sum: sha512,
    date: pf4jDate(epoch !== undefined ? new Date(epoch * 1000) : (options.now ?? (() => new Date()))()),
  };
  writeAtomically(bundlePath, bundle);
  // sha512sum(1) format, which `sha512sum -c` and pf4j's ".sha512" lookup both read.
  writeAtomically(sha512Path, `${sha512}  ${basename(bundlePath)}\n`);
  writeAtomically(pluginInfoPath, formatJson(pluginInfo));
  return { bundlePath, sha512Path, pluginInfoPath, sha512, pluginInfo };
}

export function writeAtomically(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
