/**
 * Reading a Chromium trace (devtools.timeline) of the typing bench's keystrokes: per keystroke
 * (keydown to the next one; the last one for a second) the longest main-thread task by wall time
 * and by thread (CPU) time, and what each task did. Thread time does not grow while other
 * processes hold the cores, so it compares builds on a loaded machine where wall time swings by
 * 30% and more. Used by the typing bench part and by test/bench/profileTyping.ts.
 */
import type { CDPSession } from 'playwright-core';

export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { type?: string } };
}

// With `js` the trace also carries V8's samples (for reading in DevTools), at some cost per task.
const traceCategories = (js: boolean, extra: readonly string[]) =>
  ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'blink.user_timing', 'v8.execute', ...(js ? ['disabled-by-default-v8.cpu_profiler'] : []), ...extra, '__metadata'].join(',');

/** Records a trace of what `during` makes the page do (`extra`: more categories). */
export async function recordTrace(cdp: CDPSession, during: () => Promise<void>, js = false, extra: readonly string[] = []): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (d) => void events.push(...(d.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: traceCategories(js, extra), transferMode: 'ReportEvents' });
  await during();
  await cdp.send('Tracing.end');
  await complete;
  return events;
}

/** What a task mostly did, from the trace events inside it. */
export function kindOf(inside: TraceEvent[]): string {
  const has = (name: string, type?: string) => inside.some((e) => e.name === name && (type === undefined || e.args?.data?.type === type));
  if (has('EventDispatch', 'keypress') || has('EventDispatch', 'input')) return 'key input (Ace onInput, React)';
  if (has('EventDispatch', 'keydown')) return 'keydown';
  if (has('EventDispatch', 'keyup')) return 'keyup';
  if (has('EventDispatch', 'selectionchange')) return 'selectionchange';
  if (has('FireAnimationFrame') || has('WebFrameWidgetImpl::UpdateLifecycle') || has('WebFrameWidgetImpl::BeginMainFrame')) return 'frame (rAF, style, layout, paint)';
  if (has('TimerFire')) return 'timer';
  if (has('HandlePostMessage') || has('EventDispatch', 'message')) return 'message';
  if (has('RunMicrotasks')) return 'microtasks';
  if (has('XHRReadyStateChange') || has('XHRLoad') || has('ResourceReceiveResponse')) return 'network';
  if (inside.some((e) => e.name.startsWith('V8.GC') || e.name === 'MinorGC' || e.name === 'MajorGC')) return 'gc';
  return 'other';
}

export interface KeystrokeTask {
  /** The longest task's wall time, ms. */
  wall: number;
  /** The longest task by thread time: its thread time, ms, and what it was. */
  cpu: number;
  kind: string;
  /** Each kind's largest task in the keystroke (thread time, ms; tasks over 2 ms). */
  largest: Map<string, number>;
}

const threadOf = (e: TraceEvent) => `${e.pid}:${e.tid}`;

/** The renderer's main thread (the busiest CrRendererMain) and its complete events, in order. */
export function mainThread(events: TraceEvent[]): TraceEvent[] {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map(threadOf));
  const busiest = new Map<string, number>();
  for (const e of events) if (e.name === 'RunTask' && mains.has(threadOf(e))) busiest.set(threadOf(e), (busiest.get(threadOf(e)) ?? 0) + (e.dur ?? 0));
  const main = [...busiest].sort((a, b) => b[1] - a[1])[0]?.[0];
  return events.filter((e) => threadOf(e) === main && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
}

/**
 * The events not inside an earlier one of `events` (a FunctionCall inside another, a compile
 * inside a compile), so summing their durations counts nested time once, at the outside.
 */
export function outermost<E extends TraceEvent>(events: readonly E[]): E[] {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const out: E[] = [];
  let end = 0;
  for (const e of sorted) {
    if (e.ts < end) continue;
    end = e.ts + (e.dur ?? 0);
    out.push(e);
  }
  return out;
}

/**
 * The main thread's events and tasks, and each keystroke's window: from the start of the task
 * that dispatches its keydown to the next one's (the last one for a second). Not from the keydown
 * itself: its task starts a little before it, and a window opened at the keydown gave that task,
 * the key's handlers, to the key before.
 */
