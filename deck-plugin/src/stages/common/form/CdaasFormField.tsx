/**
 * FormikFormField with a real <label for>: Deck's layouts render the label as a plain <div>,
 * which leaves inputs without an accessible name (screen readers, getByRole, the e2e test).
 */
import type { IFormInputProps, ILayoutProps, IValidator } from '@spinnaker/core';
import { FormikFormField, HelpField } from '@spinnaker/core';
import React from 'react';

import { PlainMessageLayout } from './FieldMessage';
import { useFieldId } from './useFieldId';

export type LabelledInputProps = IFormInputProps & { id: string };

export interface CdaasFormFieldProps {
  /** Formik path, e.g. `cdaas.namespace`. */
  name: string;
  label: string;
  /** A help key registered through `plugin.help`. */
  help?: string;
  input: (props: LabelledInputProps) => React.ReactNode;
  validate?: IValidator | IValidator[];
  required?: boolean;
  /**
   * Formik's FastField instead of Field: the field renders again only when its own value, error
   * or touched state changes, not for every change of Formik's state (Deck's SpinFormik changes
   * it three times on mount). Only for an input that reads nothing but its own field.
   */
  fast?: boolean;
}

/**
 * Deck's layout, with the message as plain text (FieldMessage.tsx says why). An element, not the
 * component itself: FormikFormField calls `layout` as a function inside Formik's field render,
 * where PlainMessageLayout's context hook could not run.
 */
const layout = (props: ILayoutProps) => <PlainMessageLayout {...props} />;

export function CdaasFormField(props: CdaasFormFieldProps) {
  const { name, label, help, input, validate, required, fast } = props;
  const id = useFieldId(name);
  // The same element while the key is the same, so React skips Deck's HelpField when the field renders again.
  const helpField = React.useMemo(() => (help ? <HelpField id={help} /> : undefined), [help]);
  return (
    <FormikFormField
      name={name}
      fastField={fast}
      label={
        <label htmlFor={id} style={{ fontWeight: 'inherit', margin: 0 }}>
          {label}
          {required && <span aria-hidden="true"> *</span>}
        </label>
      }
      help={helpField}
      validate={validate}
      layout={layout}
      // Shown as soon as the problem exists, not after a blur: the step lists, the editors and
      // Deck's save bar say theirs at once, so every field of the form does the same.
      touched={true}
      input={(inputProps: IFormInputProps) => input({ ...inputProps, id }) as React.ReactElement}
    />
  );
}
