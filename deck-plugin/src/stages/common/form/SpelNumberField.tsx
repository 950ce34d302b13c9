/**
 * A number-or-expression input with the behaviour of Deck's `SpelNumberInput` (its "Num" and
 * "${…}" toggle, its markup and classes, so it looks the same) and two things that one lacks
 * (see stages/deploy/README.md, "Number inputs"): an accessible name, and the text kept exactly as
 * typed. Deck's component passes no id or aria attribute to its <input>, parses with parseInt
 * ("1.5" becomes 1, "1e3" becomes 1) and, in number mode, is an <input type="number">, whose value
 * the browser empties for text it cannot parse ("-", "1e"): both lose what the user typed.
 *
 * Number mode here is a spinbutton (min, max, step; ArrowUp / ArrowDown step and clamp) over a text
 * input, so nothing typed is ever sanitized away: an entry that is not a number stays, and the
 * form's validation says so. Typing `${` switches to expression mode, as does a saved value that
 * is not a plain number; the toggle switches either way without touching the text.
 */
import React from 'react';

import { isSpel } from '@cdaas/contract/spel';

export interface SpelNumberFieldProps {
  /** The accessible name; also names the toggle buttons ("… : number", "… : expression"). */
  label: string;
  /** When a <label for> names the input (CdaasFormField), its id; otherwise `label` is the aria-label. */
  id?: string;
  name?: string;
  value: string;
  onChange(value: string): void;
  onBlur?: React.FocusEventHandler<HTMLInputElement>;
  min?: number;
  max?: number;
  step?: number;
  invalid?: boolean;
  describedBy?: string;
  /** CSS width of the text box. */
  width?: string;
}

const NUMBER_TEXT = /^\s*-?\d*(\.\d*)?\s*$/;
/** A number typed in number mode ("", "12", "1.5"); anything else is shown as an expression. */
const looksNumeric = (text: string) => NUMBER_TEXT.test(text);
const startsExpression = (text: string) => text.includes('${') || isSpel(text);

export function SpelNumberField(props: SpelNumberFieldProps) {
  const { label, id, name, value, onChange, onBlur, min, max, step = 1, invalid, describedBy, width = '6em' } = props;
  const [expression, setExpression] = React.useState(() => !looksNumeric(value));
  const [focused, setFocused] = React.useState(false);
  const input = React.useRef<HTMLInputElement>(null);
  const emitted = React.useRef(value);

  // A value that changed outside this input (steps reordered, the stage reopened) picks its mode,
  // as Deck's does on new props; what the user types here keeps the mode they chose.
  React.useEffect(() => {
    if (value !== emitted.current) {
      emitted.current = value;
      setExpression(!looksNumeric(value));
    }
  }, [value]);

  const emit = (text: string) => {
    emitted.current = text;
    if (!expression && startsExpression(text)) setExpression(true);
    onChange(text);
  };

  const choose = (toExpression: boolean) => {
    setExpression(toExpression);
    // The text stays; focused and selected, so typing a number replaces an expression at once.
    input.current?.focus();
    if (!toExpression) input.current?.select();
  };

  const stepBy = (direction: 1 | -1) => {
    const text = value.trim();
    if (text && !/^-?\d+(\.\d+)?$/.test(text)) return; // never overwrite text that is not a number
    const current = text ? Number(text) : (min ?? 0) - direction * step;
    let next = current + direction * step;
    if (min !== undefined) next = Math.max(min, next);
    if (max !== undefined) next = Math.min(max, next);
    emit(String(next));
  };

  const numeric = value.trim() !== '' && /^-?\d+(\.\d+)?$/.test(value.trim());
  const glow = (on: boolean) => () => setFocused(on);

  return (
    <div className="navbar-form" style={{ padding: 0, margin: 0, display: 'inline-block' }}>
      <div className={`button-input${focused && !invalid ? ' focus' : ''}${invalid ? ' invalid' : ''}`}>
        <span className="btn-group btn-group-xs" role="group" aria-label={`${label}: number or expression`}>
          <button
            type="button"
            className={`btn btn-default ${expression ? '' : 'active'}`}
            aria-pressed={!expression}
            aria-label={`${label}: number`}
            title="Toggle to enter number"
            onClick={() => choose(false)}
            onFocus={glow(true)}
            onBlur={glow(false)}
          >
            Num
          </button>
          <button
            type="button"
            className={`btn btn-default ${expression ? 'active' : ''}`}
            aria-pressed={expression}
            aria-label={`${label}: expression`}
            title="Toggle to enter expression"
            onClick={() => choose(true)}
            onFocus={glow(true)}
            onBlur={glow(false)}
          >
            {'${'}&hellip;{'}'}
          </button>
        </span>
        <input
          ref={input}
          id={id}
          name={name}
          type="text"
          autoComplete="off"
          className={`form-control borderless inline-${expression ? 'text' : 'number'}`}
          // Deck's `borderless`, kept inside a form row whose own input rule would draw a second border.
          style={{ width, border: 0, boxShadow: 'none' }}
          {...(id ? {} : { 'aria-label': label })}
          aria-invalid={!!invalid}
          aria-describedby={describedBy}
          {...(expression
            ? { inputMode: 'text' as const, placeholder: '${expression}' }
            : {
                role: 'spinbutton',
                inputMode: 'decimal' as const,
                'aria-valuemin': min,
                'aria-valuemax': max,
                ...(numeric ? { 'aria-valuenow': Number(value) } : { 'aria-valuetext': value }),
              })}
          value={value}
          onChange={(e) => emit(e.target.value)}
          onKeyDown={(e) => {
            if (expression || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
            e.preventDefault();
            stepBy(e.key === 'ArrowUp' ? 1 : -1);
          }}
          onFocus={glow(true)}
          onBlur={(e) => {
            setFocused(false);
            onBlur?.(e);
          }}
        />
      </div>
    </div>
  );
}
