/**
 * The release workflow cannot run here (it needs GitHub). What can be checked: it triggers on
 * v* tags, calls only npm scripts whose CLIs these tests run, and reads only the step outputs
 * `npm run release` writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as z from 'zod';

import { repoRoot } from './core/pluginInfo';

const root = repoRoot();
const workflowSchema = z.object({
  on: z.record(z.string(), z.unknown()),
  permissions: z.record(z.string(), z.string()).optional(),
  jobs: z.record(z.string(), z.object({ steps: z.array(z.looseObject({ id: z.string().optional(), run: z.string().optional(), uses: z.string().optional() })) })),
});
const read = (name: string) => workflowSchema.parse(parse(readFileSync(join(root, '.github', 'workflows', name), 'utf8')));
const scripts = z.object({ scripts: z.record(z.string(), z.string()) }).parse(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))).scripts;

/** npm scripts and the CLI each runs; every CLI here has tests in plugin-manifest/. */
const TESTED_SCRIPTS: Record<string, string> = {
  package: 'npm run build && tsx plugin-manifest/package/cli.ts',
  release: 'tsx plugin-manifest/release/cli.ts',
  'verify-manifest': 'tsx plugin-manifest/verify/cli.ts',
  'check-config': 'tsx plugin-manifest/checkConfig/cli.ts',
  'docs:admin': 'tsx plugin-manifest/docs/cli.ts',
};

describe('package.json scripts', () => {
  it('run the CLIs the tests exercise', () => {
    for (const [name, command] of Object.entries(TESTED_SCRIPTS)) expect(scripts[name], name).toBe(command);
  });

  it('regenerate the admin guide inside `npm version`, so the tagged commit passes its up-to-date test', () => {
    expect(scripts.version).toBe('npm run docs:admin && git add docs');
  });
});

describe('.github/workflows/release.yml', () => {
  const wf = read('release.yml');
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
  const shell = steps.map((s) => s.run ?? '').join('\n');

  it('runs on v* tags with permission to publish', () => {
    expect(wf.on).toEqual({ push: { tags: ['v*'] } });
    expect(wf.permissions).toEqual({ contents: 'write' });
  });

  it('calls only npm ci, npm test and npm scripts whose CLIs are tested, in that order', () => {
    const npm = [...shell.matchAll(/\bnpm (ci|test|run [\w:-]+)/g)].map((m) => m[1]);
    expect(npm).toEqual(['ci', 'test', 'run package', 'run release']);
    for (const call of npm.filter((c) => c.startsWith('run '))) expect(Object.keys(TESTED_SCRIPTS)).toContain(call.slice(4));
    expect(shell).toContain('npm run release -- "${GITHUB_REF_NAME#v}"');
  });

  it('reads only the outputs `npm run release` writes', () => {
    const text = readFileSync(join(root, '.github', 'workflows', 'release.yml'), 'utf8');
    const used = new Set([...text.matchAll(/steps\.release\.outputs\.(\w+)/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(['bundle', 'sha512', 'sha512_file', 'tag']);
    expect(steps.find((s) => s.id === 'release')?.run).toContain('npm run release');
  });
});

describe('.github/workflows/ci.yml', () => {
  it('runs .ci/run, the same command a fresh clone runs', () => {
    const wf = read('ci.yml');
    const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run).filter(Boolean));
    expect(runs).toEqual(['.ci/run']);
  });
});