export function keystrokeWindows(events: TraceEvent[]) {
  const onMain = mainThread(events);
  const tasks = onMain.filter((e) => e.name === 'RunTask');
  const taskStart = (ts: number) => tasks.find((t) => t.ts <= ts && ts < t.ts + (t.dur ?? 0))?.ts ?? ts;
  const keydowns = onMain.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown').map((e) => taskStart(e.ts));
  const windows = keydowns.map((from, i) => ({ from, to: keydowns[i + 1] ?? from + 1_000_000 }));
  /** The main-thread events inside task `t`. */
  const inTask = (t: TraceEvent) => onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + (t.dur ?? 0));
  return { onMain, tasks, windows, inTask };
}

/** Per keystroke of the trace, its longest task (see KeystrokeTask). */
export function keystrokeTasks(events: TraceEvent[]): KeystrokeTask[] {
  const { tasks, windows, inTask } = keystrokeWindows(events);
  const out: KeystrokeTask[] = [];
  windows.forEach(({ from, to }) => {
    const ts = tasks.filter((t) => t.ts + (t.dur ?? 0) > from && t.ts < to);
    if (!ts.length) return;
    const byWall = ts.reduce((a, b) => ((b.dur ?? 0) > (a.dur ?? 0) ? b : a));
    const byCpu = ts.reduce((a, b) => ((b.tdur ?? 0) > (a.tdur ?? 0) ? b : a));
    const largest = new Map<string, number>();
    for (const t of ts) {
      if ((t.tdur ?? 0) < 2000) continue;
      const k = kindOf(inTask(t));
      largest.set(k, Math.max(largest.get(k) ?? 0, (t.tdur ?? 0) / 1000));
    }
    out.push({ wall: (byWall.dur ?? 0) / 1000, cpu: (byCpu.tdur ?? 0) / 1000, kind: kindOf(inTask(byCpu)), largest });
  });
  return out;
}

/** Per keystroke: the CPU it cost the page, split by where it ran (thread time, ms). */
export interface KeystrokeCpu {
  /** The main thread's tasks that handle the key or produce a frame (its handlers, style, layout, paint). */
  main: number;
  /** The compositor, raster, display-compositor and GPU threads' tasks until the next key (drawing the frame). */
  drawing: number;
}

// The renderer's compositor, the display compositor and the GPU main thread, by their top-level
// tasks; raster runs on thread-pool workers, whose raster tasks are the task graph's.
export const DRAWING_THREADS = ['ThreadPoolForegroundWorker', 'Compositor', 'VizCompositorThread', 'CrGpuMain'] as const;
export const isDrawingTask = (thread: string, e: TraceEvent) => (thread === 'ThreadPoolForegroundWorker' ? e.name === 'TaskGraphRunner::RunTask' : e.name === 'RunTask');

/** The trace's drawing threads (DRAWING_THREADS), by `pid:tid`, with their names. */
export function drawingThreads(events: TraceEvent[]): Map<string, string> {
  const names = new Set<string>(DRAWING_THREADS);
  return new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && names.has(e.args?.name ?? '')).map((e) => [threadOf(e), e.args!.name!]));
}
const FRAME_WORK = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit']);

/**
 * Per keystroke of the trace (keydown to the next one; the last one for a second), the CPU the page
 * spent on it: where a key only changes a text box, drawing its frame is cheap; where it changes a
 * table's rows, the raster threads repaint the table (software raster in headless Chromium).
 * Tasks the harness runs (its evaluate calls) are not counted: a main-thread task counts only if
 * it dispatches a key event or does frame work.
 */
export function keystrokeCpu(events: TraceEvent[]): KeystrokeCpu[] {
  const { tasks, windows, inTask } = keystrokeWindows(events);
  const drawing = drawingThreads(events);
  const drawingTasks = events.filter((e) => e.ph === 'X' && drawing.has(threadOf(e)) && isDrawingTask(drawing.get(threadOf(e))!, e));
  const counts = (t: TraceEvent) => inTask(t).some((e) => (e.name === 'EventDispatch' && /^key/.test(e.args?.data?.type ?? '')) || FRAME_WORK.has(e.name));
  const cpu = (ts: TraceEvent[]) => ts.reduce((a, t) => a + (t.tdur ?? 0), 0) / 1000;
  return windows.map(({ from, to }) => {
    const within = (t: TraceEvent) => t.ts >= from && t.ts < to;
    return { main: cpu(tasks.filter((t) => within(t) && counts(t))), drawing: cpu(drawingTasks.filter(within)) };
  });
}
