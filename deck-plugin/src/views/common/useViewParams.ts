/**
 * A view's state (selection, filter, sort) lives in its UI-Router state's dynamic parameters, so a
 * reload, a shared link or the back button restores it. Changing one replaces the history entry
 * (typing a filter does not add one entry per keystroke) and does not reload the state.
 */
import { useCurrentStateAndParams, useRouter } from '@uirouter/react';
import React from 'react';

export type ViewParams<K extends string> = { [P in K]?: string };

/** Declares dynamic, optional string parameters for a state (`params:` of its declaration). */
export function dynamicParams<K extends string>(keys: readonly K[]): Record<K, { dynamic: true; type: 'string'; value: null; squash: true }> {
  const out = {} as Record<K, { dynamic: true; type: 'string'; value: null; squash: true }>;
  for (const k of keys) out[k] = { dynamic: true, type: 'string', value: null, squash: true };
  return out;
}

export function useViewParams<K extends string>(keys: readonly K[]): [ViewParams<K>, (patch: ViewParams<K>) => void] {
  const { params } = useCurrentStateAndParams();
  const router = useRouter();
  const values = {} as ViewParams<K>;
  for (const k of keys) {
    const value = params[k] as unknown;
    if (typeof value === 'string' && value !== '') values[k] = value;
  }
  const set = React.useCallback(
    (patch: ViewParams<K>) => {
      const next: Record<string, string | null> = {};
      // Empty means "not set": the parameter leaves the URL (squash) instead of staying as `q=`.
      for (const [k, v] of Object.entries(patch) as Array<[string, string | undefined]>) next[k] = v ? v : null;
      void router.stateService.go('.', next, { location: 'replace', inherit: true }).catch(() => undefined);
    },
    [router],
  );
  return [values, set];
}
