/**
 * Where a filter key of the views table bench's page goes (test/bench/parts/viewsTable.ts): the
 * same page and keys typed for real under a Chromium trace, and per key its CPU (thread) time by
 * phase: the main thread's script, style, layout, paint, and the threads drawing its frame, with
 * each layout that ran inside a key's task and the JavaScript stack that forced it (none: the
 * editing code's own, after the input event). Not a bench part: a tool for finding costs, whose
 * figures are read beside the bench's.
 *
 *   npx tsx test/bench/profileTable.ts [variant...] [--runs N] [--save out.json]
 *
 * A variant is a checkout's directory (its table page, bundled with this one's node_modules) or
 * `css:<rules>` (this checkout's page plus a style sheet, a CSS change tried without a commit);
 * `box`, this checkout's page with the keys typed into a text box nothing listens to (the floor);
 * none: this checkout. Variants take turns, each run's first turn alternating, so load over the
 * run falls on all alike. Figures: medians over runs of the keys of each kind (KINDS).
 */
import { writeFile } from 'node:fs/promises';

import type { Page } from 'playwright-core';

import { REPO_ROOT } from '../../sandbox/lib/plugin';
import { launchBrowser } from '../e2e/browser';
import { option } from './cliArgs';
import { DRAWING_THREADS, drawingThreads, isDrawingTask, keystrokeCpu, keystrokeWindows, outermost, recordTrace, type TraceEvent } from './parts/traceTasks';
import { benchPage } from './parts/viewsTable';
import { median } from './stats';

const FILTER = 'web-service-07';
/**
 * The keys of FILTER by what they do: the first two ("w", "e") and the last ("7") bring other rows
 * into view; the last one's window also holds what the table does once typing pauses.
 */
const KINDS = ['changing the rows', 'keeping the rows', 'the last, changing the rows, and the pause after it'] as const;
const kindOf = (n: number) => KINDS[n < 2 ? 0 : n === FILTER.length - 1 ? 2 : 1];
const PHASES = ['FunctionCall', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit'] as const;

interface StackFrame {
  functionName: string;
  lineNumber: number;
  columnNumber: number;
}
type Traced = TraceEvent & { args?: { name?: string; beginData?: { stackTrace?: StackFrame[] }; data?: { type?: string } } };

type Sums = Record<string, number>;

/** One traced filter on `page`: per key, thread time (ms) by phase, and the forced layouts seen. */
async function tracedFilter(page: Page, idle: boolean, save?: string): Promise<{ keys: Sums[]; forced: string[] }> {
  const call = (m: string, a?: unknown) => page.evaluate(([m, a]) => (window as unknown as { tableBench: Record<string, (x: unknown) => unknown> }).tableBench[m as string]!(a), [m, a] as const);
  await page.bringToFront();
  await call('firstPaint', true);
  await call('startEventTiming', idle);
  const cdp = await page.context().newCDPSession(page);
  const events = (await recordTrace(
    cdp,
    async () => {
      for (let f = 0; f < 2; f++) await call('painted');
      for (const ch of FILTER) {
        await page.keyboard.type(ch);
        await call('painted');
      }
      // What the table does once typing pauses (the URL write) falls in the last key's window.
      await page.waitForTimeout(600);
    },
    false,
    // The stacks of forced layouts and style recalcs.
    ['disabled-by-default-devtools.timeline.stack'],
  )) as Traced[];
  await cdp.detach();
  if (save) await writeFile(save, JSON.stringify({ traceEvents: events }));

  // The keys' windows and main-thread events as keystrokeCpu has them.
  const { onMain: main, windows } = keystrokeWindows(events);
  const onMain = main as Traced[];
  const cpu = keystrokeCpu(events);
  const drawing = drawingThreads(events);
  const ms = (e: TraceEvent) => (e.tdur ?? e.dur ?? 0) / 1000;
  const forced: string[] = [];
  const keys = windows.map(({ from, to }, k) => {
    const inWindow = onMain.filter((e) => e.ts >= from && e.ts < to);
    const sums: Sums = { main: cpu[k]?.main ?? 0, drawing: cpu[k]?.drawing ?? 0, forcedLayout: 0 };
    // The drawing threads' part by thread (raster workers, compositor, display compositor, GPU).
    for (const [thread, name] of drawing) {
      const own = events.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === thread && e.ts >= from && e.ts < to && isDrawingTask(name, e));
      sums[name] = (sums[name] ?? 0) + own.reduce((a, e) => a + ms(e), 0);
    }
    // Nested events of one name (a FunctionCall inside another) are counted once, at the outside.
    for (const name of PHASES) sums[name] = outermost(inWindow.filter((x) => x.name === name)).reduce((a, e) => a + ms(e), 0);
    // A layout inside a task that dispatches the key's events ran before the frame: forced.
    for (const t of onMain.filter((e) => e.name === 'RunTask' && e.ts + (e.dur ?? 0) > from && e.ts < to)) {
      const within = onMain.filter((e) => e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + (t.dur ?? 0));
      if (!within.some((e) => e.name === 'EventDispatch' && /^(keypress|textInput|input)$/.test(e.args?.data?.type ?? ''))) continue;
      for (const e of within.filter((x) => x.name === 'Layout')) {
        sums.forcedLayout += ms(e);
        const stack = e.args?.beginData?.stackTrace ?? [];
        if (ms(e) > 1 && stack.length) forced.push(`key ${k} ${ms(e).toFixed(1)} ms: ${stack.map((f) => `${f.functionName || '(anonymous)'}:${f.lineNumber}:${f.columnNumber}`).join(' < ') || 'no script on the stack'}`);
      }
    }
    return sums;
  });
  return { keys, forced };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runs = Number(option(args, '--runs') ?? 5);
  const save = option(args, '--save');
  const variants = args.length ? args : [REPO_ROOT];
  const browser = await launchBrowser();
  try {
    const pages: Page[] = [];
    for (const v of variants) {
      const page = await browser.context.newPage();
      const html = await benchPage(v.startsWith('css:') || v === 'box' ? REPO_ROOT : v);
      await page.setContent(v.startsWith('css:') ? html.replace('</head>', `<style>${v.slice(4)}</style></head>`) : html);
      pages.push(page);
    }
    const results = variants.map(() => ({ byKind: new Map<string, Sums[]>(KINDS.map((k) => [k, []])), forced: new Set<string>() }));
    for (let run = 0; run <= runs; run++) {
      const order = variants.map((_, i) => i);
      if (run % 2 === 1) order.reverse();
      for (const i of order) {
        const { keys, forced } = await tracedFilter(pages[i]!, variants[i] === 'box', save && run === 1 ? save.replace(/(\.\w+)?$/, `-${i}$1`) : undefined);
        if (run === 0) continue; // warm-up (JIT)
        keys.forEach((k, n) => results[i]!.byKind.get(kindOf(n))!.push(k));
        for (const f of forced) results[i]!.forced.add(f.replace(/ [\d.]+ ms/, ''));
      }
    }
    const fields = ['main', 'drawing', ...DRAWING_THREADS, 'forcedLayout', ...PHASES];
    variants.forEach((v, i) => {
      const r = results[i]!;
      console.log(`\n${v} (${runs} runs)`);
      for (const [kind, keys] of r.byKind) {
        console.log(`  keys ${kind}: ${fields.map((f) => `${f} ${median(keys.map((s) => s[f] ?? 0)).toFixed(2)}`).join(', ')}`);
      }
      for (const f of [...r.forced].slice(0, 6)) console.log(`  layout forced by script, ${f}`);
    });
  } finally {
    await browser.close();
  }
}

void main();
