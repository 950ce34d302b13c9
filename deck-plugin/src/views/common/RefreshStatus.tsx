import { timestamp } from '@spinnaker/core';
import React from 'react';

import { ageText } from './format';
import { useNow } from './useNow';

/**
 * When a polled view last got an answer and a button to load now, as Deck's application header
 * says when its data was last refreshed and refreshes on a click. The age moves on its own.
 */
export function RefreshStatus(props: { updatedAt?: number; refreshing: boolean; onRefresh(): void; what: string }) {
  const now = useNow(5_000);
  const iso = props.updatedAt !== undefined ? new Date(props.updatedAt).toISOString() : undefined;
  // A clock a little behind the answer's stamp still reads "0s ago", not a future time.
  const age = iso && ageText(iso, Math.max(now, props.updatedAt!));
  return (
    <span className="cdaas-refresh text-muted small">
      {iso && (
        <>
          Updated{' '}
          <time dateTime={iso} title={timestamp(props.updatedAt!)}>
            {age} ago
          </time>{' '}
        </>
      )}
      <button type="button" className="btn btn-sm btn-default" onClick={props.onRefresh} disabled={props.refreshing} aria-label={`Refresh ${props.what}`}>
        <span className={`glyphicon glyphicon-refresh${props.refreshing ? ' cdaas-spin' : ''}`} aria-hidden="true" /> {props.refreshing ? 'Refreshing…' : 'Refresh'}
      </button>
    </span>
  );
}
