// Size of what Deck downloads: build/dist/index.js, raw and gzip -9. The baseline is the `yaml`
// library alone, bundled and minified the same way in this run: the largest third-party piece
// we must ship (Deck shares no YAML parser that keeps positions), so the gap is our own code.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';

import type { BenchRow } from '../types';

const kb = (n: number) => Math.round((n / 1024) * 10) / 10;

export async function run(): Promise<BenchRow[]> {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'ignore' });
  const bundle = readFileSync('build/dist/index.js');
  const yamlOnly = await build({
    stdin: { contents: "export { parseDocument, LineCounter } from 'yaml';", resolveDir: process.cwd() },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    platform: 'browser',
  });
  const yamlBytes = Buffer.from(yamlOnly.outputFiles[0].contents);
  const gz = (b: Buffer) => gzipSync(b, { level: 9 }).length;
  return [
    { name: 'bundle index.js, minified', value: kb(bundle.length), unit: 'KB', baseline: { name: 'yaml alone', value: kb(yamlBytes.length) } },
    { name: 'bundle index.js, gzip -9', value: kb(gz(bundle)), unit: 'KB', baseline: { name: 'yaml alone', value: kb(gz(yamlBytes)) }, target: '<= 60 KB' },
  ];
}
