/**
 * The image's build stage, run without Docker: bridge/Dockerfile's first stage (WORKDIR, COPY and
 * RUN, as BuildKit would, with the files Dockerfile.dockerignore lets into the context) in a scratch
 * folder, installing only what bridge/package-lock.json pins. The bundle it produces must start and
 * answer /healthz. This is the check that fails when the bridge needs a package it does not declare
 * (the image's own build used to fail with `Could not resolve "valibot"`).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix, relative } from 'node:path';

import { type Emulator, startEmulator } from '../emulator/index';
import { bridgeEnv, getJson, listeningUrls, runBundle } from './harness';

const ROOT = process.cwd();
const DOCKERFILE = join(ROOT, 'bridge/Dockerfile');

type Step = { op: 'WORKDIR' | 'COPY' | 'RUN'; args: string; line: number };

/** The first stage's instructions, continuation lines joined, comments dropped. */
function firstStage(text: string): Step[] {
  const steps: Step[] = [];
  let froms = 0;
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, i) => {
    if (!pending && (raw.trim() === '' || raw.trim().startsWith('#'))) return;
    if (!pending) startLine = i + 1;
    pending += (pending ? ' ' : '') + raw.trim().replace(/\\$/, '').trim();
    if (raw.trimEnd().endsWith('\\')) return;
    const [op = '', ...rest] = pending.split(/\s+/);
    pending = '';
    const instr = op.toUpperCase();
    if (instr === 'FROM') froms++;
    if (froms !== 1 || instr === 'FROM') return;
    if (instr !== 'WORKDIR' && instr !== 'COPY' && instr !== 'RUN') {
      throw new Error(`Dockerfile line ${startLine}: ${instr} in the build stage is not reproduced by this test; extend it`);
    }
    steps.push({ op: instr, args: rest.join(' '), line: startLine });
  });
  return steps;
}

/** Dockerfile.dockerignore as BuildKit reads it: the last pattern that matches a path decides. */
function contextFilter(ignoreText: string): (rel: string) => boolean {
  const rules = ignoreText
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const include = l.startsWith('!');
      const glob = include ? l.slice(1) : l;
      const re = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\/?/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
      return { include, re: new RegExp(`^${re}(/.*)?$`) };
    });
  return (rel) => {
    let included = true;
    for (const r of rules) if (r.re.test(rel)) included = r.include;
    return included;
  };
}

function copyStep(args: string, workdir: string, inContext: (rel: string) => boolean, host: (imagePath: string) => string): void {
  const parts = args.split(/\s+/);
  if (parts.some((p) => p.startsWith('--'))) throw new Error(`COPY ${args}: flags are not reproduced by this test`);
  const dest = parts.pop()!;
  const target = posix.isAbsolute(dest) ? dest : posix.join(workdir, dest);
  for (const src of parts) {
    const from = join(ROOT, src);
    const dir = existsSync(from) && statSync(from).isDirectory();
    // A folder is walked (the ignore rules decide file by file); a file must itself be let in.
    if (!existsSync(from) || (!dir && !inContext(src))) throw new Error(`COPY ${src}: not in the build context (missing, or left out by Dockerfile.dockerignore)`);
    const into = dir || !(dest.endsWith('/') || parts.length > 1) ? target : posix.join(target, basename(src));
    cpSync(from, host(into), {
      recursive: true,
      filter: (f) => statSync(f).isDirectory() || inContext(relative(ROOT, f)),
    });
  }
}

let emu: Emulator;
let scratch: string;
beforeAll(async () => {
  emu = await startEmulator({ stepIntervalMs: 50 });
});
afterAll(async () => {
  await emu?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("the bridge image's build stage, without Docker", () => {
  it('reads only WORKDIR, COPY and RUN from the build stage', () => {
    const ops = firstStage(readFileSync(DOCKERFILE, 'utf8')).map((s) => s.op);
    expect(ops).toContain('RUN');
    expect(ops).toContain('COPY');
    expect(ops.filter((o) => o !== 'WORKDIR' && o !== 'COPY' && o !== 'RUN')).toEqual([]);
  });

  it('installs the locked dependencies, bundles, and the bundle starts and answers /healthz', async () => {
    scratch = mkdtempSync(join(tmpdir(), 'bridge-image-'));
    const inContext = contextFilter(readFileSync(join(ROOT, 'bridge/Dockerfile.dockerignore'), 'utf8'));
    // The image's paths, rooted in the scratch folder.
    const host = (p: string) => join(scratch, p);
    let workdir = '/';
    for (const step of firstStage(readFileSync(DOCKERFILE, 'utf8'))) {
      if (step.op === 'WORKDIR') {
        workdir = posix.resolve(workdir, step.args);
        mkdirSync(host(workdir), { recursive: true });
      } else if (step.op === 'COPY') {
        copyStep(step.args, workdir, inContext, host);
      } else {
        try {
          execFileSync('sh', ['-c', step.args], {
            cwd: host(workdir),
            // The machine's npm cache, so the install is quick; still only what the lockfile pins.
            env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? scratch, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
            stdio: 'pipe',
            timeout: 240_000,
          });
        } catch (e) {
          const err = e as { stderr?: Buffer; stdout?: Buffer };
          throw new Error(`Dockerfile line ${step.line}: RUN failed:\n${String(err.stderr ?? '')}${String(err.stdout ?? '')}`.slice(0, 4000));
        }
      }
    }
    const bundle = host(posix.join(workdir, 'dist/main.cjs'));
    expect(existsSync(bundle)).toBe(true);
    // Installed: what the lockfile pins, the build-only esbuild, and the copied workspaces (the
    // contract, and plugin-manifest for preflight); nothing else.
    const lock = JSON.parse(readFileSync(join(ROOT, 'bridge/package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const modules = host(posix.join(workdir, 'node_modules'));
    const installed = readdirSync(modules)
      .filter((n) => !n.startsWith('.'))
      .flatMap((n) => (n.startsWith('@') ? readdirSync(join(modules, n)).map((m) => `${n}/${m}`) : [n]));
    const stray = installed.filter((n) => !lock.packages[`node_modules/${n}`] && n !== 'esbuild' && !n.startsWith('@esbuild/') && n !== '@cdaas/contract' && n !== '@cdaas/plugin-manifest');
    expect(stray).toEqual([]);
    expect(installed).toContain('valibot');

    const p = runBundle(bundle, bridgeEnv(emu));
    try {
      const { readUrl, deployUrl } = await listeningUrls(p.out);
      expect((await getJson(`${readUrl}/healthz`)).body).toEqual({ status: 'ok' });
      expect((await getJson(`${deployUrl}/healthz`)).body).toEqual({ status: 'ok' });
    } finally {
      p.child.kill('SIGKILL');
    }
  }, 300_000);
});
