/**
 * The one table every list of the views uses: declared by its columns, with the filter box, column
 * sorting, optional group headings and fixed-row-height windowing built in. Windowing is ours (a
 * few lines) rather than react-virtualized, which Deck does not share with plugins: only the rows
 * in view plus a few either side are in the DOM, spacer rows stand in for the rest.
 *
 * Filter and sort are controlled (the views keep them in the URL); the filter box keeps its own
 * text, so a keystroke repaints the table without the router, and the URL follows once typing
 * pauses.
 */
import React from 'react';

import { afterNextPaint } from '../../lazy/afterPaint';
import type { Column, DisplayItem, DisplayList, SortState } from './model';
import { GroupIndex, longestWindow, narrows, nextSort, plainList, queryWords, SearchIndex, sortOrder, visibleRange } from './model';
import './DataTable.css';

export interface DataTableProps<Row> {
  /** The table's accessible name, e.g. "Replica sets". */
  label: string;
  columns: ReadonlyArray<Column<Row>>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  filter?: string;
  onFilterChange?: (filter: string) => void;
  sort?: SortState;
  onSortChange?: (sort: SortState) => void;
  /** Group rows under headings (one full-width row per group). */
  group?: { key: (row: Row) => string; render: (key: string, rows: Row[]) => React.ReactNode };
  /** Extra text the filter matches besides the columns (e.g. labels). */
  filterText?: (row: Row) => string;
  selectedKey?: string;
  onSelect?: (row: Row) => void;
  /** Row height in px; every row and heading has exactly this height. */
  rowHeight?: number;
  /** Most px the body shows before it scrolls. */
  maxHeight?: number;
  overscan?: number;
  /** Off renders every row (the benchmark's baseline, like Deck's own tables). */
  virtualize?: boolean;
  /** Said when there are rows but the filter hides all of them. */
  noMatch?: (filter: string) => React.ReactNode;
}

const SORT_ARIA = { ascending: 'ascending', descending: 'descending', none: 'none' } as const;

/** The URL (a history write and a router transition) follows the filter box after typing pauses. */
export const FILTER_URL_DELAY_MS = 300;

interface RowProps<Row> {
  row: Row;
  columns: ReadonlyArray<Column<Row>>;
  height: number;
  rowIndex: number;
  selected: boolean;
  /** Stable across renders (the table keeps the latest handler in a ref). */
  onSelect?: (row: Row) => void;
}

/**
 * One row, memoised: a keystroke, a scroll or a poll re-renders only rows whose data, position or
 * selection changed, not every row in the window.
 */
function TableRowImpl<Row>({ row, columns, height, rowIndex, selected, onSelect }: RowProps<Row>) {
  return (
    <tr
      style={{ height }}
      className={selected ? 'info cdaas-table-selected' : undefined}
      aria-selected={onSelect ? selected : undefined}
      aria-rowindex={rowIndex}
      onClick={onSelect ? () => onSelect(row) : undefined}
    >
      {columns.map((c, i) => {
        const content = c.render ? c.render(row) : String(c.value(row) ?? '–');
        // The first cell is the row's keyboard-reachable control; the click bubbles to the row.
        return (
          <td key={c.id}>
            {i === 0 && onSelect ? (
              <button type="button" className="btn btn-link cdaas-table-select" aria-pressed={selected}>
                {content}
              </button>
            ) : (
              content
            )}
          </td>
        );
      })}
    </tr>
  );
}
const TableRow = React.memo(TableRowImpl) as typeof TableRowImpl;

interface GroupRowProps<Row> {
  groupKey: string;
  rows: Row[];
  colSpan: number;
  height: number;
  rowIndex: number;
  render: (key: string, rows: Row[]) => React.ReactNode;
}

function GroupRowImpl<Row>(props: GroupRowProps<Row>) {
  return (
    <tr className="cdaas-table-group" style={{ height: props.height }} aria-rowindex={props.rowIndex}>
      <th scope="rowgroup" colSpan={props.colSpan}>
        {props.render(props.groupKey, props.rows)}
      </th>
    </tr>
  );
}
const GroupRow = React.memo(GroupRowImpl) as typeof GroupRowImpl;

/** How long one background slice of the search texts may hold the main thread. */
const BUILD_SLICE_MS = 4;

