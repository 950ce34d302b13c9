// The views' table at scale, in headless Chromium: 10,000 replica sets across 50 agents (a
// fixture generated in the page, deck-plugin/bench/tablePage.tsx) in the replica-set table.
// Figures: first rows painted after the data arrives, one filter keystroke repainted, blank
// viewports after scroll jumps; the baseline is the same table rendering every row (as Deck's own
// tables do), measured in the same run. Medians over several runs (CDAAS_BENCH_TABLE_RUNS, 5).
//
// An A/B of two versions of the table: CDAAS_BENCH_COMPARE_DIR=<another checkout> (e.g. `git
// archive main | tar -x -C /tmp/before`) measures that checkout's table page, bundled with this
// one's node_modules, in the same rounds as ours, each round's first turn alternating, in place of
// the every-row baseline. Single figures swing by 30% and more on this shared machine, a null A/B
// (the same commit on both sides) included: the share of slow keys read 24 against 23% there, its
// text boxes nothing listens to 11 against 26%. Thread time of the first key varies least.
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
// the filter and for that box: thread time is what other processes on the cores do not inflate
// (much: under a load average of 5-9 it still read a third above a quiet machine's). A key's CPU
// starts with the task that dispatches its keydown (traceTasks.ts): before, its handlers counted
// for the key before it, and the first key's figure read 14-17 ms where it reads 27-28 now.
//
// Of "web-service-07", the first two keys and the last change the rows in view; those three are
// the slow ones (2026-12, load 2-5: 12-14 ms main thread and 6-8 ms drawing, where the box costs 3
// and 2, half of the drawing the display compositor's software draw of the damaged rows), the
// others sit near the box. test/bench/profileTable.ts splits them by phase and thread.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { build } from 'esbuild';
import type { Page } from 'playwright-core';

import { REPO_ROOT } from '../../../sandbox/lib/plugin';
import { launchBrowser } from '../../e2e/browser';
import { median } from '../stats';
import { keystrokeCpu, recordTrace } from './traceTasks';
import type { BenchRow } from '../types';

const RUNS = Number(process.env.CDAAS_BENCH_TABLE_RUNS ?? 5);
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

/**
 * The bench page of a checkout (this one, or CDAAS_BENCH_COMPARE_DIR: another checkout of the
 * repository, e.g. `git archive main | tar -x -C /tmp/before`, bundled with this one's
 * node_modules), as one HTML text.
 */
