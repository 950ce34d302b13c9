/**
 * The page `npm run bench` loads in headless Chromium to time the views' table (test/bench/parts/
 * viewsTable.ts): the replica-set table with its real columns and grouping, fed a generated
 * fixture of 10,000 replica sets across 50 agents, with and without windowing. React in production
 * mode, as Deck ships it; the table's CSS is put in the page by the bench. Exposes `window.tableBench`.
 */
import React from 'react';
import ReactDOM from 'react-dom';

import { replicaSetColumns } from '../src/views/cluster/replicaSetColumns';
import { groupKey, rsKey } from '../src/views/cluster/model';
import { DataTable } from '../src/views/table/DataTable';
import type { BenchRow } from './generate';
import { generateReplicaSets } from './generate';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const columns = [{ id: 'agent', label: 'Agent', width: '10%', value: (r: BenchRow) => r.agent }, ...replicaSetColumns(NOW, true)] as never;
const group = { key: (r: BenchRow) => `${r.agent}/${groupKey(r)}`, render: (key: string, rows: BenchRow[]) => `${key} · ${rows.length} replica sets` };
const sort = { column: 'revision', descending: true };

let setRows: (rows: BenchRow[]) => void = () => undefined;

function Bench(props: { virtualize: boolean }) {
  const [rows, set] = React.useState<BenchRow[]>([]);
  setRows = set;
  return (
    <DataTable<BenchRow>
      label="Replica sets"
      columns={columns}
      rows={rows}
      rowKey={(r) => `${r.agent}/${rsKey(r)}`}
      group={group}
      sort={sort}
      onSortChange={() => undefined}
      onFilterChange={() => undefined}
      virtualize={props.virtualize}
      maxHeight={600}
    />
  );
}

/** Resolves after the next frame has been painted (rAF, then the task after it). */
const painted = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

const root = document.getElementById('root')!;
const data = generateReplicaSets();

/**
 * The standard measure of a keystroke (as INP takes it): Event Timing entries, `duration` from the
 * key's hardware timestamp to the next paint after its handlers, rounded to 8 ms. The API reports
 * only entries of at least 16 ms (its lowest `durationThreshold`), so a key it does not report took
 * less than that. Needs trusted input: the bench types through Playwright's keyboard.
 */
interface EventEntry extends PerformanceEntry {
  interactionId?: number;
  processingStart: number;
  processingEnd: number;
}
let events: EventEntry[] = [];
new PerformanceObserver((list) => {
  events.push(...(list.getEntries() as EventEntry[]));
}).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);

const api = {
  rows: data.length,
  /** Mounts an empty table, then hands it the data: ms until the first rows are painted. */
  async firstPaint(virtualize: boolean): Promise<number> {
    ReactDOM.unmountComponentAtNode(root);
    ReactDOM.render(<Bench virtualize={virtualize} />, root);
    await painted();
    const t0 = performance.now();
    setRows(data);
    await painted();
    if (!root.querySelector('tbody td')) throw new Error('no row painted');
    return performance.now() - t0;
  },
  /**
   * Types `text` into the filter one key at a time. Per key: ms to its repaint (which includes
   * waiting for the next frame), and ms of script and layout alone (React renders a keystroke
   * synchronously; reading offsetHeight forces the layout).
   */
  async keystrokes(text: string): Promise<{ painted: number[]; work: number[] }> {
    const input = root.querySelector('input[type=search]') as HTMLInputElement;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    const out = { painted: [] as number[], work: [] as number[] };
    for (let i = 1; i <= text.length; i++) {
      await painted();
      const t0 = performance.now();
      setValue.call(input, text.slice(0, i));
      input.dispatchEvent(new Event('input', { bubbles: true }));
      void root.offsetHeight;
      out.work.push(performance.now() - t0);
      await painted();
      out.painted.push(performance.now() - t0);
    }
    return out;
  },
  /**
   * Forgets the Event Timing entries so far and focuses the filter box for typing, or (`idle`) a
   * text box outside the table that nothing listens to: the browser's own floor for a key's input
   * to next paint on this machine, the baseline the filter is compared with.
   */
  startEventTiming(idle = false): void {
    events = [];
    let box = root.querySelector('input[type=search]') as HTMLInputElement;
    if (idle) {
      box = (document.getElementById('idle-box') as HTMLInputElement | null) ?? document.body.appendChild(Object.assign(document.createElement('input'), { id: 'idle-box', type: 'text' }));
      box.value = '';
    }
    box.focus();
  },
  /**
   * After the keys were typed: per interaction (a key's keydown, keypress and keyup share an
   * interactionId) the longest duration and its handlers' time, for the keys the API reported.
   */
  async takeEventTiming(): Promise<Array<{ duration: number; processing: number }>> {
    // Entries are delivered after the frame they end with: let two more frames pass.
    await painted();
    await painted();
    const byInteraction = new Map<number, { duration: number; processing: number }>();
    for (const e of events) {
      if (!e.interactionId) continue;
      const prev = byInteraction.get(e.interactionId);
      const processing = e.processingEnd - e.processingStart;
      if (!prev || e.duration > prev.duration) byInteraction.set(e.interactionId, { duration: e.duration, processing: Math.max(processing, prev?.processing ?? 0) });
    }
    return [...byInteraction.values()];
  },
  /** Resolves after the next frame has been painted. */
  painted,
  /**
   * Jumps the scroll position to `count` places: how many times the viewport's top or bottom edge
   * showed no painted row (a spacer where a row should be).
   */
  async blankAfterScroll(count: number): Promise<number> {
    const scroller = root.querySelector('.cdaas-table-scroll') as HTMLElement;
    const header = scroller.querySelector('thead')!.getBoundingClientRect().height;
    let blank = 0;
    for (let i = 1; i <= count; i++) {
      scroller.scrollTop = Math.floor((scroller.scrollHeight * i) / (count + 1));
      await painted();
      const box = scroller.getBoundingClientRect();
      const rows = Array.from(scroller.querySelectorAll('tbody tr:not(.cdaas-table-spacer)'), (r) => r.getBoundingClientRect());
      const covered = (y: number) => rows.some((r) => r.top <= y && y <= r.bottom);
      if (!covered(box.top + header + 1) || !covered(box.bottom - 1)) blank++;
    }
    return blank;
  },
};

(window as unknown as { tableBench: typeof api }).tableBench = api;
