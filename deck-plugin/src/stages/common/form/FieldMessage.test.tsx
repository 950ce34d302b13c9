/**
 * A message that quotes what the user typed shows it as typed. Regression guard: Deck's
 * ValidationMessage renders a string as Markdown, which turned `*team*-a` into an italic "team-a"
 * and dropped `<name>`.
 */
import { ValidationMessage } from '@spinnaker/core';
import { render } from '@testing-library/react';
import React from 'react';

import { FieldMessage } from './FieldMessage';

const TYPED = 'Namespace "*team*-a" is not valid; path manifests/*.yml and *-canary.yml, <name> left as is.';

describe('FieldMessage', () => {
  it("shows the text as typed, where Deck's ValidationMessage re-formats it as Markdown", () => {
    const deck = render(<ValidationMessage type="error" message={TYPED} />);
    // What the guard is against: Deck's own component changes the text.
    expect(deck.container.querySelector('em')).not.toBeNull();
    expect(deck.container.textContent).not.toBe(TYPED);
    deck.unmount();

    const ours = render(<FieldMessage message={TYPED} />);
    expect(ours.container.textContent).toBe(TYPED);
    expect(ours.container.querySelector('em')).toBeNull();
  });

  it("keeps Deck's markup around the text: the error box and its icon", () => {
    const { container } = render(<FieldMessage message="Account is required." />);
    const box = container.firstElementChild!;
    expect(box).toHaveClass('ValidationMessage', 'errorMessage');
    expect(box.querySelector('i')).toHaveClass('fa', 'fa-exclamation-circle');
    expect(box.querySelector('.message')).toHaveTextContent('Account is required.');
  });

  it('a warning keeps its category', () => {
    const { container } = render(<FieldMessage type="warning" message="Check *this*." />);
    expect(container.firstElementChild).toHaveClass('warningMessage');
    expect(container).toHaveTextContent('Check *this*.');
  });
});
