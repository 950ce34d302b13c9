import { Spinner } from '@spinnaker/core';
import React from 'react';

import { ChunkLoadError, type LazyPart } from './lazyPart';

/**
 * A component whose code is in a chunk: Deck's Spinner while the chunk loads, then the component;
 * if the chunk cannot be loaded, what happened and a retry. Hand-rolled rather than React.lazy,
 * whose failed load stays failed for the life of the page (no retry) and which needs a Suspense
 * boundary plus an error boundary for the same three states.
 */
export function lazyComponent<M, P extends object>(
  part: LazyPart<M>,
  pick: (m: M) => React.ComponentType<P>,
  displayName: string,
  /** Where the spinner or the failure goes, e.g. inside the execution details tab it stands for. */
  frame: (props: P, placeholder: React.ReactElement) => React.ReactElement | null = (_props, placeholder) => placeholder,
): React.ComponentType<P> {
  function Lazy(props: P) {
    const [state, setState] = React.useState<{ module?: M; error?: ChunkLoadError }>(() => ({ module: part.current() }));
    const [attempt, setAttempt] = React.useState(0);
    React.useEffect(() => {
      if (state.module !== undefined) return;
      let live = true;
      part.load().then(
        (module) => live && setState({ module }),
        (error: unknown) => live && setState({ error: error instanceof ChunkLoadError ? error : new ChunkLoadError(displayName, error) }),
      );
      return () => {
        live = false;
      };
    }, [attempt]);
    if (state.module !== undefined) return React.createElement(pick(state.module), props);
    if (state.error) {
      return frame(
        props,
        <div className="alert alert-danger" role="alert">
          <p>{state.error.message}</p>
          <button
            type="button"
            className="btn btn-sm btn-default"
            onClick={() => {
              setState({});
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </div>,
      );
    }
    return frame(
      props,
      <div role="status" aria-label={`Loading ${displayName}`}>
        <Spinner size="small" color="#666" />
      </div>,
    );
  }
  Lazy.displayName = `Lazy(${displayName})`;
  return Lazy;
}
