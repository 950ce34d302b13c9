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
  // Patches not yet committed: a change made while an earlier one is still transitioning (the
  // filter's write after typing pauses, then a click on a column) supersedes that transition, so
  // each one carries the earlier patches too, or they would be lost.
  const pending = React.useRef<Record<string, string | null>>({});
  const set = React.useCallback(
    (patch: ViewParams<K>) => {
      // Empty means "not set": the parameter leaves the URL (squash) instead of staying as `q=`.
      for (const [k, v] of Object.entries(patch) as Array<[string, string | undefined]>) pending.current[k] = v ? v : null;
      const next = { ...pending.current };
      router.stateService.go('.', next, { location: 'replace', inherit: true }).then(
        () => {
          for (const [k, v] of Object.entries(next)) if (pending.current[k] === v) delete pending.current[k];
        },
        () => undefined,
      );
    },
    [router],
  );
  return [values, set];
}
