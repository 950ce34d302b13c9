import { screen } from '@testing-library/react';
import React from 'react';
import ReactDOM from 'react-dom';

import { usePlainHost } from '../../../../test/plainHost';
import { YamlTextEditor } from './YamlTextEditor';

describe('YamlTextEditor', () => {
  const plainHost = usePlainHost();

  // The bug: the editor's text input got its name and id in a passive effect, which React runs in
  // a later task when nothing else renders first: the first frame of the Deploy form showed an
  // editor that no label, screen reader or test could find by name. ReactDOM.render without act()
  // is how Deck mounts a stage config: what is in the DOM when it returns is what can be painted.
  it('names its text input in the commit that creates the editor', () => {
    const host = plainHost();
    ReactDOM.render(<YamlTextEditor id="manifest-text" label="Manifest YAML" value="" onChange={() => undefined} problems={[]} />, host);
    const input = screen.getByRole('textbox', { name: 'Manifest YAML' });
    expect(input).toHaveAttribute('id', 'manifest-text');
    expect(input.closest('.ace_editor')).not.toBeNull();
  });

  // The bug: outside any form, the editor's textarea was one field of the page-wide form Chromium's
  // autofill makes of every formless field, which it re-read (every artifact picker of a large
  // deploy.yml) on each key Ace wrote into the textarea: several ms of main-thread time per key.
  it('keeps its text input in a form of its own, which nothing submits', () => {
    const host = plainHost();
    ReactDOM.render(
      <>
        <input aria-label="Another field" />
        <YamlTextEditor label="Manifest YAML" value="kind: Service" onChange={() => undefined} problems={[]} />
      </>,
      host,
    );
    const input = screen.getByRole('textbox', { name: 'Manifest YAML' }) as HTMLTextAreaElement;
    expect(input.form).not.toBeNull();
    expect([...input.form!.elements]).toEqual([input]);
    expect((screen.getByRole('textbox', { name: 'Another field' }) as HTMLInputElement).form).toBeNull();
    const submit = new Event('submit', { bubbles: true, cancelable: true });
    input.form!.dispatchEvent(submit);
    expect(submit.defaultPrevented).toBe(true);
  });
});
