/**
 * Bundles the Deck shell (main.ts + @spinnaker/core from npm) with esbuild into build/deck-shell/.
 *
 * The build is cached: a hash of the inputs (this folder, the lock file, the esbuild options) is
 * stored beside the output, and a matching hash skips the ~2 s build, so the end-to-end tests and
 * `npm start` pay for it once.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

import { withLock } from '../lib/lock';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '../..');
export const DEFAULT_SHELL_DIR = join(REPO_ROOT, 'build/deck-shell');
const HASH_FILE = '.inputs-hash';

/** Libraries core's `exposeSharedLibraries()` requires without depending on them (see stubs/README.md). */
const STUBBED = { ajv: 'ajv', '@spinnaker/kayenta': 'kayenta', 'react-redux': 'react-redux', 'redux-actions': 'redux-actions', reselect: 'reselect' };

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out.sort();
}

async function inputsHash(): Promise<string> {
  const h = createHash('sha256');
  const inputs = [...(await filesUnder(HERE)).filter((f) => !f.endsWith('.test.ts')), join(REPO_ROOT, 'package-lock.json')];
  for (const f of inputs) {
    h.update(f.slice(REPO_ROOT.length)).update('\0').update(await readFile(f)).update('\0');
  }
  return h.digest('hex');
}

export interface ShellBuild {
  dir: string;
  /** False when the cached build matched the inputs. */
  built: boolean;
  ms: number;
}

/** Builds the shell into `outDir` unless a build of the same inputs is already there. */
export async function buildDeckShell(outDir: string = DEFAULT_SHELL_DIR, opts: { force?: boolean } = {}): Promise<ShellBuild> {
  return withLock('deck-shell-build', () => build(outDir, opts));
}

async function build(outDir: string, opts: { force?: boolean }): Promise<ShellBuild> {
  const started = Date.now();
  const hash = await inputsHash();
  const hashPath = join(outDir, HASH_FILE);
  if (!opts.force && existsSync(hashPath) && (await readFile(hashPath, 'utf8')) === hash && existsSync(join(outDir, 'main.js'))) {
    return { dir: outDir, built: false, ms: Date.now() - started };
  }
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const coreVersion = JSON.parse(await readFile(join(REPO_ROOT, 'node_modules/@spinnaker/core/package.json'), 'utf8')).version as string;
  // Deck compares this with /version.json to offer a reload: both must match.
  const version = { version: `sandbox-core-${coreVersion}`, created: Date.now() };
  await writeFile(join(outDir, 'version.json'), JSON.stringify(version));

  const alias: Record<string, string> = {};
  for (const [name, file] of Object.entries(STUBBED)) alias[name] = join(HERE, 'stubs', `${file}.cjs`);

  await esbuild.build({
    entryPoints: { main: join(HERE, 'main.ts') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    splitting: true,
    platform: 'browser',
    target: 'es2019',
    minify: false,
    sourcemap: false,
    logLevel: 'error',
    alias,
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    loader: {
      '.woff': 'file',
      '.woff2': 'file',
      '.ttf': 'file',
      '.eot': 'file',
      '.otf': 'file',
      '.svg': 'file',
      '.png': 'file',
      '.gif': 'file',
      '.jpg': 'file',
      '.html': 'text',
    },
    plugins: [
      {
        name: 'root-version-json',
        setup(build) {
          build.onResolve({ filter: /^root\/version\.json$/ }, () => ({ path: 'version.json', namespace: 'deck-root' }));
          build.onLoad({ filter: /.*/, namespace: 'deck-root' }, () => ({ contents: JSON.stringify(version), loader: 'json' }));
        },
      },
    ],
  });
  await copyFile(join(HERE, 'index.html'), join(outDir, 'index.html'));
  await writeFile(hashPath, hash);
  return { dir: outDir, built: true, ms: Date.now() - started };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildDeckShell(process.argv[2] ? resolve(process.argv[2]) : undefined, { force: process.argv.includes('--force') })
    .then((b) => console.log(`${b.built ? 'built' : 'up to date'}: ${b.dir} (${b.ms} ms)`))
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
