import { timestamp } from '@spinnaker/core';
import React from 'react';

import { ageText } from './format';

/** A time as Deck formats it (its time zone setting), with the age beside it when asked. */
export function Time(props: { iso?: string; now?: number }) {
  if (!props.iso) return <>–</>;
  const ms = Date.parse(props.iso);
  if (isNaN(ms)) return <>{props.iso}</>;
  const age = props.now !== undefined ? ageText(props.iso, props.now) : undefined;
  return (
    <time dateTime={props.iso} title={timestamp(ms)}>
      {age ? `${age} ago` : timestamp(ms)}
    </time>
  );
}
