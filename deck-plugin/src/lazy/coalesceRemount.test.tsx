import { screen } from '@testing-library/react';
import React from 'react';
import ReactDOM from 'react-dom';

import { usePlainHost } from '../../test/plainHost';
import { coalesceRemount } from './coalesceRemount';

function counted() {
  const mounts: string[] = [];
  function Form({ name }: { name: string }) {
    React.useEffect(() => void mounts.push(name), [name]);
    return <p>Form of {name}</p>;
  }
  return { Form, mounts };
}

describe('coalesceRemount', () => {
  const plainHost = usePlainHost();

  // The bug: picking a stage type in Deck's stage editor renders the config, and the digest that
  // follows (its `stage.type` watcher) unmounts it and renders it again, in the same task. The
  // Deploy form, its Formik form and Deck's Ace editor were built twice before the first frame.
  it("builds a stage form once when Deck mounts, unmounts and mounts it again in one task (Deck's stage type pick)", async () => {
    const host = plainHost();
    const { Form, mounts } = counted();
    const Config = coalesceRemount(Form);
    // What Deck's selectStage does twice, synchronously: ReactDOM.render, then unmount and render.
    ReactDOM.render(<Config name="first" />, host);
    ReactDOM.unmountComponentAtNode(host);
    ReactDOM.render(<Config name="second" />, host);
    expect(host).toBeEmptyDOMElement();

    expect(await screen.findByText('Form of second')).toBeInTheDocument();
    expect(mounts).toEqual(['second']);
  });

  it('renders before the task ends, with its props, and follows them afterwards', async () => {
    const host = plainHost();
    const { Form } = counted();
    const Config = coalesceRemount(Form);
    ReactDOM.render(<Config name="shop" />, host);
    // A microtask, not a timer: the browser cannot paint the empty config in between.
    await Promise.resolve();
    expect(host).toHaveTextContent('Form of shop');
    ReactDOM.render(<Config name="shop-web" />, host);
    expect(host).toHaveTextContent('Form of shop-web');
  });
});
