/**
 * The generic table's model, without React: columns are declared once (`{id, label, value, render,
 * sort}`) and sorting, filtering and grouping are pure functions of them, so every list sorts and
 * filters the same way and the work is testable without a DOM.
 */
import type React from 'react';

export type CellValue = string | number | undefined;

export interface Column<Row> {
  id: string;
  label: string;
  /** What the column sorts and filters on. */
  value: (row: Row) => CellValue;
  /** What the cell shows; `value` as text when absent. */
  render?: (row: Row) => React.ReactNode;
  /** A comparator, `true` to sort by `value`, or false (not sortable). Default true. */
  sort?: boolean | ((a: Row, b: Row) => number);
  /** Sort this column descending on the first click (ages, revisions: newest first). */
  descendingFirst?: boolean;
  /** Width as a CSS length; the table lays out fixed, so scrolling never reflows the columns. */
  width?: string;
  /** Words a screen reader says for the header when the label is short. */
  title?: string;
}

export interface SortState {
  column: string;
  descending: boolean;
}

/** `"-age"` -> {column: 'age', descending: true}; what the URL keeps. */
export function parseSort(text: string | undefined): SortState | undefined {
  if (!text) return undefined;
  const descending = text.startsWith('-');
  const column = descending ? text.slice(1) : text;
  return column ? { column, descending } : undefined;
}

export function formatSort(sort: SortState | undefined): string | undefined {
  return sort ? `${sort.descending ? '-' : ''}${sort.column}` : undefined;
}

/** The sort after a click on a column's header. */
export function nextSort<Row>(current: SortState | undefined, column: Column<Row>): SortState {
  if (current?.column === column.id) return { column: column.id, descending: !current.descending };
  return { column: column.id, descending: !!column.descendingFirst };
}

/**
 * Text order: case-insensitive code-point order. Not Intl.Collator: at 10,000 rows its compare
 * costs most of a frame (measured in `npm run bench`); names here are identifiers, not prose.
 */
function compareText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

const isBlank = (x: CellValue) => x === undefined || x === '';

/** Compares two present values: numbers numerically, text case-insensitively. */
export function compareValues(a: CellValue, b: CellValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareText(String(a), String(b));
}

/**
 * A stable sort by one column; rows keep their given order when the column does not sort. Blank
 * values sort last in both directions: a missing age is never "the newest".
 */
export function sortRows<Row>(rows: readonly Row[], columns: ReadonlyArray<Column<Row>>, sort: SortState | undefined): Row[] {
  const column = sort && columns.find((c) => c.id === sort.column);
  if (!column || column.sort === false) return rows.slice();
  const dir = sort.descending ? -1 : 1;
  const custom = typeof column.sort === 'function' ? column.sort : undefined;
  // Values read once per row, not once per comparison (10,000 rows sort in a few ms).
  const indexed = rows.map((row, index) => ({ row, index, value: custom ? undefined : column.value(row) }));
  indexed.sort((a, b) => {
    let c: number;
    if (custom) c = custom(a.row, b.row) * dir;
    else if (isBlank(a.value) || isBlank(b.value)) c = isBlank(a.value) === isBlank(b.value) ? 0 : isBlank(a.value) ? 1 : -1;
    else c = compareValues(a.value, b.value) * dir;
    return c || a.index - b.index;
  });
  return indexed.map((x) => x.row);
}

/**
 * Lower-cased text of every column of one row, what the filter matches. Joined from an array, not
 * built with `+=`: that makes a rope V8 flattens on the first `includes`, so the first key of a
 * filter paid for copying 10,000 texts (the views table bench's slowest key).
 */
export function searchText<Row>(row: Row, columns: ReadonlyArray<Column<Row>>, extra?: (row: Row) => string): string {
  const parts: string[] = [];
  for (const c of columns) {
    const value = c.value(row);
    if (value !== undefined) parts.push(String(value).toLowerCase(), '\u0001');
  }
  if (extra) parts.push(extra(row).toLowerCase());
  return parts.join('');
}

/**
 * The search texts of one row list (one data version), built in slices in the background after the
 * first rows are painted, or on the first keystroke, whichever comes first (the keystroke then
 * builds only what the slices have not); never per keystroke.
 */
export class SearchIndex<Row> {
  private readonly texts = new Map<Row, string>();
  /** How many rows have their text (they are built in row order). */
  private next = 0;

  constructor(
    private readonly rows: readonly Row[],
    private readonly columns: ReadonlyArray<Column<Row>>,
    private readonly extra?: (row: Row) => string,
  ) {}

