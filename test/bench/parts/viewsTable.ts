// The views' table at scale, in headless Chromium: 10,000 replica sets across 50 agents (a
// fixture generated in the page, deck-plugin/bench/tablePage.tsx) in the replica-set table.
// Figures: first rows painted after the data arrives, one filter keystroke repainted, blank
// viewports after scroll jumps; the baseline is the same table rendering every row (as Deck's own
// tables do), measured in the same run. Medians over several runs.
//
// A keystroke is measured two ways. The standard one is the Event Timing API (what INP uses): keys
// typed through Playwright's keyboard (trusted input), `duration` from the key's timestamp to the
// next paint, 8 ms resolution, and only keys of 16 ms or more are reported at all. The older one
// dispatches a synthetic input event right after a frame and times it with performance.now() until
// a rAF-then-task after the work: that always includes the wait for the next frame, so it cannot
// read under one frame interval (16.7 ms); and the work alone (script plus a forced layout).
//
// Even a key that changes nothing misses a frame now and then here (headless Chromium, software
// compositing, a shared machine: 0-7% quiet, about a quarter under load): the same keys typed into
// a text box beside the table that nothing listens to are the floor the filter's share of slow
// keys is compared with. A few more rounds under a Chromium trace split each key's CPU (thread)
// time into the main thread's part and the part drawing its frame (compositor, raster, GPU), for
// the filter and for that box: thread time is what other processes on the cores do not inflate.
import { readFileSync } from 'node:fs';

import { build } from 'esbuild';

import { launchBrowser } from '../../e2e/browser';
import { median } from '../stats';
import { keystrokeCpu, recordTrace } from './traceTasks';
import type { BenchRow } from '../types';

const RUNS = 5;
const TRACED_RUNS = 3;
const FILTER = 'web-service-07';

const round = (n: number) => Math.round(n * 10) / 10;
/** The Event Timing API reports no entry under this (its lowest durationThreshold). */
const EVENT_TIMING_FLOOR_MS = 16;

