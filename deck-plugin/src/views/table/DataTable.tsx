/**
 * The one table every list of the views uses: declared by its columns, with the filter box, column
 * sorting, optional group headings and fixed-row-height windowing built in. Windowing is ours (a
 * few lines) rather than react-virtualized, which Deck does not share with plugins: only the rows
 * in view plus a few either side are in the DOM, spacer rows stand in for the rest.
 *
 * Filter and sort are controlled (the views keep them in the URL); the filter box also keeps its
 * own text so typing never waits for the router.
 */
import React from 'react';

import type { Column, DisplayItem, SortState } from './model';
import { displayItems, matchesQuery, nextSort, queryWords, searchTexts, sortRows, visibleRange } from './model';
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

export function DataTable<Row>(props: DataTableProps<Row>) {
  const { columns, rows, rowKey, group, selectedKey, onSelect } = props;
  const rowHeight = props.rowHeight ?? 32;
  const maxHeight = props.maxHeight ?? 480;
  const overscan = props.overscan ?? 6;
  const virtualize = props.virtualize ?? true;

  const [text, setText] = React.useState(props.filter ?? '');
  const emitted = React.useRef(props.filter ?? '');

  const sorted = React.useMemo(() => sortRows(rows, columns, props.sort), [rows, columns, props.sort]);
  const words = React.useMemo(() => queryWords(text), [text]);
  const filtering = words.length > 0;
  // Built on the first filter keystroke, not on every new row list: first paint does not pay for it.
  const texts = React.useMemo(() => (filtering ? searchTexts(sorted, columns, props.filterText) : undefined), [filtering, sorted, columns, props.filterText]);
  const filtered = React.useMemo(() => (texts ? sorted.filter((_, i) => matchesQuery(texts[i]!, words)) : sorted), [sorted, texts, words]);
  const items = React.useMemo(() => displayItems(filtered, group?.key), [filtered, group?.key]);

  const [scrollTop, setScrollTop] = React.useState(0);
  const scroller = React.useRef<HTMLDivElement>(null);
  // A new filter shows its first matches, not an empty stretch where the old rows were. Done in
  // the same update as the text (not in an effect after it), so a keystroke renders once.
  const toTop = () => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
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

  const [first, last] = virtualize ? visibleRange(scrollTop, maxHeight, rowHeight, items.length, overscan) : [0, items.length];
  const top = first * rowHeight;
  const bottom = (items.length - last) * rowHeight;

  const onText = (value: string) => {
    setText(value);
    toTop();
    emitted.current = value;
    props.onFilterChange?.(value);
  };

  const ariaSort = (c: Column<Row>) =>
    props.sort?.column === c.id ? (props.sort.descending ? SORT_ARIA.descending : SORT_ARIA.ascending) : SORT_ARIA.none;

  const renderItem = (item: DisplayItem<Row>, index: number) => {
    if (item.kind === 'group') {
      return (
        <tr key={`group:${item.key}`} className="cdaas-table-group" style={{ height: rowHeight }} aria-rowindex={first + index + 2}>
          <th scope="rowgroup" colSpan={columns.length}>
            {group!.render(item.key, item.rows)}
          </th>
        </tr>
      );
    }
    const key = rowKey(item.row);
    const selected = selectedKey !== undefined && key === selectedKey;
    return (
      <tr
        key={key}
        style={{ height: rowHeight }}
        className={selected ? 'info cdaas-table-selected' : undefined}
        aria-selected={onSelect ? selected : undefined}
        aria-rowindex={first + index + 2}
        onClick={onSelect ? () => onSelect(item.row) : undefined}
      >
        {columns.map((c, i) => {
          const content = c.render ? c.render(item.row) : String(c.value(item.row) ?? '–');
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
        />
        <span className="text-muted small cdaas-table-count" role="status">
          {filtered.length === rows.length ? `${rows.length} ${noun(rows.length)}` : `${filtered.length} of ${rows.length} ${noun(rows.length)}`}
        </span>
      </div>
      <div
        ref={scroller}
        className="cdaas-table-scroll"
        style={{ maxHeight: maxHeight + rowHeight }}
        onScroll={virtualize ? (e) => setScrollTop(e.currentTarget.scrollTop) : undefined}
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
            {items.slice(first, last).map(renderItem)}
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
