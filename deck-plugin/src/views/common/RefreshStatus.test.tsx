import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { RefreshStatus } from './RefreshStatus';

const T = Date.parse('2026-11-24T21:50:30Z');

describe('RefreshStatus', () => {
  afterEach(() => vi.useRealTimers());

  it('says how long ago the view was updated, and the age moves without a new answer', () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(T);
    render(<RefreshStatus updatedAt={T} refreshing={false} onRefresh={() => undefined} what="the agents" />);
    expect(screen.getByText(/^Updated/)).toHaveTextContent('Updated 0s ago');
    act(() => void vi.advanceTimersByTime(20_000));
    expect(screen.getByText(/^Updated/)).toHaveTextContent('Updated 20s ago');
    act(() => void vi.advanceTimersByTime(100_000));
    expect(screen.getByText(/^Updated/)).toHaveTextContent('Updated 2m ago');
  });

  it('refreshes on a click, and not while a request is under way', async () => {
    const onRefresh = vi.fn();
    const { rerender } = render(<RefreshStatus updatedAt={T} refreshing={false} onRefresh={onRefresh} what="the agents" />);
    await userEvent.click(screen.getByRole('button', { name: 'Refresh the agents' }));
    expect(onRefresh).toHaveBeenCalledTimes(1);
    rerender(<RefreshStatus updatedAt={T} refreshing onRefresh={onRefresh} what="the agents" />);
    expect(screen.getByRole('button', { name: 'Refresh the agents' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Refresh the agents' })).toHaveTextContent('Refreshing…');
  });
});