  get built(): boolean {
    return this.next === this.rows.length;
  }

  /** Builds texts until `stop()` says so (asked every 64 rows); true once every row has its text. */
  buildSome(stop: () => boolean): boolean {
    while (!this.built) {
      const row = this.rows[this.next++]!;
      this.texts.set(row, searchText(row, this.columns, this.extra));
      if (this.next % 64 === 0 && stop()) return this.built;
    }
    return true;
  }

  build(): Map<Row, string> {
    this.buildSome(() => false);
    return this.texts;
  }

  /** The rows of `candidates` whose text has every word. */
  filter(candidates: readonly Row[], words: readonly string[]): Row[] {
    const texts = this.build();
    return candidates.filter((row) => matchesQuery(texts.get(row) ?? '', words));
  }
}

/**
 * Whether every row matching `next` also matches `previous`, so `next` can filter the previous
 * result instead of every row (typing on narrows). True when the joined words of `next` start
 * with those of `previous`: each earlier word is then equal or a prefix of its successor.
 */
export function narrows(previous: readonly string[], next: readonly string[]): boolean {
  return previous.length > 0 && next.join(' ').startsWith(previous.join(' '));
}

/** Every word of the query must occur somewhere in the row (any column). */
export function matchesQuery(text: string, words: readonly string[]): boolean {
  for (const w of words) if (!text.includes(w)) return false;
  return true;
}

export function queryWords(query: string | undefined): string[] {
  return (query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

/** What the table paints, in order: group headings and rows. */
export type DisplayItem<Row> = { kind: 'group'; key: string; rows: Row[] } | { kind: 'row'; row: Row; group?: string };

/**
 * The table's items without an object per row: `at(i)` makes the few the window paints. A filter
 * key that matches thousands of rows would otherwise allocate thousands of items per keystroke,
 * and the garbage collector then landed on a later key (the views table bench).
 */
export interface DisplayList<Row> {
  readonly length: number;
  at(index: number): DisplayItem<Row>;
}

/** Rows without headings. */
export function plainList<Row>(rows: readonly Row[]): DisplayList<Row> {
  return { length: rows.length, at: (index) => ({ kind: 'row', row: rows[index]! }) };
}

/**
 * Groups rows under headings (replica sets under their Deployment, as Deck's cluster view groups
 * server groups under their manager): groups in their key's ascending order, rows in the given
 * (sorted) order inside their group. Built once per row list (one data version): each row's
 * heading and the headings' order. A filter keystroke then only buckets its matches by heading,
 * with no group key built and no heading sorted again (the first key of a filter matches
 * thousands of rows under hundreds of headings).
 */
export class GroupIndex<Row> {
  /** The headings in display order, and each row's place among them. */
  private readonly keys: string[];
  private readonly rankOf = new Map<Row, number>();

  constructor(rows: readonly Row[], groupKey: (row: Row) => string) {
    const keyOf = rows.map(groupKey);
    this.keys = [...new Set(keyOf)].sort(compareText);
    const rank = new Map(this.keys.map((k, i) => [k, i]));
    rows.forEach((row, i) => this.rankOf.set(row, rank.get(keyOf[i]!)!));
  }

  /** Headings and rows for `rows`: some (or all) of this list's rows, in display order. */
  list(rows: readonly Row[]): DisplayList<Row> {
    const buckets: Row[][] = [];
    for (const row of rows) (buckets[this.rankOf.get(row)!] ??= []).push(row);
    // Where each heading sits among the items: a heading, then its rows.
    const groupKeys: string[] = [];
    const groupRows: Row[][] = [];
    const starts: number[] = [];
    let length = 0;
    buckets.forEach((list, rank) => {
      groupKeys.push(this.keys[rank]!);
      groupRows.push(list);
      starts.push(length);
      length += 1 + list.length;
    });
    return {
      length,
      at(index: number): DisplayItem<Row> {
        // The last heading at or before `index`.
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (starts[mid]! <= index) lo = mid;
          else hi = mid - 1;
        }
        const offset = index - starts[lo]!;
        return offset === 0 ? { kind: 'group', key: groupKeys[lo]!, rows: groupRows[lo]! } : { kind: 'row', row: groupRows[lo]![offset - 1]!, group: groupKeys[lo]! };
      },
    };
  }
}

/** The window of items to paint for a scroll position: fixed row height, a few rows of overscan. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan: number): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return [first, Math.max(first, last)];
}
