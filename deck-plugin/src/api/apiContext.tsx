import React from 'react';

/**
 * A React context for an API client: a Provider (tests, hosts) and a hook that falls back to the
 * client built from Deck's settings, built once per view so effects depending on it do not loop.
 */
export function createApiContext<T>(makeDefault: () => T) {
  const Context = React.createContext<T | null>(null);
  function Provider(props: { api: T; children?: React.ReactNode }) {
    return <Context.Provider value={props.api}>{props.children}</Context.Provider>;
  }
  function useApi(): T {
    const provided = React.useContext(Context);
    const fallback = React.useMemo(() => (provided ? null : makeDefault()), [provided]);
    return provided ?? (fallback as T);
  }
  return { Provider, useApi };
}
