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
  /**
   * False: the filter does not look at this column, whose value is not what its cell says (an
   * age sorts by seconds, a number the table never shows: "12" matched rows by their age).
   */
  filter?: boolean;
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
 * A stable sort by one column, as row indexes: the order the table shows `rows` in (the filter and
 * the groups work on indexes, so a keystroke looks nothing up by row). Rows keep their given order
 * when the column does not sort. Blank values sort last in both directions: a missing age is never
 * "the newest".
 */
export function sortOrder<Row>(rows: readonly Row[], columns: ReadonlyArray<Column<Row>>, sort: SortState | undefined): Int32Array {
  const column = sort && columns.find((c) => c.id === sort.column);
  // Sorted as a plain array, then copied: a typed array's sort with a comparator took a third
  // longer on 10,000 rows (node), and the first rows wait for this sort.
  const order: number[] = [];
  for (let i = 0; i < rows.length; i++) order.push(i);
  if (column && column.sort !== false) {
    const dir = sort.descending ? -1 : 1;
    if (typeof column.sort === 'function') {
      const custom = column.sort;
      order.sort((a, b) => custom(rows[a]!, rows[b]!) * dir || a - b);
    } else {
      // Values read once per row, not once per comparison (10,000 rows sort in a few ms).
      const values = rows.map((row) => column.value(row));
      order.sort((a, b) => {
        const x = values[a];
        const y = values[b];
        const c = isBlank(x) || isBlank(y) ? (isBlank(x) === isBlank(y) ? 0 : isBlank(x) ? 1 : -1) : compareValues(x, y) * dir;
        return c || a - b;
      });
    }
  }
  return Int32Array.from(order);
}

/**
 * Lower-cased text of every column of one row the filter looks at, what the filter matches. Joined from an array, not
 * built with `+=` (a rope V8 flattens on the first `includes`, so the first key of a filter paid for
 * copying 10,000 texts), and lower-cased once per row rather than once per column (a quarter less
 * time building 10,000 texts in node).
 */
export function searchText<Row>(row: Row, columns: ReadonlyArray<Column<Row>>, extra?: (row: Row) => string): string {
  const parts: string[] = [];
  for (const c of columns) {
    if (c.filter === false) continue;
    const value = c.value(row);
    if (value !== undefined) parts.push(String(value), '\u0001');
  }
  if (extra) parts.push(extra(row));
  return parts.join('').toLowerCase();
}

/**
 * The search texts of one row list (one data version), built in slices in the background after the
 * first rows are painted, or on the first keystroke, whichever comes first (the keystroke then
 * builds only what the slices have not); never per keystroke. Kept in an array by row index: the
 * first key of a filter reads 10,000 of them, and a Map lookup per row cost three times the
 * `includes` (measured in node, 0.66 against 0.24 ms).
 */
export class SearchIndex<Row> {
  private readonly texts: string[] = [];

  constructor(
    private readonly rows: readonly Row[],
    private readonly columns: ReadonlyArray<Column<Row>>,
    private readonly extra?: (row: Row) => string,
  ) {}

  get built(): boolean {
    return this.texts.length === this.rows.length;
  }

  /** Builds texts until `stop()` says so (asked every 64 rows); true once every row has its text. */
  buildSome(stop: () => boolean): boolean {
    const { texts, rows } = this;
    while (texts.length < rows.length) {
      texts.push(searchText(rows[texts.length]!, this.columns, this.extra));
      if (texts.length % 64 === 0 && stop()) return this.built;
    }
    return true;
  }

  /** The indexes among `candidates` (row indexes, in display order) whose row's text has every word. */
  filter(candidates: Int32Array, words: readonly string[]): Int32Array {
    this.buildSome(() => false);
    const texts = this.texts;
    const out = new Int32Array(candidates.length);
    let n = 0;
    for (let i = 0; i < candidates.length; i++) {
      const row = candidates[i]!;
      if (matchesQuery(texts[row]!, words)) out[n++] = row;
    }
    return out.subarray(0, n);
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

/** Rows without headings: `order` holds indexes into `rows`. */
export function plainList<Row>(rows: readonly Row[], order: Int32Array): DisplayList<Row> {
  return { length: order.length, at: (index) => ({ kind: 'row', row: rows[order[index]!]! }) };
}

/**
 * Groups rows under headings (replica sets under their Deployment, as Deck's cluster view groups
 * server groups under their manager): groups in their key's ascending order, rows in the given
 * (sorted) order inside their group. Built once per row list (one data version): each row's
 * heading and the headings' order. A filter keystroke then only counts its matches per heading and
 * places them, in typed arrays, with no group key built, no heading sorted again and no object per
 * match (the first key of a filter matches thousands of rows under hundreds of headings).
 */
export class GroupIndex<Row> {
  /** The headings in display order, and each row's (by index) place among them. */
  private readonly keys: string[];
  private readonly rank: Int32Array;

  constructor(
    private readonly rows: readonly Row[],
    groupKey: (row: Row) => string,
  ) {
    const keyOf = rows.map(groupKey);
    this.keys = [...new Set(keyOf)].sort(compareText);
    const rank = new Map(this.keys.map((k, i) => [k, i]));
    this.rank = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) this.rank[i] = rank.get(keyOf[i]!)!;
  }

  /** Headings and rows for `order`: row indexes (some or all of this list's rows) in display order. */
  list(order: Int32Array): DisplayList<Row> {
    const { rows, keys, rank } = this;
    // A counting sort by heading: how many matches each heading has, then where each one goes.
    const count = new Int32Array(keys.length);
    for (let i = 0; i < order.length; i++) count[rank[order[i]!]!]!++;
    const present: number[] = [];
    for (let r = 0; r < keys.length; r++) if (count[r]) present.push(r);
    // Item index of each present heading; its rows follow it.
    const starts = new Int32Array(present.length);
    const next = new Int32Array(keys.length);
    let length = 0;
    let placed = 0;
    present.forEach((r, g) => {
      starts[g] = length;
      next[r] = placed;
      placed += count[r]!;
      length += 1 + count[r]!;
    });
    const grouped = new Int32Array(order.length);
    for (let i = 0; i < order.length; i++) grouped[next[rank[order[i]!]!]!++] = order[i]!;
    // A heading's rows, made when the heading is painted, once per list (its row stays memoised).
    const groupRows = new Map<number, Row[]>();
    const rowsOf = (g: number) => {
      let list = groupRows.get(g);
      if (!list) {
        const from = starts[g]! - g;
        list = Array.from(grouped.subarray(from, from + count[present[g]!]!), (i) => rows[i]!);
        groupRows.set(g, list);
      }
      return list;
    };
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
        const key = keys[present[lo]!]!;
        return offset === 0 ? { kind: 'group', key, rows: rowsOf(lo) } : { kind: 'row', row: rows[grouped[starts[lo]! - lo + offset - 1]!]!, group: key };
      },
    };
  }
}

/** The most items visibleRange gives at a row-aligned scroll position. */
export function longestWindow(viewportHeight: number, rowHeight: number, overscan: number): number {
  return Math.ceil(viewportHeight / rowHeight) + 2 * overscan;
}

/** The window of items to paint for a scroll position: fixed row height, a few rows of overscan. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan: number): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return [first, Math.max(first, last)];
}
