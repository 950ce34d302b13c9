/**
 * Builds the Deck plugin (`npm run build` -> build/dist/index.js) when its inputs changed since the
 * last build this sandbox made, so repeated test runs and restarts skip rollup.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { withLock } from './lock';
import { PLUGIN_DIST_DIR, REPO_ROOT } from './plugin';

const STAMP = join(REPO_ROOT, 'build/.sandbox-plugin-inputs');

async function files(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (!/\.test\.tsx?$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

async function inputsHash(): Promise<string> {
  const h = createHash('sha256');
  const inputs = [
    ...(await files(join(REPO_ROOT, 'deck-plugin/src'))),
    ...(await files(join(REPO_ROOT, 'deck-plugin/build'))),
    join(REPO_ROOT, 'rollup.config.js'),
    join(REPO_ROOT, 'package.json'),
    join(REPO_ROOT, 'package-lock.json'),
  ];
  for (const f of inputs) h.update(f.slice(REPO_ROOT.length)).update('\0').update(await readFile(f)).update('\0');
  return h.digest('hex');
}

function run(cmd: string, args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        log(out.trim().split('\n').filter((l) => /created|warn/i.test(l)).join('\n'));
        resolve();
      } else reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${out.trim()}`));
    });
  });
}

export interface PluginBuild {
  dir: string;
  built: boolean;
  ms: number;
}

export async function ensurePluginBuilt(opts: { force?: boolean; log?: (line: string) => void } = {}): Promise<PluginBuild> {
  const started = Date.now();
  return withLock('plugin-build', async () => {
    const hash = await inputsHash();
    const fresh = existsSync(join(PLUGIN_DIST_DIR, 'index.js')) && existsSync(STAMP) && (await readFile(STAMP, 'utf8')) === hash;
    if (fresh && !opts.force) return { dir: PLUGIN_DIST_DIR, built: false, ms: Date.now() - started };
    await run('npm', ['run', '--silent', 'build'], opts.log ?? (() => undefined));
    await mkdir(join(REPO_ROOT, 'build'), { recursive: true });
    await writeFile(STAMP, hash);
    return { dir: PLUGIN_DIST_DIR, built: true, ms: Date.now() - started };
  });
}
