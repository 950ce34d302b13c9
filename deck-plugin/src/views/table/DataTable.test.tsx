import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { ageSeconds, ageText } from '../common/format';
import { DataTable, FILTER_URL_DELAY_MS } from './DataTable';
import type { Column, SortState } from './model';
import { formatSort, narrows, parseSort, queryWords, sortOrder } from './model';

interface Pod {
  name: string;
  group: string;
  revision?: number;
}

const columns: Array<Column<Pod>> = [
  { id: 'name', label: 'Name', value: (p) => p.name },
  { id: 'revision', label: 'Revision', value: (p) => p.revision, descendingFirst: true },
];

const many: Pod[] = Array.from({ length: 1000 }, (_, i) => ({ name: `pod-${i}`, group: i % 2 ? 'odd' : 'even', revision: i }));

function Controlled(props: { rows: Pod[]; initialSort?: SortState; grouped?: boolean; virtualize?: boolean }) {
  const [sort, setSort] = React.useState<SortState | undefined>(props.initialSort);
  const [filter, setFilter] = React.useState('');
  return (
    <DataTable
      label="Pods"
      columns={columns}
      rows={props.rows}
      rowKey={(p) => p.name}
      sort={sort}
      onSortChange={setSort}
      filter={filter}
      onFilterChange={setFilter}
      rowHeight={20}
      maxHeight={200}
      overscan={2}
      virtualize={props.virtualize}
      group={props.grouped ? { key: (p) => p.group, render: (key, rows) => `${key} (${rows.length})` } : undefined}
    />
  );
}

const bodyRows = () => within(screen.getByRole('table', { name: 'Pods' })).getAllByRole('row').filter((r) => !r.closest('thead'));
const names = () => bodyRows().map((r) => within(r).queryAllByRole('cell')[0]?.textContent);

