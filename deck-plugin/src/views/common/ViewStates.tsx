/**
 * The five states every view renders, as four small components (the fifth is the data): loading,
 * request failure with what to check, partial errors beside the data, and empty with what to do.
 */
import { Spinner } from '@spinnaker/core';
import React from 'react';

import type { CdaasReadError } from '../../api/readErrors';
import { readErrorChecks } from '../../api/readErrors';

export function LoadingState(props: { what: string }) {
  return (
    <div role="status" aria-live="polite" className="cdaas-view-loading">
      <Spinner size="medium" message={`Loading ${props.what}…`} />
    </div>
  );
}

export function FailureState(props: { title: string; error: CdaasReadError; onRetry?: () => void }) {
  const checks = readErrorChecks(props.error);
  return (
    <div className="alert alert-danger" role="alert">
      <strong>{props.title}</strong>
      <p>{props.error.message}</p>
      {checks.length > 0 && (
        <>
          <p>Check that:</p>
          <ul>
            {checks.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </>
      )}
      {props.onRetry && (
        <button type="button" className="btn btn-default btn-sm" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export interface PartialError {
  /** The agent (cluster) the error belongs to, when it is one cluster's. */
  cluster?: string;
  text: string;
}

/** Errors of some clusters, shown beside the data of the others (never instead of it). */
export function PartialErrors(props: { title: string; errors: readonly PartialError[] }) {
  if (!props.errors.length) return null;
  return (
    <div className="alert alert-warning" role="region" aria-label={props.title}>
      <strong>{props.title}</strong>
      <ul>
        {props.errors.map((e, i) => (
          <li key={`${e.cluster ?? ''}:${i}`}>
            {e.cluster && <strong>{e.cluster}: </strong>}
            {e.text}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function EmptyState(props: { title: string; children?: React.ReactNode }) {
  return (
    <div className="well cdaas-view-empty" role="note" aria-label={props.title}>
      <h4>{props.title}</h4>
      {props.children}
    </div>
  );
}

/** What to do when no agent is connected: every empty infrastructure view says it. */
export function InstallAgentHint() {
  return (
    <p>
      Install a Remote Network Agent in each Kubernetes cluster you deploy to (CD-as-a-Service console,
      <em> Networking → Agents</em>); once it connects, its cluster shows here.
    </p>
  );
}
