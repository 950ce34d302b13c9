/**
 * The number-or-expression input of the Deploy stage's weights, durations and timeout, by role and
 * name in both modes; and why Deck's SpelNumberInput is not used as is (it names nothing and loses
 * what was typed), shown on Deck's own component.
 */
import { SpelNumberInput } from '@spinnaker/core';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { SpelNumberField } from './SpelNumberField';

/** The field as a form holds it: the text as typed, every change recorded. */
function Harness(props: { initial: string; min?: number; max?: number }) {
  const [value, setValue] = React.useState(props.initial);
  return (
    <>
      <SpelNumberField label="Canary step 1 weight (%)" value={value} onChange={setValue} min={props.min} max={props.max} />
      <output aria-label="saved">{value}</output>
    </>
  );
}
const saved = () => screen.getByRole('status', { name: 'saved' });

describe('SpelNumberField', () => {
  it('number mode: a named spinbutton with min, max and arrow-key steps that stay in range', async () => {
    render(<Harness initial="99" min={1} max={100} />);
    const input = screen.getByRole('spinbutton', { name: 'Canary step 1 weight (%)' });
    expect(input).toHaveAttribute('aria-valuemin', '1');
    expect(input).toHaveAttribute('aria-valuemax', '100');
    expect(input).toHaveAttribute('aria-valuenow', '99');
    expect(screen.getByRole('button', { name: 'Canary step 1 weight (%): number' })).toHaveAttribute('aria-pressed', 'true');
    await userEvent.type(input, '{ArrowUp}{ArrowUp}');
    expect(input).toHaveValue('100');
    await userEvent.type(input, '{ArrowDown}');
    expect(saved()).toHaveTextContent('99');
  });

  it('expression mode: typing ${ switches to a named textbox, and the toggle goes back without touching the text', async () => {
    render(<Harness initial="" />);
    await userEvent.click(screen.getByRole('spinbutton', { name: 'Canary step 1 weight (%)' }));
    await userEvent.paste('${parameters.weight}');
    const text = screen.getByRole('textbox', { name: 'Canary step 1 weight (%)' });
    expect(text).toHaveValue('${parameters.weight}');
    expect(screen.getByRole('button', { name: 'Canary step 1 weight (%): expression' })).toHaveAttribute('aria-pressed', 'true');
    // Arrow keys do not edit an expression.
    await userEvent.type(text, '{ArrowUp}');
    expect(saved()).toHaveTextContent('${parameters.weight}');

    await userEvent.click(screen.getByRole('button', { name: 'Canary step 1 weight (%): number' }));
    const number = screen.getByRole('spinbutton', { name: 'Canary step 1 weight (%)' });
    expect(number).toHaveValue('${parameters.weight}');
    expect(number).toHaveFocus();
    // Selected on the switch: a typed number replaces the expression.
    await userEvent.keyboard('40');
    expect(saved()).toHaveTextContent(/^40$/);
  });

  it('a saved value that is not a plain number opens in expression mode, as Deck opens a string', () => {
    render(<Harness initial="${trigger.parameters.wait}" />);
    expect(screen.getByRole('textbox', { name: 'Canary step 1 weight (%)' })).toHaveValue('${trigger.parameters.wait}');
    expect(screen.queryByRole('spinbutton')).not.toBeInTheDocument();
  });

  // Regression: typed text lost. Deck's SpelNumberInput turns "1.5" into 1 and "1e3" into 1
  // (parseInt), and its number mode is an <input type="number">, which empties text it cannot
  // parse; here every character stays, and the form's validation says what is wrong with it.
  it('keeps exactly what was typed, numbers or not', async () => {
    render(<Harness initial="" />);
    const input = screen.getByRole('spinbutton', { name: 'Canary step 1 weight (%)' });
    for (const typed of ['1.5', '1e3', '-', '12x']) {
      await userEvent.clear(input);
      await userEvent.type(input, typed);
      expect(input).toHaveValue(typed);
      expect(saved()).toHaveTextContent(typed);
    }
    // Arrow keys never overwrite text that is not a number.
    await userEvent.type(input, '{ArrowUp}');
    expect(saved()).toHaveTextContent('12x');
  });
});

describe("Deck's SpelNumberInput (@spinnaker/core 0.29.1), why it is wrapped rather than used", () => {
  it('gives its input no name and reports "1.5" as 1', () => {
    const changes: Array<number | string> = [];
    render(
      <label>
        Canary step 1 weight (%)
        <SpelNumberInput value={25} onChange={(v) => changes.push(v)} min={1} max={100} />
      </label>,
    );
    // A wrapping label names the first labelable element inside: Deck's "Num" button, not the input.
    expect(screen.queryByRole('spinbutton', { name: /Canary step 1 weight/ })).not.toBeInTheDocument();
    fireEvent.change(screen.getByRole('spinbutton'), { target: { value: '1.5' } });
    expect(changes).toEqual([1]);
  });
});