/**
 * Builds the search texts once the rows are painted, in short slices (a key typed meanwhile waits
 * at most one slice), so the first key of a filter only looks texts up. Not requestIdleCallback:
 * in the views table bench its callback ran in the first key's own task (a CPU profile of that
 * key, its slowest), the key typed just after the rows were painted. A new data version (a poll)
 * builds its texts again the same way.
 */
function useBackgroundBuild(index: { built: boolean; buildSome(stop: () => boolean): boolean }): void {
  React.useEffect(() => {
    if (index.built) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const slice = () => {
      const end = performance.now() + BUILD_SLICE_MS;
      timer = index.buildSome(() => performance.now() >= end) ? undefined : setTimeout(slice, 0);
    };
    // After the next paint: the first slice must not delay the rows' first paint.
    const cancel = afterNextPaint(slice);
    return () => {
      cancel();
      clearTimeout(timer);
    };
  }, [index]);
}

export function DataTable<Row>(props: DataTableProps<Row>) {
  const { columns, rows, rowKey, group, selectedKey } = props;
  const rowHeight = props.rowHeight ?? 32;
  const maxHeight = props.maxHeight ?? 480;
  const overscan = props.overscan ?? 6;
  const virtualize = props.virtualize ?? true;

  const [text, setText] = React.useState(props.filter ?? '');
  const emitted = React.useRef(props.filter ?? '');

  // The latest handlers, read at call time: rows get stable callbacks and stay memoised.
  const handlers = React.useRef({ onSelect: props.onSelect, onFilterChange: props.onFilterChange });
  handlers.current = { onSelect: props.onSelect, onFilterChange: props.onFilterChange };
  const selectable = !!props.onSelect;
  const onSelect = React.useCallback((row: Row) => handlers.current.onSelect?.(row), []);

  // Row indexes in display order: the filter and the groups work on indexes, not row objects.
  const order = React.useMemo(() => sortOrder(rows, columns, props.sort), [rows, columns, props.sort]);
  const words = React.useMemo(() => queryWords(text), [text]);
  // One per data version (rows, columns): a keystroke only looks texts up.
  const index = React.useMemo(() => new SearchIndex(rows, columns, props.filterText), [rows, columns, props.filterText]);
  useBackgroundBuild(index);
  // Typing on narrows the previous result: filter those rows, not all of them again.
  const previous = React.useRef<{ order: Int32Array; index: SearchIndex<Row>; words: string[]; result: Int32Array } | undefined>(undefined);
  const filtered = React.useMemo(() => {
    if (words.length === 0) return order;
    const p = previous.current;
    const from = p && p.order === order && p.index === index && narrows(p.words, words) ? p.result : order;
    const result = index.filter(from, words);
    previous.current = { order, index, words, result };
    return result;
  }, [order, index, words]);
  // Group keys and heading order once per data version; a keystroke only buckets its matches.
  const groups = React.useMemo(() => (group ? new GroupIndex(rows, group.key) : undefined), [rows, group?.key]);
  const items = React.useMemo<DisplayList<Row>>(() => (groups ? groups.list(filtered) : plainList(rows, filtered)), [filtered, groups, rows]);

  // The first row in view, not the pixel offset: scrolling within a row renders nothing.
  const [topRow, setTopRow] = React.useState(0);
  const scroller = React.useRef<HTMLDivElement>(null);
  // A new filter shows its first matches, not an empty stretch where the old rows were. Done in
  // the same update as the text (not in an effect after it), so a keystroke renders once; the
  // scroll position is written only when it is not at the top already (a write forces layout).
  const toTop = () => {
    if (topRow !== 0 && scroller.current) scroller.current.scrollTop = 0;
    setTopRow(0);
  };

  // The URL changed from outside (back button, a link): show what it says.
  React.useEffect(() => {
    const outside = props.filter ?? '';
    if (outside !== emitted.current) {
      emitted.current = outside;
      setText(outside);
      toTop();
    }
  }, [props.filter]);

  // The filter reaches the URL after typing pauses (or the box loses focus), off the keystroke.
  const urlTimer = React.useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const flushFilter = () => {
    if (urlTimer.current === undefined) return;
    clearTimeout(urlTimer.current);
    urlTimer.current = undefined;
    handlers.current.onFilterChange?.(emitted.current);
  };
  // Leaving the view drops a pending write: it would apply to whatever state comes next.
  React.useEffect(() => () => clearTimeout(urlTimer.current), []);

  const [first, last] = virtualize ? visibleRange(topRow * rowHeight, maxHeight, rowHeight, items.length, overscan) : [0, items.length];
  const top = first * rowHeight;
  const bottom = (items.length - last) * rowHeight;

  const onText = (value: string) => {
    setText(value);
    toTop();
    emitted.current = value;
    if (urlTimer.current !== undefined) clearTimeout(urlTimer.current);
    urlTimer.current = setTimeout(flushFilter, FILTER_URL_DELAY_MS);
  };

  const ariaSort = (c: Column<Row>) =>
    props.sort?.column === c.id ? (props.sort.descending ? SORT_ARIA.descending : SORT_ARIA.ascending) : SORT_ARIA.none;

  // Rows are keyed by their place in the window, modulo its longest length: a filter key that brings other rows into view updates the rows in
  // the DOM instead of removing them and creating new ones, and a scroll moves the row that left at
  // one end to the other.
  const slots = virtualize ? longestWindow(maxHeight, rowHeight, overscan) : Infinity;
  const renderItem = (item: DisplayItem<Row>, i: number) => {
    const rowIndex = first + i + 2;
    const slot = (first + i) % slots;
    if (item.kind === 'group') {
      return <GroupRow key={`g${slot}`} groupKey={item.key} rows={item.rows} colSpan={columns.length} height={rowHeight} rowIndex={rowIndex} render={group!.render} />;
    }
    const key = rowKey(item.row);
    return (
      <TableRow
        key={slot}
        row={item.row}
        columns={columns}
        height={rowHeight}
        rowIndex={rowIndex}
        selected={selectedKey !== undefined && key === selectedKey}
        onSelect={selectable ? onSelect : undefined}
      />
    );
  };

  // "1 agent", "2 agents": the labels are plural nouns.
  const noun = (n: number) => (n === 1 ? props.label.toLowerCase().replace(/s$/, '') : props.label.toLowerCase());
  const filterId = `cdaas-filter-${props.label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="cdaas-table">
      <div className="cdaas-table-toolbar form-inline">
        <label htmlFor={filterId} className="sr-only">
          Filter {props.label.toLowerCase()}
        </label>
        <input
          id={filterId}
          type="search"
          className="form-control input-sm"
          placeholder={`Filter ${props.label.toLowerCase()}`}
          value={text}
          onChange={(e) => onText(e.target.value)}
          onBlur={flushFilter}
        />
        <span className="text-muted small cdaas-table-count" role="status">
          {filtered.length === rows.length ? `${rows.length} ${noun(rows.length)}` : `${filtered.length} of ${rows.length} ${noun(rows.length)}`}
        </span>
      </div>
      <div
        ref={scroller}
        className="cdaas-table-scroll"
        style={{ maxHeight: maxHeight + rowHeight }}
        onScroll={virtualize ? (e) => setTopRow(Math.floor(e.currentTarget.scrollTop / rowHeight)) : undefined}
      >
        <table className="table table-condensed table-hover cdaas-table-grid" aria-label={props.label} aria-rowcount={items.length + 1}>
          <colgroup>
            {columns.map((c) => (
              <col key={c.id} style={c.width ? { width: c.width } : undefined} />
            ))}
          </colgroup>
          <thead>
            <tr style={{ height: rowHeight }} aria-rowindex={1}>
              {columns.map((c) => (
                <th key={c.id} scope="col" aria-sort={c.sort === false ? undefined : ariaSort(c)} title={c.title}>
                  {c.sort === false || !props.onSortChange ? (
                    c.label
                  ) : (
                    <button type="button" className="btn btn-link cdaas-table-sort" onClick={() => props.onSortChange!(nextSort(props.sort, c))}>
                      {c.label}
                      {props.sort?.column === c.id && (
                        <span className={`glyphicon glyphicon-triangle-${props.sort.descending ? 'bottom' : 'top'}`} aria-hidden="true" />
                      )}
                    </button>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {top > 0 && <tr aria-hidden="true" className="cdaas-table-spacer" style={{ height: top }} />}
            {Array.from({ length: last - first }, (_, i) => renderItem(items.at(first + i), i))}
            {bottom > 0 && <tr aria-hidden="true" className="cdaas-table-spacer" style={{ height: bottom }} />}
          </tbody>
        </table>
        {rows.length > 0 && filtered.length === 0 && (
          <p className="text-muted cdaas-table-nomatch">{props.noMatch ? props.noMatch(text) : `Nothing matches “${text}”.`}</p>
        )}
      </div>
    </div>
  );
}
