// `npm run bench`: every figure beside a baseline measured in the same run. Parts live in
// ./parts; each exports run(). A part that fails prints its error and the others still run.
import type { BenchPart, BenchRow } from './types';

const PARTS: Array<[string, () => Promise<{ run: BenchPart }>]> = [
  ['bundle', () => import('./parts/bundle')],
  ['deploy.yml validation', () => import('./parts/deployYaml')],
  ['bridge', () => import('./parts/bridge')],
  ['preflight', () => import('./parts/preflight')],
  ['bridge views (scale seed)', () => import('./parts/bridgeViews')],
  ['views table at scale (headless Chromium)', () => import('./parts/viewsTable')],
  ['Deck with the plugin (real Deck UI, headless Chromium)', () => import('./parts/deckBoot')],
  ['typing in a 5,000-line deploy.yml (real Deck UI, headless Chromium)', () => import('./parts/typing')],
];

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  let failed = false;
  for (const [title, load] of PARTS) {
    if (only.length && !only.some((o) => title.includes(o))) continue;
    console.log(`\n== ${title}`);
    let rows: BenchRow[];
    try {
      rows = await (await load()).run();
    } catch (err) {
      failed = true;
      console.log(`   failed: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) {
      const base = r.baseline ? `   baseline (${r.baseline.name}): ${fmt(r.baseline.value)} ${r.unit}` : '';
      const target = r.target ? `   target ${r.target}` : '';
      console.log(`   ${r.name.padEnd(width)}  ${fmt(r.value).padStart(9)} ${r.unit}${base}${target}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

void main();
