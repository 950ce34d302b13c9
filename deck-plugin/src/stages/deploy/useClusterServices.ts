/**
 * The target cluster's Services for blue/green's pickers, read through the bridge once the account
 * and namespace stop changing. Owns loading, failure and data; per-cluster errors and "not
 * offered" arrive as data. Nothing is read for an empty account or one given as an expression.
 */
import { useDebouncedValue } from '@spinnaker/core';
import React from 'react';

import { isSpel } from '@cdaas/contract/spel';
import type { ClusterServices } from '../../api/CdaasReadClient';
import { useCdaasApi } from '../../api/CdaasApiContext';
import { CdaasReadError } from '../../api/readErrors';

export type ClusterServicesState =
  | { kind: 'noAccount' }
  | { kind: 'expression' }
  | { kind: 'loading'; account: string }
  | { kind: 'failed'; account: string; error: CdaasReadError; retry(): void }
  | { kind: 'loaded'; account: string; data: ClusterServices; retry(): void };

/** Typing a namespace override should not read the cluster on every keystroke. */
const SETTLE_MS = 400;

export function useClusterServices(account: string, namespace: string | undefined): ClusterServicesState {
  const api = useCdaasApi();
  const [settled] = useDebouncedValue(`${account.trim()}\n${namespace ?? ''}`, SETTLE_MS);
  const [attempt, setAttempt] = React.useState(0);
  const [result, setResult] = React.useState<{ key: string; data?: ClusterServices; error?: CdaasReadError }>();
  const [agent, ns] = settled.split('\n') as [string, string];
  const readable = !!agent && !isSpel(agent);

  React.useEffect(() => {
    if (!readable) return undefined;
    const controller = new AbortController();
    const key = `${settled}\n${attempt}`;
    api.listServices(agent, ns || undefined, controller.signal).then(
      (data) => !controller.signal.aborted && setResult({ key, data }),
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setResult({ key, error: e instanceof CdaasReadError ? e : new CdaasReadError(String(e), 'network') });
      },
    );
    return () => controller.abort();
  }, [api, settled, attempt, readable]);

  const retry = React.useCallback(() => setAttempt((n) => n + 1), []);
  const trimmed = account.trim();
  if (!trimmed) return { kind: 'noAccount' };
  if (isSpel(trimmed)) return { kind: 'expression' };
  // An answer for another account, namespace or attempt is not shown as this one's.
  if (!result || result.key !== `${settled}\n${attempt}` || agent !== trimmed) return { kind: 'loading', account: trimmed };
  if (result.error) return { kind: 'failed', account: trimmed, error: result.error, retry };
  return { kind: 'loaded', account: trimmed, data: result.data!, retry };
}
