import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { DataTable } from './DataTable';
import type { Column, SortState } from './model';
import { formatSort, parseSort, sortRows } from './model';

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

  it('groups rows under headings, sorted inside each group', () => {
    render(<Controlled rows={many.slice(0, 4)} grouped initialSort={{ column: 'revision', descending: true }} />);
    const texts = bodyRows().map((r) => r.textContent);
    expect(texts).toEqual(['even (2)', 'pod-22', 'pod-00', 'odd (2)', 'pod-33', 'pod-11']);
  });

  it('regression: a blank value sorts last in both directions, not first when descending', () => {
    const rows: Pod[] = [{ name: 'a', group: '', revision: 1 }, { name: 'b', group: '' }, { name: 'c', group: '', revision: 2 }];
    expect(sortRows(rows, columns, { column: 'revision', descending: true }).map((r) => r.name)).toEqual(['c', 'a', 'b']);
    expect(sortRows(rows, columns, { column: 'revision', descending: false }).map((r) => r.name)).toEqual(['a', 'c', 'b']);
  });

  it('keeps sort as URL text and reads it back', () => {
    expect(parseSort(formatSort({ column: 'age', descending: true }))).toEqual({ column: 'age', descending: true });
    expect(parseSort('name')).toEqual({ column: 'name', descending: false });
    expect(parseSort('')).toBeUndefined();
  });
});
