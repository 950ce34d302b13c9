/**
 * Deck's ValidationMessage with its text as plain text. Deck renders a string message as Markdown
 * (commonmark, then DOMPurify), which is wrong for these messages: they quote what the user typed,
 * and Markdown re-formats it (`*.yml` and `*-canary` lose their stars and turn the text between
 * them into italics; `<name>` is removed). The markup around the text, and so the look, is Deck's.
 */
import type { ILayoutProps, IValidationCategory } from '@spinnaker/core';
import { LayoutContext, ValidationMessage } from '@spinnaker/core';
import React from 'react';

/** A fragment, not a string: ValidationMessage puts it in its message box as it is. */
const asText = (message: React.ReactNode): React.ReactNode => (typeof message === 'string' ? <>{message}</> : message);

export function FieldMessage(props: { message: string; type?: IValidationCategory }) {
  return <ValidationMessage type={props.type ?? 'error'} message={asText(props.message)} />;
}

/**
 * The field layout Deck's form provides (LayoutContext: ResponsiveFieldLayout in a stage form),
 * given the field's message as plain text; its category (the red box, the icon) is unchanged.
 */
export function PlainMessageLayout(props: ILayoutProps) {
  const Layout = React.useContext(LayoutContext);
  const { validation } = props;
  return <Layout {...props} validation={validation && { ...validation, messageNode: asText(validation.messageNode) }} />;
}