describe('DataTable', () => {
  it('paints only the rows in view, and brings the others in on scroll', () => {
    render(<Controlled rows={many} />);
    // 200 px / 20 px = 10 rows in view, plus 2 of overscan below.
    expect(names()).toEqual(Array.from({ length: 12 }, (_, i) => `pod-${i}`));
    expect(screen.queryByText('pod-500')).not.toBeInTheDocument();

    const scroller = screen.getByRole('table', { name: 'Pods' }).parentElement!;
    fireEvent.scroll(scroller, { target: { scrollTop: 500 * 20 } });
    expect(screen.getByText('pod-500')).toBeInTheDocument();
    expect(screen.queryByText('pod-0')).not.toBeInTheDocument();
    // Overscan above and below the window, and nothing else.
    expect(names()).toEqual(Array.from({ length: 14 }, (_, i) => `pod-${498 + i}`));
  });

  it('without virtualization paints every row (the benchmark baseline)', () => {
    render(<Controlled rows={many.slice(0, 200)} virtualize={false} />);
    expect(names()).toHaveLength(200);
  });

  it('sorts by a column on click, flipping on the second click, with aria-sort said', async () => {
    render(<Controlled rows={many.slice(0, 5)} />);
    const header = screen.getByRole('columnheader', { name: 'Revision' });
    expect(header).toHaveAttribute('aria-sort', 'none');
    await userEvent.click(within(header).getByRole('button', { name: 'Revision' }));
    // Revisions sort newest first on the first click.
    expect(names()).toEqual(['pod-4', 'pod-3', 'pod-2', 'pod-1', 'pod-0']);
    expect(header).toHaveAttribute('aria-sort', 'descending');
    await userEvent.click(within(header).getByRole('button', { name: 'Revision' }));
    expect(names()).toEqual(['pod-0', 'pod-1', 'pod-2', 'pod-3', 'pod-4']);
    expect(header).toHaveAttribute('aria-sort', 'ascending');
  });

  it('filters on every column, all words, and counts what is left', async () => {
    render(<Controlled rows={many} />);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Filter pods' }), 'pod-99');
    expect(names()).toEqual(['pod-99', 'pod-990', 'pod-991', 'pod-992', 'pod-993', 'pod-994', 'pod-995', 'pod-996', 'pod-997', 'pod-998', 'pod-999']);
    expect(screen.getByRole('status')).toHaveTextContent('11 of 1000 pods');
    await userEvent.clear(screen.getByRole('searchbox', { name: 'Filter pods' }));
    await userEvent.type(screen.getByRole('searchbox', { name: 'Filter pods' }), 'nothing-like-this');
    expect(screen.getByText('Nothing matches “nothing-like-this”.')).toBeInTheDocument();
  });

  it('regression: the filter matched an age column by its seconds, a number the table never shows', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    const rows = [
      { name: 'old', createdAt: '2026-11-30T23:58:00Z' },
      { name: 'new', createdAt: '2026-11-30T23:59:59Z' },
    ];
    const cols: Array<Column<(typeof rows)[number]>> = [
      { id: 'name', label: 'Name', value: (r) => r.name },
      { id: 'age', label: 'Age', value: (r) => ageSeconds(r.createdAt, now), render: (r) => ageText(r.createdAt, now), filter: false },
    ];
    render(<DataTable label="Pods" columns={cols} rows={rows} rowKey={(r) => r.name} />);
    // "old" is 120 s old: its age sorts by 120 and says "2m".
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pods' }), { target: { value: '120' } });
    expect(screen.getByText('Nothing matches “120”.')).toBeInTheDocument();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pods' }), { target: { value: 'ol' } });
    expect(names()).toEqual(['old']);
  });

  it('groups rows under headings, sorted inside each group', () => {
    render(<Controlled rows={many.slice(0, 4)} grouped initialSort={{ column: 'revision', descending: true }} />);
    const texts = bodyRows().map((r) => r.textContent);
    expect(texts).toEqual(['even (2)', 'pod-22', 'pod-00', 'odd (2)', 'pod-33', 'pod-11']);
  });

  it('regression: a blank value sorts last in both directions, not first when descending', () => {
    const rows: Pod[] = [{ name: 'a', group: '', revision: 1 }, { name: 'b', group: '' }, { name: 'c', group: '', revision: 2 }];
    const names = (sort: { column: string; descending: boolean }) => Array.from(sortOrder(rows, columns, sort), (i) => rows[i]!.name);
    expect(names({ column: 'revision', descending: true })).toEqual(['c', 'a', 'b']);
    expect(names({ column: 'revision', descending: false })).toEqual(['a', 'c', 'b']);
  });

  it('keeps sort as URL text and reads it back', () => {
    expect(parseSort(formatSort({ column: 'age', descending: true }))).toEqual({ column: 'age', descending: true });
    expect(parseSort('name')).toEqual({ column: 'name', descending: false });
    expect(parseSort('')).toBeUndefined();
  });

  describe('a keystroke stays cheap at scale', () => {
    afterEach(() => vi.useRealTimers());

    /** Counts how often each row's cells are built (a render of that row). */
    function counted() {
      const renders = new Map<string, number>();
      const values = { count: 0 };
      const cols: Array<Column<Pod>> = [
        {
          id: 'name',
          label: 'Name',
          value: (p) => (values.count++, p.name),
          render: (p) => (renders.set(p.name, (renders.get(p.name) ?? 0) + 1), p.name),
        },
      ];
      return { cols, renders, values, total: () => [...renders.values()].reduce((a, b) => a + b, 0) };
    }

    it('writes the filter to the URL once typing pauses, not per keystroke; leaving the box writes it at once', () => {
      vi.useFakeTimers();
      const onFilterChange = vi.fn();
      render(<DataTable label="Pods" columns={columns} rows={many} rowKey={(p) => p.name} onFilterChange={onFilterChange} rowHeight={20} maxHeight={200} />);
      const box = screen.getByRole('searchbox', { name: 'Filter pods' });
      for (const q of ['p', 'po', 'pod', 'pod-9']) fireEvent.change(box, { target: { value: q } });
      // The table already shows the matches; the URL has not been touched.
      expect(screen.getByRole('status')).toHaveTextContent('111 of 1000 pods');
      expect(onFilterChange).not.toHaveBeenCalled();
      vi.advanceTimersByTime(FILTER_URL_DELAY_MS);
      expect(onFilterChange.mock.calls).toEqual([['pod-9']]);

      fireEvent.change(box, { target: { value: 'pod-99' } });
      fireEvent.blur(box);
      expect(onFilterChange.mock.calls).toEqual([['pod-9'], ['pod-99']]);
      vi.advanceTimersByTime(FILTER_URL_DELAY_MS);
      expect(onFilterChange).toHaveBeenCalledTimes(2);
    });

    it('computes each row\'s search text once per data version, not per keystroke', () => {
      const c = counted();
      const { rerender } = render(<DataTable label="Pods" columns={c.cols} rows={many} rowKey={(p) => p.name} rowHeight={20} maxHeight={200} />);
      const box = screen.getByRole('searchbox', { name: 'Filter pods' });
      for (const q of ['p', 'po', 'pod', 'pod-', 'pod-9', 'pod-99', 'pod-9']) fireEvent.change(box, { target: { value: q } });
      expect(screen.getByRole('status')).toHaveTextContent('111 of 1000 pods');
      expect(c.values.count).toBe(many.length);
      // New data: its texts are built once more.
      rerender(<DataTable label="Pods" columns={c.cols} rows={many.slice(0, 500)} rowKey={(p) => p.name} rowHeight={20} maxHeight={200} />);
      fireEvent.change(box, { target: { value: 'pod-4' } });
      expect(c.values.count).toBe(many.length + 500);
      expect(screen.getByRole('status')).toHaveTextContent('111 of 500 pods');
    });

    it('builds the search texts in short slices once the rows are painted; a key typed meanwhile builds only the rest', () => {
      vi.useFakeTimers();
      const c = counted();
      const { rerender } = render(<DataTable label="Pods" columns={c.cols} rows={many} rowKey={(p) => p.name} rowHeight={20} maxHeight={200} />);
      expect(c.values.count).toBe(0);
      // Each slice stops once its time is up: let every clock read say so, one slice runs 64 rows.
      let clock = 0;
      vi.spyOn(performance, 'now').mockImplementation(() => (clock += 10));
      // The next frame, then the first slice.
      vi.advanceTimersToNextTimer();
      expect(c.values.count).toBe(0);
      vi.advanceTimersToNextTimer();
      expect(c.values.count).toBe(64);
      vi.mocked(performance.now).mockRestore();
      fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pods' }), { target: { value: 'pod-9' } });
      expect(c.values.count).toBe(many.length);
      expect(screen.getByRole('status')).toHaveTextContent('111 of 1000 pods');
      // A new data version (the filter cleared) is built in the background before anyone types.
      fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pods' }), { target: { value: '' } });
      rerender(<DataTable label="Pods" columns={c.cols} rows={many.slice(0, 500)} rowKey={(p) => p.name} rowHeight={20} maxHeight={200} />);
      expect(c.values.count).toBe(many.length);
      vi.runAllTimers();
      expect(c.values.count).toBe(many.length + 500);
    });

    it('works out each row\'s group key and the headings\' order once per data version, not per keystroke', () => {
      let keyed = 0;
      const group = { key: (p: Pod) => (keyed++, p.group), render: (key: string, rows: Pod[]) => `${key} (${rows.length})` };
      render(<DataTable label="Pods" columns={columns} rows={many} rowKey={(p) => p.name} group={group} rowHeight={20} maxHeight={200} />);
      expect(keyed).toBe(many.length);
      const box = screen.getByRole('searchbox', { name: 'Filter pods' });
      for (const q of ['pod-1', 'pod-2', 'pod-9']) fireEvent.change(box, { target: { value: q } });
      expect(keyed).toBe(many.length);
      // The headings keep their order and count only the matches: "pod-9" matches 55 even, 56 odd.
      expect(bodyRows()[0]).toHaveTextContent('even (55)');
      fireEvent.change(box, { target: { value: 'pod-99' } });
      expect(bodyRows().map((r) => r.textContent).filter((t) => t?.includes('('))).toEqual(['even (5)', 'odd (6)']);
    });

    it('re-renders only rows that changed: the same matches render nothing, a scroll renders the row coming into view', () => {
      const c = counted();
      render(<DataTable label="Pods" columns={c.cols} rows={many} rowKey={(p) => p.name} rowHeight={20} maxHeight={200} overscan={2} />);
      const box = screen.getByRole('searchbox', { name: 'Filter pods' });
      fireEvent.change(box, { target: { value: 'pod-1' } });
      const afterFirst = c.total();
      // Same words (a trailing space): the table renders, no row does.
      fireEvent.change(box, { target: { value: 'pod-1 ' } });
      expect(c.total()).toBe(afterFirst);

      fireEvent.change(box, { target: { value: '' } });
      const before = c.total();
      const pod12 = c.renders.get('pod-12') ?? 0;
      const scroller = screen.getByRole('table', { name: 'Pods' }).parentElement!;
      fireEvent.scroll(scroller, { target: { scrollTop: 20 } });
      expect(names()).toContain('pod-12');
      expect(c.total() - before).toBe(1);
      expect(c.renders.get('pod-12')).toBe(pod12 + 1);
      // Scrolling within the same row renders nothing at all.
      fireEvent.scroll(scroller, { target: { scrollTop: 30 } });
      expect(c.total() - before).toBe(1);
    });

    it('a key that brings other rows into view updates the row elements in place, and a scroll moves one from end to end', () => {
      render(<Controlled rows={many} grouped />);
      const before = bodyRows();
      fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pods' }), { target: { value: 'pod-9' } });
      const after = bodyRows();
      // Other rows and headings, in the same elements: "pod-9" matches 55 even rows first (name, revision).
      expect(after.map((r) => r.textContent).slice(0, 3)).toEqual(['even (55)', 'pod-9090', 'pod-9292']);
      expect(after).toHaveLength(before.length);
      after.forEach((r, i) => expect(r).toBe(before[i]));

      fireEvent.change(screen.getByRole('searchbox', { name: 'Filter pods' }), { target: { value: '' } });
      const scroller = screen.getByRole('table', { name: 'Pods' }).parentElement!;
      // Far enough down that the window has rows above and below the view.
      fireEvent.scroll(scroller, { target: { scrollTop: 100 * 20 } });
      const window = bodyRows();
      fireEvent.scroll(scroller, { target: { scrollTop: 101 * 20 } });
      const moved = bodyRows();
      expect(moved.slice(0, -1)).toEqual(window.slice(1));
      expect(moved.at(-1)).toBe(window[0]);
      expect(within(moved.at(-1)!).getAllByRole('cell')[0]).toHaveTextContent(/^pod-/);
    });

    it('typing on narrows the previous matches; other edits start from every row', () => {
      expect(narrows(queryWords('web'), queryWords('web-s'))).toBe(true);
      expect(narrows(queryWords('web'), queryWords('web s'))).toBe(true);
      expect(narrows(queryWords('web s'), queryWords('web se'))).toBe(true);
      expect(narrows(queryWords('ab'), queryWords('a b'))).toBe(false);
      expect(narrows(queryWords('web-s'), queryWords('web'))).toBe(false);
      expect(narrows([], queryWords('web'))).toBe(false);
      // And the table's answers agree with filtering from scratch when the query widens again.
      render(<Controlled rows={many} />);
      const box = screen.getByRole('searchbox', { name: 'Filter pods' });
      fireEvent.change(box, { target: { value: 'pod-99' } });
      expect(screen.getByRole('status')).toHaveTextContent('11 of 1000 pods');
      fireEvent.change(box, { target: { value: 'pod-9' } });
      expect(screen.getByRole('status')).toHaveTextContent('111 of 1000 pods');
    });
  });
});
