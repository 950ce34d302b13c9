// The views' table at scale, in headless Chromium: 10,000 replica sets across 50 agents (a
// fixture generated in the page, deck-plugin/bench/tablePage.tsx) in the replica-set table.
// Figures: first rows painted after the data arrives, one filter keystroke repainted, blank
// viewports after scroll jumps; the baseline is the same table rendering every row (as Deck's own
// tables do), measured in the same run. Medians over several runs. "Repainted" waits for the
// next frame after the work, so it includes up to one frame (16.7 ms) of waiting for vsync.
import { readFileSync } from 'node:fs';

import { build } from 'esbuild';

import { launchBrowser } from '../../e2e/browser';
import type { BenchRow } from '../types';

const RUNS = 5;
const FILTER = 'web-service-07';

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (n: number) => Math.round(n * 10) / 10;

interface TableBench {
  rows: number;
  firstPaint(virtualize: boolean): Promise<number>;
  keystrokes(text: string): Promise<{ painted: number[]; work: number[] }>;
  blankAfterScroll(count: number): Promise<number>;
}

export async function run(): Promise<BenchRow[]> {
  const bundle = await build({
    entryPoints: ['deck-plugin/bench/tablePage.tsx'],
    bundle: true,
    minify: true,
    format: 'iife',
    write: false,
    platform: 'browser',
    jsx: 'transform',
    // The table's CSS is put in the page below (in Deck the bundle injects it).
    loader: { '.css': 'empty' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]!.text.replace(/<\/script/g, '<\\/script');
  const css = readFileSync('deck-plugin/src/views/table/DataTable.css', 'utf8');
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.setContent(`<!doctype html><html><head><style>${css}</style></head><body><div id="root"></div><script>${js}</script></body></html>`);
    const measure = async (virtualize: boolean) => {
      const paint: number[] = [];
      const keys: number[] = [];
      const work: number[] = [];
      let blank = 0;
      for (let i = 0; i <= RUNS; i++) {
        const first = await page.evaluate((v) => (window as unknown as { tableBench: TableBench }).tableBench.firstPaint(v), virtualize);
        const typed = await page.evaluate((t) => (window as unknown as { tableBench: TableBench }).tableBench.keystrokes(t), FILTER);
        await page.evaluate(() => (window as unknown as { tableBench: TableBench }).tableBench.keystrokes(''));
        if (i === 0) continue; // warm-up (JIT)
        paint.push(first);
        keys.push(median(typed.painted));
        work.push(median(typed.work));
        // A cleared filter shows all rows again; jump around them.
        await page.evaluate((v) => (window as unknown as { tableBench: TableBench }).tableBench.firstPaint(v), virtualize);
        blank += await page.evaluate(() => (window as unknown as { tableBench: TableBench }).tableBench.blankAfterScroll(10));
      }
      return { paint: median(paint), keys: median(keys), work: median(work), blank };
    };
    const rows = await page.evaluate(() => (window as unknown as { tableBench: TableBench }).tableBench.rows);
    const all = await measure(false);
    const windowed = await measure(true);
    return [
      { name: `first rows painted after the data arrives (${rows} replica sets, 50 agents)`, value: round(windowed.paint), unit: 'ms', baseline: { name: 'every row rendered', value: round(all.paint) }, target: '<= 50 ms' },
      { name: `filter keystroke repainted (median key of "${FILTER}")`, value: round(windowed.keys), unit: 'ms', baseline: { name: 'every row rendered', value: round(all.keys) }, target: '<= 16 ms' },
      { name: 'filter keystroke, script and layout alone', value: round(windowed.work), unit: 'ms', baseline: { name: 'every row rendered', value: round(all.work) } },
      { name: `blank viewports after ${RUNS * 10} scroll jumps`, value: windowed.blank, unit: '', baseline: { name: 'every row rendered', value: all.blank }, target: '0' },
    ];
  } finally {
    await browser.close();
  }
}
