/**
 * The help icon of the stage forms: Deck's HelpField markup until first used, then Deck's
 * HelpField itself, whose popover shows the registered help (as Markdown) on hover and, unlike
 * Deck's icon, on keyboard focus.
 */
import { HelpContentsRegistry, HelpField } from '@spinnaker/core';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { HelpIcon } from './HelpIcon';

const KEY = 'cdaas.test.helpIcon';
beforeAll(() => HelpContentsRegistry.register(KEY, 'Deploys into **this** namespace.'));

/** The popover's text, once Deck's Overlay has rendered it (into document.body). */
const popover = () => screen.queryByText((_, el) => el?.tagName === 'P' && el.textContent === 'Deploys into this namespace.');

describe('HelpIcon', () => {
  it("renders Deck's HelpField markup, and no popover, before it is used", () => {
    const { container: ours } = render(<HelpIcon id={KEY} label="Namespace override" />);
    const { container: decks } = render(<HelpField id={KEY} />);
    const icon = screen.getByRole('button', { name: 'Help: Namespace override' });
    // Deck's markup: its inline-block box (ours, focusable) around its popover's trigger.
    const decksBox = decks.firstElementChild as HTMLElement;
    expect(icon.style.display).toBe(decksBox.style.display);
    expect(icon.innerHTML).toBe(decksBox.innerHTML);
    expect(ours.querySelectorAll('.help-field')).toHaveLength(1);
    expect(popover()).toBeNull();
  });

  it("opens Deck's popover on the first hover, and closes it when the pointer leaves", async () => {
    render(<HelpIcon id={KEY} label="Namespace override" />);
    const icon = screen.getByRole('button', { name: 'Help: Namespace override' });
    await userEvent.hover(icon.querySelector('.help-field')!);
    await waitFor(() => expect(popover()).not.toBeNull());
    expect(popover()!.querySelector('strong')).toHaveTextContent('this');
    await userEvent.unhover(icon.querySelector('.help-field')!);
    await waitFor(() => expect(popover()).toBeNull());
    // Deck's HelpField from now on, still opening on hover.
    await userEvent.hover(icon.querySelector('.help-field')!);
    await waitFor(() => expect(popover()).not.toBeNull());
  });

  it('is keyboard reachable: the popover shows while the icon has the focus, and Escape hides it', async () => {
    render(
      <>
        <input aria-label="before" />
        <HelpIcon id={KEY} label="Namespace override" />
        <input aria-label="after" />
      </>,
    );
    await userEvent.click(screen.getByRole('textbox', { name: 'before' }));
    await userEvent.tab();
    const icon = screen.getByRole('button', { name: 'Help: Namespace override' });
    expect(icon).toHaveFocus();
    await waitFor(() => expect(popover()).not.toBeNull());
    await userEvent.tab();
    expect(screen.getByRole('textbox', { name: 'after' })).toHaveFocus();
    await waitFor(() => expect(popover()).toBeNull());
    await userEvent.tab({ shift: true });
    await waitFor(() => expect(popover()).not.toBeNull());
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(popover()).toBeNull());
    expect(icon).toHaveFocus();
  });
});
