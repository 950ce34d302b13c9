import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { lazyComponent } from './LazyComponent';
import { ChunkLoadError, failedFile, lazyPart, withPart } from './lazyPart';

function Greeting({ name }: { name: string }) {
  return <p>Hello {name}</p>;
}

/** An importer the test settles by hand, like a chunk arriving from Gate (or not). */
function controlledImporter() {
  const calls: Array<{ resolve(m: { Greeting: typeof Greeting }): void; reject(e: unknown): void }> = [];
  const importer = () => new Promise<{ Greeting: typeof Greeting }>((resolve, reject) => calls.push({ resolve, reject }));
  return { importer, calls };
}

describe('lazyComponent', () => {
  it("shows Deck's spinner while the chunk loads, then the component with its props", async () => {
    const { importer, calls } = controlledImporter();
    const Lazy = lazyComponent(lazyPart('the greeting', importer), (m) => m.Greeting, 'the greeting');
    render(<Lazy name="Deck" />);
    expect(screen.getByRole('status', { name: 'Loading the greeting' })).toBeInTheDocument();
    calls[0].resolve({ Greeting });
    expect(await screen.findByText('Hello Deck')).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('names the file that failed, says to reload Deck, and retries the import on request', async () => {
    const { importer, calls } = controlledImporter();
    const Lazy = lazyComponent(lazyPart('the greeting', importer), (m) => m.Greeting, 'the greeting');
    render(<Lazy name="again" />);
    // Chromium's wording for a chunk Gate does not have.
    calls[0].reject(new TypeError('Failed to fetch dynamically imported module: https://gate.example.com/plugins/deck/Armory.CDaaSSpinnaker/0.1.0/Greeting-Ab12Cd.js'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      "The CD-as-a-Service plugin's file Greeting-Ab12Cd.js could not be loaded (Gate may be serving another plugin version); reload Deck.",
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    // The retry's import runs in an effect, after the click's render: under load it was not yet
    // called when this was read at once (seen once in a full run).
    await waitFor(() => expect(calls).toHaveLength(2));
    calls[1].resolve({ Greeting });
    expect(await screen.findByText('Hello again')).toBeInTheDocument();
  });

  it('renders at once, without a spinner, once the chunk has loaded', async () => {
    const part = lazyPart('the greeting', () => Promise.resolve({ Greeting }));
    await part.load();
    const Lazy = lazyComponent(part, (m) => m.Greeting, 'the greeting');
    render(<Lazy name="now" />);
    expect(screen.getByText('Hello now')).toBeInTheDocument();
  });
});

describe('lazyPart and withPart', () => {
  it('answers synchronously once loaded, with a promise before', async () => {
    const part = lazyPart('double', () => Promise.resolve({ double: (n: number) => n * 2 }));
    const first = withPart(part, (m) => m.double(2));
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toBe(4);
    expect(withPart(part, (m) => m.double(3))).toBe(6);
  });

  it('names the part when the browser names no file', async () => {
    const part = lazyPart('the Deploy stage form', () => Promise.reject(new Error('network down')));
    await expect(part.load()).rejects.toThrow(ChunkLoadError);
    await expect(part.load()).rejects.toThrow("The CD-as-a-Service plugin's file the Deploy stage form could not be loaded");
    expect(failedFile(new Error('Importing a module script failed.'), 'x')).toBe('x');
  });
});