export async function benchPage(dir: string, minify = true): Promise<string> {
  const bundle = await build({
    entryPoints: [join(dir, 'deck-plugin/bench/tablePage.tsx')],
    bundle: true,
    minify,
    format: 'iife',
    write: false,
    platform: 'browser',
    jsx: 'transform',
    nodePaths: [join(REPO_ROOT, 'node_modules')],
    // The table's CSS is put in the page below (in Deck the bundle injects it).
    loader: { '.css': 'empty' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]!.text.replace(/<\/script/g, '<\\/script');
  const css = readFileSync(join(dir, 'deck-plugin/src/views/table/DataTable.css'), 'utf8');
  return `<!doctype html><html><head><style>${css}</style></head><body><div id="root"></div><script>${js}</script></body></html>`;
}

interface Figures {
  paint: number[];
  keys: number[];
  work: number[];
  inputToPaint: number[];
  /** The floor, typed in the same round as the table's keys, so both see the same load. */
  idleToPaint: number[];
  blank: number;
  cpu: Record<'table' | 'idle', { main: number[]; drawing: number[]; first: number[] }>;
}

const figures = (): Figures => ({
  paint: [],
  keys: [],
  work: [],
  inputToPaint: [],
  idleToPaint: [],
  blank: 0,
  cpu: { table: { main: [], drawing: [], first: [] }, idle: { main: [], drawing: [], first: [] } },
});

const slowShare = (durations: number[]) => (100 * durations.filter((d) => d > EVENT_TIMING_FLOOR_MS).length) / durations.length;

/** One bench page and the rounds measured on it. */
class TablePage {
  constructor(private readonly page: Page) {}

  /** Calls `window.tableBench[method](arg)` in the page. */
  private call<K extends Exclude<keyof TableBench, 'rows'>>(method: K, arg?: Parameters<TableBench[K]>[0]): Promise<Awaited<ReturnType<TableBench[K]>>> {
    return this.page.evaluate(
      ([m, x]) => ((window as unknown as { tableBench: Record<string, (a: unknown) => unknown> }).tableBench[m]!(x)),
      [method, arg] as const,
    ) as Promise<Awaited<ReturnType<TableBench[K]>>>;
  }

  rows(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { tableBench: TableBench }).tableBench.rows);
  }

  /**
   * Types FILTER through Playwright's keyboard (trusted input) into the filter box, or (`idle`) a
   * text box beside the table that nothing listens to: every key's Event Timing duration, a key
   * the API did not report counting as its floor.
   */
  async typeForReal(idle: boolean): Promise<number[]> {
    await this.call('startEventTiming', idle);
    for (const ch of FILTER) {
      await this.page.keyboard.type(ch);
      await this.call('painted');
    }
    const reported = (await this.call('takeEventTiming')).map((t) => t.duration);
    return [...reported, ...Array<number>(Math.max(0, FILTER.length - reported.length)).fill(EVENT_TIMING_FLOOR_MS)];
  }

  /** One round: first paint, the synthetic keys, the typed keys and the floor's, scroll jumps. */
  async round(virtualize: boolean, into: Figures | undefined): Promise<void> {
    await this.page.bringToFront();
    const first = await this.call('firstPaint', virtualize);
    const typed = await this.call('keystrokes', FILTER);
    await this.call('keystrokes', '');
    // The same keys typed for real, into a fresh table, then into the box nothing listens to.
    await this.call('firstPaint', virtualize);
    const timed = await this.typeForReal(false);
    const idle = await this.typeForReal(true);
    if (!into) return; // warm-up (JIT)
    into.paint.push(first);
    into.keys.push(median(typed.painted));
    into.work.push(median(typed.work));
    into.inputToPaint.push(...timed);
    into.idleToPaint.push(...idle);
    // A cleared filter shows all rows again; jump around them.
    await this.call('firstPaint', virtualize);
    into.blank += await this.call('blankAfterScroll', 10);
  }

  /**
   * Where a key's time goes, by CPU (thread) time, which other processes on the cores do not
   * inflate: one more round of the same typed keys under a Chromium trace, filter then box.
   */
  async tracedRound(into: Figures): Promise<void> {
    await this.page.bringToFront();
    const cdp = await this.page.context().newCDPSession(this.page);
    try {
      await this.call('firstPaint', true);
      for (const which of ['table', 'idle'] as const) {
        // Focused, and two frames drawn, before the first key: the frame after a focus change or
        // after the trace starts rasters more than any key would.
        await this.call('startEventTiming', which === 'idle');
        const keys = keystrokeCpu(
          await recordTrace(cdp, async () => {
            for (let f = 0; f < 2; f++) await this.call('painted');
            await this.typeForReal(which === 'idle');
          }),
        );
        into.cpu[which].main.push(...keys.map((k) => k.main));
        into.cpu[which].drawing.push(...keys.map((k) => k.drawing));
        // The first key matches against every row; later ones narrow its matches. (Not the costliest
        // key: under a trace, one key of each typed filter also pays for the trace's own flush.)
        if (keys[0]) into.cpu[which].first.push(keys[0].main + keys[0].drawing);
      }
    } finally {
      await cdp.detach();
    }
  }
}

