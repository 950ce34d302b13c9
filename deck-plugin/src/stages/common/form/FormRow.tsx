/**
 * Rows laid out like Deck's own form fields (label column, then content), for content that is not
 * one Formik input: radio groups, lists of steps, notes under a field. Both stages use these, so
 * their forms line up with each other and with Deck's.
 */
import { HelpField } from '@spinnaker/core';
import React from 'react';

import { useFieldId } from './useFieldId';

export interface FormRowProps {
  label?: React.ReactNode;
  /** A help key registered through `plugin.help`. */
  help?: string;
  children: React.ReactNode;
}

export function FormRow({ label, help, children }: FormRowProps) {
  // The same element while the key is the same: React then skips it, and Deck's HelpField
  // sanitises its Markdown (a DOMParser pass) on every render, a cost per keystroke in an editor row.
  const helpField = React.useMemo(() => help && <HelpField id={help} />, [help]);
  return (
    <div className="sp-formItem">
      <div className="sp-formItem__left">
        {(label || help) && (
          <div className="sp-formLabel">
            {label} {helpField}
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
    <FormRow label={<span id={id}>{props.label}</span>} help={props.help}>
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