interface TableBench {
  rows: number;
  startEventTiming(idle?: boolean): void;
  takeEventTiming(): Promise<Array<{ duration: number; processing: number }>>;
  painted(): Promise<void>;
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
    /**
     * Types FILTER through Playwright's keyboard (trusted input) into the filter box, or (`idle`) a
     * text box beside the table that nothing listens to: every key's Event Timing duration, a key
     * the API did not report counting as its floor.
     */
    const typeForReal = async (idle: boolean): Promise<number[]> => {
      await page.evaluate((i) => (window as unknown as { tableBench: TableBench }).tableBench.startEventTiming(i), idle);
      for (const ch of FILTER) {
        await page.keyboard.type(ch);
        await page.evaluate(() => (window as unknown as { tableBench: TableBench }).tableBench.painted());
      }
      const reported = (await page.evaluate(() => (window as unknown as { tableBench: TableBench }).tableBench.takeEventTiming())).map((t) => t.duration);
      return [...reported, ...Array<number>(Math.max(0, FILTER.length - reported.length)).fill(EVENT_TIMING_FLOOR_MS)];
    };
    const slowShare = (durations: number[]) => (100 * durations.filter((d) => d > EVENT_TIMING_FLOOR_MS).length) / durations.length;
    const measure = async (virtualize: boolean) => {
      const paint: number[] = [];
      const keys: number[] = [];
      const work: number[] = [];
      const inputToPaint: number[] = [];
      // The floor, typed in the same iteration as the table's keys, so both see the same load.
      const idleToPaint: number[] = [];
      let blank = 0;
      for (let i = 0; i <= RUNS; i++) {
        const first = await page.evaluate((v) => (window as unknown as { tableBench: TableBench }).tableBench.firstPaint(v), virtualize);
        const typed = await page.evaluate((t) => (window as unknown as { tableBench: TableBench }).tableBench.keystrokes(t), FILTER);
        await page.evaluate(() => (window as unknown as { tableBench: TableBench }).tableBench.keystrokes(''));
        // The same keys typed for real, into a fresh table, then into the box nothing listens to.
        await page.evaluate((v) => (window as unknown as { tableBench: TableBench }).tableBench.firstPaint(v), virtualize);
        const timed = await typeForReal(false);
        const idle = await typeForReal(true);
        if (i === 0) continue; // warm-up (JIT)
        paint.push(first);
        keys.push(median(typed.painted));
        work.push(median(typed.work));
        inputToPaint.push(...timed);
        idleToPaint.push(...idle);
        // A cleared filter shows all rows again; jump around them.
        await page.evaluate((v) => (window as unknown as { tableBench: TableBench }).tableBench.firstPaint(v), virtualize);
        blank += await page.evaluate(() => (window as unknown as { tableBench: TableBench }).tableBench.blankAfterScroll(10));
      }
      return {
        paint: median(paint),
        keys: median(keys),
        work: median(work),
        blank,
        inputToPaint: median(inputToPaint),
        slowShare: slowShare(inputToPaint),
        idle: { inputToPaint: median(idleToPaint), slowShare: slowShare(idleToPaint) },
      };
    };
    const rows = await page.evaluate(() => (window as unknown as { tableBench: TableBench }).tableBench.rows);
    const all = await measure(false);
    const windowed = await measure(true);
    const idle = windowed.idle;
    // Where a key's time goes, by CPU (thread) time, which other processes on the cores do not
    // inflate: a few more rounds of the same typed keys under a Chromium trace.
    const cdp = await browser.context.newCDPSession(page);
    const cpu = { table: { main: [] as number[], drawing: [] as number[], first: [] as number[] }, idle: { main: [] as number[], drawing: [] as number[], first: [] as number[] } };
    for (let i = 0; i < TRACED_RUNS; i++) {
      await page.evaluate(() => (window as unknown as { tableBench: TableBench }).tableBench.firstPaint(true));
      for (const which of ['table', 'idle'] as const) {
        // Focused, and two frames drawn, before the first key: the frame after a focus change or
        // after the trace starts rasters more than any key would.
        await page.evaluate((i) => (window as unknown as { tableBench: TableBench }).tableBench.startEventTiming(i), which === 'idle');
        const keys = keystrokeCpu(
          await recordTrace(cdp, async () => {
            for (let f = 0; f < 2; f++) await page.evaluate(() => (window as unknown as { tableBench: TableBench }).tableBench.painted());
            await typeForReal(which === 'idle');
          }),
        );
        cpu[which].main.push(...keys.map((k) => k.main));
        cpu[which].drawing.push(...keys.map((k) => k.drawing));
        // The first key matches against every row; later ones narrow its matches. (Not the costliest
        // key: under a trace, one key of each typed filter also pays for the trace's own flush.)
        if (keys[0]) cpu[which].first.push(keys[0].main + keys[0].drawing);
      }
    }
    return [
      { name: `first rows painted after the data arrives (${rows} replica sets, 50 agents)`, value: round(windowed.paint), unit: 'ms', baseline: { name: 'every row rendered', value: round(all.paint) }, target: '<= 50 ms' },
      // Not against the 16 ms target: it starts just after a frame (the rAF-then-task before the key),
      // so it reads at least one frame interval, 16.7 ms, however little the key costs.
      { name: `filter keystroke (synthetic input) to rAF-then-task, floor one frame (median key of "${FILTER}")`, value: round(windowed.keys), unit: 'ms', baseline: { name: 'every row rendered', value: round(all.keys) } },
      {
        name: `filter keystroke, Event Timing input to next paint (median of ${RUNS * FILTER.length} typed keys; a key the API does not report, under 16 ms, counts as 16)`,
        value: round(windowed.inputToPaint),
        unit: 'ms',
        baseline: { name: 'every row rendered', value: round(all.inputToPaint) },
        target: '<= 16 ms',
      },
      // Against the browser's floor on this machine: the same keys typed into a text box beside the
      // table that nothing listens to. Keys that miss a frame there are the compositor's, not ours.
      {
        name: 'typed keys Event Timing puts over 16 ms (24 ms or more at its 8 ms resolution)',
        value: round(windowed.slowShare),
        unit: '%',
        baseline: { name: 'a text box nothing listens to, same page', value: round(idle.slowShare) },
        target: 'at the floor',
      },
      { name: '  the same, every row rendered', value: round(all.slowShare), unit: '%' },
      { name: '  Event Timing median, the text box nothing listens to', value: round(idle.inputToPaint), unit: 'ms' },
      // What a key that changes the rows costs besides its script: the table's area repainted and
      // rastered (software raster here), where the box nothing listens to repaints a few glyphs.
      { name: `filter key CPU on the main thread (handlers, style, layout, paint; median of ${TRACED_RUNS * FILTER.length} keys, traced)`, value: round(median(cpu.table.main)), unit: 'ms', baseline: { name: 'the text box nothing listens to', value: round(median(cpu.idle.main)) } },
      { name: '  the same key, CPU drawing its frame (compositor, raster, GPU threads)', value: round(median(cpu.table.drawing)), unit: 'ms', baseline: { name: 'the text box nothing listens to', value: round(median(cpu.idle.drawing)) } },
      { name: `  the first key of a filter (matched against all ${rows} rows), both together`, value: round(median(cpu.table.first)), unit: 'ms', baseline: { name: 'the text box nothing listens to', value: round(median(cpu.idle.first)) } },
      { name: 'filter keystroke (synthetic input), script and layout alone', value: round(windowed.work), unit: 'ms', baseline: { name: 'every row rendered', value: round(all.work) } },
      { name: `blank viewports after ${RUNS * 10} scroll jumps`, value: windowed.blank, unit: '', baseline: { name: 'every row rendered', value: all.blank }, target: '0' },
    ];
  } finally {
    await browser.close();
  }
}
