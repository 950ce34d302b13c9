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
  /** Types `text` into the filter one key at a time: ms from each keystroke to its repaint. */
  async keystrokes(text: string): Promise<number[]> {
    const input = root.querySelector('input[type=search]') as HTMLInputElement;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    const times: number[] = [];
    for (let i = 1; i <= text.length; i++) {
      const t0 = performance.now();
      setValue.call(input, text.slice(0, i));
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await painted();
      times.push(performance.now() - t0);
    }
    return times;
  },
  /** Jumps the scroll position to `count` places: how many times the viewport's top showed no row. */
  async blankAfterScroll(count: number): Promise<number> {
    const scroller = root.querySelector('.cdaas-table-scroll') as HTMLElement;
    let blank = 0;
    for (let i = 1; i <= count; i++) {
      scroller.scrollTop = Math.floor((scroller.scrollHeight * i) / (count + 1));
      await painted();
      const box = scroller.getBoundingClientRect();
      const at = document.elementFromPoint(box.left + 20, box.top + box.height / 2);
      if (!at?.closest('tr:not(.cdaas-table-spacer)')) blank++;
    }
    return blank;
  },
};

(window as unknown as { tableBench: typeof api }).tableBench = api;
