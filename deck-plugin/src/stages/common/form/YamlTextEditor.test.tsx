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
});