export async function run(): Promise<BenchRow[]> {
  const compareDir = process.env.CDAAS_BENCH_COMPARE_DIR;
  const browser = await launchBrowser();
  try {
    const open = async (dir: string) => {
      const page = await browser.context.newPage();
      await page.setContent(await benchPage(dir));
      return new TablePage(page);
    };
    const ours = await open(REPO_ROOT);
    const other = compareDir ? await open(compareDir) : undefined;
    const rows = await ours.rows();
    const all = figures();
    const windowed = figures();
    const compared = figures();
    // Every row rendered (the baseline of first paint) in rounds of its own; with a checkout to
    // compare, that checkout's windowed table instead, in the same rounds as ours, taking turns
    // at going first, so load over the run falls on both alike.
    if (!other) for (let i = 0; i <= RUNS; i++) await ours.round(false, i === 0 ? undefined : all);
    for (let i = 0; i <= RUNS; i++) {
      const turn: Array<[TablePage, Figures]> = [[ours, windowed], ...(other ? [[other, compared] as [TablePage, Figures]] : [])];
      if (i % 2 === 1) turn.reverse();
      for (const [page, into] of turn) await page.round(true, i === 0 ? undefined : into);
    }
    for (let i = 0; i < TRACED_RUNS; i++) {
      await ours.tracedRound(windowed);
      if (other) await other.tracedRound(compared);
    }
    const base = other ? compared : all;
    const baseName = other ? `the table of ${compareDir}` : 'every row rendered';
    const vs = (ours: number[] | number, theirs: number[] | number, name = baseName) => ({
      value: round(Array.isArray(ours) ? median(ours) : ours),
      baseline: { name, value: round(Array.isArray(theirs) ? median(theirs) : theirs) },
    });
    const box = 'the text box nothing listens to';
    // The baseline's own text box: on the other checkout's page, or this page's every-row rounds.
    const baseBox = `${box}, ${other ? 'that page' : 'in those rounds'}`;
    const cpu = windowed.cpu;
    return [
      { name: `first rows painted after the data arrives (${rows} replica sets, 50 agents)`, unit: 'ms', ...vs(windowed.paint, base.paint), target: '<= 50 ms' },
      // Not against the 16 ms target: it starts just after a frame (the rAF-then-task before the key),
      // so it reads at least one frame interval, 16.7 ms, however little the key costs.
      { name: `filter keystroke (synthetic input) to rAF-then-task, floor one frame (median key of "${FILTER}")`, unit: 'ms', ...vs(windowed.keys, base.keys) },
      {
        name: `filter keystroke, Event Timing input to next paint (median of ${RUNS * FILTER.length} typed keys; a key the API does not report, under 16 ms, counts as 16)`,
        unit: 'ms',
        ...vs(windowed.inputToPaint, base.inputToPaint),
        target: '<= 16 ms',
      },
      // Against the browser's floor on this machine: the same keys typed into a text box beside the
      // table that nothing listens to. Keys that miss a frame there are the compositor's, not ours.
      {
        name: 'typed keys Event Timing puts over 16 ms (24 ms or more at its 8 ms resolution)',
        unit: '%',
        ...vs(slowShare(windowed.inputToPaint), slowShare(windowed.idleToPaint), `${box}, same page`),
        target: 'at the floor',
      },
      { name: `  the same, ${baseName}`, unit: '%', ...vs(slowShare(base.inputToPaint), slowShare(base.idleToPaint), baseBox) },
      { name: `  Event Timing median, ${box}`, unit: 'ms', ...vs(windowed.idleToPaint, base.idleToPaint, baseBox) },
      // What a key that changes the rows costs besides its script: the table's area repainted and
      // rastered (software raster here), where the box nothing listens to repaints a few glyphs.
      { name: `filter key CPU on the main thread (handlers, style, layout, paint; median of ${TRACED_RUNS * FILTER.length} keys, traced)`, unit: 'ms', ...vs(cpu.table.main, cpu.idle.main, box) },
      { name: '  the same key, CPU drawing its frame (compositor, raster, GPU threads)', unit: 'ms', ...vs(cpu.table.drawing, cpu.idle.drawing, box) },
      { name: `  the first key of a filter (matched against all ${rows} rows), both together`, unit: 'ms', ...vs(cpu.table.first, cpu.idle.first, box) },
      ...(other
        ? [
            { name: `  main thread, ${baseName}`, unit: 'ms', ...vs(compared.cpu.table.main, compared.cpu.idle.main, box) },
            { name: `  drawing, ${baseName}`, unit: 'ms', ...vs(compared.cpu.table.drawing, compared.cpu.idle.drawing, box) },
            { name: `  the first key, both together, ${baseName}`, unit: 'ms', ...vs(compared.cpu.table.first, compared.cpu.idle.first, box) },
          ]
        : []),
      { name: 'filter keystroke (synthetic input), script and layout alone', unit: 'ms', ...vs(windowed.work, base.work) },
      { name: `blank viewports after ${RUNS * 10} scroll jumps`, unit: '', ...vs(windowed.blank, base.blank), target: '0' },
    ];
  } finally {
    await browser.close();
  }
}
