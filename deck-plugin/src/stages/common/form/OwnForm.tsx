/**
 * A `<form>` of the editor's own around its text input. Chromium's autofill treats every text
 * field, select and textarea outside a form as one form: each change of the editor's textarea (Ace
 * rewrites it on every key) and each caret move re-reads all of them, 59 artifact pickers and their
 * options for a large deploy.yml, several ms per key on the main thread (FormControlDidChange,
 * HandleCaretMovedInFormField and the selectionchange dispatch in a trace). Inside a form of its
 * own only the editor is read. Never submitted: a submit (there is no submit button) is cancelled.
 */
import React from 'react';

import './ownForm.css';

export const OwnForm = React.forwardRef<HTMLFormElement, { className?: string; children: React.ReactNode }>(function OwnForm({ className, children }, ref) {
  return (
    <form ref={ref} className={className ? `cdaas-own-form ${className}` : 'cdaas-own-form'} onSubmit={(e) => e.preventDefault()}>
      {children}
    </form>
  );
});
