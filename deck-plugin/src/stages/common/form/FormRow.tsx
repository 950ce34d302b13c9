/**
 * Rows laid out like Deck's own form fields (label column, then content), for content that is not
 * one Formik input: radio groups, lists of steps, notes under a field. Both stages use these, so
 * their forms line up with each other and with Deck's.
 */
import React from 'react';

import { HelpIcon } from './HelpIcon';
import { useFieldId } from './useFieldId';

export interface FormRowProps {
  label?: React.ReactNode;
  /** A help key registered through `plugin.help`. */
  help?: string;
  /** What the help is about, when the label is not a string (its icon is named "Help: <helpLabel>"). */
  helpLabel?: string;
  children: React.ReactNode;
}

export function FormRow({ label, help, helpLabel, children }: FormRowProps) {
  const helpName = helpLabel ?? (typeof label === 'string' ? label : 'this field');
  return (
    <div className="sp-formItem">
      <div className="sp-formItem__left">
        {(label || help) && (
          <div className="sp-formLabel">
            {label} {help && <HelpIcon id={help} label={helpName} />}
          </div>
        )}
      </div>
      <div className="sp-formItem__right">{children}</div>
    </div>
  );
}

export interface RadioGroupProps<T extends string> {
  label: string;
  help?: string;
  value: T;
  options: Array<{ value: T; label: string }>;
  onChange(value: T): void;
}

/** A labelled radiogroup (Deck's RadioButtonInput renders no group name for screen readers). */
function RadioGroupImpl<T extends string>(props: RadioGroupProps<T>) {
  const id = useFieldId(props.label);
  return (
    <FormRow label={<span id={id}>{props.label}</span>} help={props.help} helpLabel={props.label}>
      <div role="radiogroup" aria-labelledby={id} className="flex-container-h margin-between-lg">
        {props.options.map((o) => (
          <label key={o.value} className="radio-inline clickable">
            <input
              type="radio"
              name={id}
              value={o.value}
              checked={props.value === o.value}
              onChange={() => props.onChange(o.value)}
            />{' '}
            {o.label}
          </label>
        ))}
      </div>
    </FormRow>
  );
}

/** Memoised (given constant options and a stable onChange, it skips the form's other renders). */
export const RadioGroup = React.memo(RadioGroupImpl) as typeof RadioGroupImpl;
