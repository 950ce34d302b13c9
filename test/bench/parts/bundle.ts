// What Deck downloads. Deck imports build/dist/index.js at every page load; the chunks beside it
// come when a form or view is first shown. Baseline: today's single module (every import()
// inlined, CDAAS_SINGLE_MODULE=1 into build/single), built in this run from the same sources.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import type { BenchRow } from '../types';

const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
const gz = (b: Buffer) => gzipSync(b, { level: 9 }).length;

export async function run(): Promise<BenchRow[]> {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'ignore' });
  execFileSync('npx', ['rollup', '-c', 'rollup.config.js', '--silent'], { stdio: 'ignore', env: { ...process.env, CDAAS_SINGLE_MODULE: '1' } });
  const single = readFileSync('build/single/index.js');
  const dist = 'build/dist';
  const index = readFileSync(join(dist, 'index.js'));
  const chunks = readdirSync(dist)
    .filter((f) => f.endsWith('.js') && f !== 'index.js')
    .map((f) => ({ name: f, bytes: readFileSync(join(dist, f)) }))
    .sort((a, b) => gz(b.bytes) - gz(a.bytes));
  const baseline = { name: 'single module today', value: kb(gz(single)) };
  return [
    { name: 'initial index.js, minified', value: kb(index.length), unit: 'KB', baseline: { name: 'single module today', value: kb(single.length) } },
    { name: 'initial index.js, gzip -9 (what every Deck page load pays)', value: kb(gz(index)), unit: 'KB', baseline, target: '<= 25 KB' },
    ...chunks.map((c) => ({ name: `  chunk ${c.name}, gzip -9`, value: kb(gz(c.bytes)), unit: 'KB' })),
    {
      name: 'index.js and every chunk, gzip -9 (a user who opens everything)',
      value: kb(gz(index) + chunks.reduce((n, c) => n + gz(c.bytes), 0)),
      unit: 'KB',
      baseline,
    },
  ];
}
