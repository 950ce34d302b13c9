import { timestamp } from '@spinnaker/core';
import React from 'react';

/** An ISO time in Deck's own format (it honours Deck's time zone setting), or a dash. */
export function Time(props: { iso?: string }) {
  if (!props.iso) return <>–</>;
  const ms = Date.parse(props.iso);
  return <time dateTime={props.iso}>{isNaN(ms) ? props.iso : timestamp(ms)}</time>;
}
