/**
 * The requirements panel for Deck's agents page: every CD-as-a-Service system requirement as the
 * bridge checked it (from where the bridge runs), its state in words, and the fix for each unmet
 * one, so an admin sees why a cluster cannot be deployed to. Five states: loading, request
 * failure, partial errors (rows that could not be read, beside the others), empty, data.
 */
import { Spinner } from '@spinnaker/core';
import React from 'react';

import type { CheckResult, CheckState, PreflightGroup } from '@cdaas/contract/preflight';
import { PREFLIGHT_GROUPS } from '@cdaas/contract/preflight';
import type { PreflightApi } from './PreflightClient';
import { usePreflight } from './usePreflight';
import { Time } from '../common/Time';

const STATE: Record<CheckState, { text: string; className: string }> = {
  pass: { text: 'Met', className: 'label label-success' },
  warn: { text: 'Warning', className: 'label label-warning' },
  fail: { text: 'Unmet', className: 'label label-danger' },
  skip: { text: 'Not checked', className: 'label label-default' },
};

const GROUP: Record<PreflightGroup, string> = {
  network: 'Network from the bridge',
  proxy: 'Proxy',
  token: 'Credentials',
  agents: 'Agents and clusters',
  plugin: 'Plugin repository',
  spinnaker: 'Spinnaker configuration',
};

export interface PreflightPanelProps {
  /** The client; default: the one given by PreflightApiProvider, else built from Deck's settings. */
  api?: PreflightApi;
}

function Row(props: { check: CheckResult }) {
  const { check } = props;
  const state = STATE[check.state];
  return (
    <tr>
      <td>
        <span className={state.className}>{state.text}</span>
      </td>
      <td>
        {check.requirement}
        {check.target && <div className="small text-muted">{check.target}</div>}
      </td>
      <td>
        {check.detail}
        {check.fix && (
          <div>
            <strong>Fix: </strong>
            {check.fix}
          </div>
        )}
      </td>
    </tr>
  );
}

export function PreflightPanel(props: PreflightPanelProps) {
  const { loading, error, data, reload } = usePreflight(props.api);
  const title = <h4>CD-as-a-Service requirements</h4>;

  if (!data && loading) {
    return (
      <section aria-label="CD-as-a-Service requirements">
        {title}
        <div role="status" aria-live="polite">
          <Spinner size="medium" message="Checking CD-as-a-Service requirements…" />
        </div>
      </section>
    );
  }
  if (error || !data) {
    return (
      <section aria-label="CD-as-a-Service requirements">
        {title}
        <div className="alert alert-danger" role="alert">
          <strong>The requirements could not be checked.</strong>
          <p>{error?.message}</p>
          <button type="button" className="btn btn-default btn-sm" onClick={reload}>
            Check again
          </button>
        </div>
      </section>
    );
  }

  const { answer, errors } = data;
  const s = answer.summary;
  return (
    <section aria-label="CD-as-a-Service requirements">
      {title}
      <p>
        {s.fail ? `${s.fail} unmet` : 'All checked requirements are met'}
        {s.warn ? `, ${s.warn} ${s.warn === 1 ? 'warning' : 'warnings'}` : ''}, {s.pass} met{s.skip ? `, ${s.skip} not checked` : ''}. Checked by the
        bridge at <Time iso={answer.checkedAt} />.{' '}
        <button type="button" className="btn btn-link btn-sm" onClick={reload} disabled={loading}>
          {loading ? 'Checking…' : 'Check again'}
        </button>
      </p>
      {errors.length > 0 && (
        <div className="alert alert-warning" role="region" aria-label="Requirements that could not be read">
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {answer.checks.length === 0 ? (
        <p className="text-muted">The bridge reported no requirements. Run `cdaas-preflight` in the bridge pod to check them there.</p>
      ) : (
        <table className="table table-condensed">
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Requirement</th>
              <th scope="col">Seen, and the fix</th>
            </tr>
          </thead>
          {PREFLIGHT_GROUPS.filter((g) => answer.checks.some((c) => c.group === g)).map((g) => (
            <tbody key={g} aria-label={GROUP[g]}>
              <tr>
                <th scope="rowgroup" colSpan={3}>
                  {GROUP[g]}
                </th>
              </tr>
              {answer.checks
                .filter((c) => c.group === g)
                .map((c) => (
                  <Row key={c.id} check={c} />
                ))}
            </tbody>
          ))}
        </table>
      )}
    </section>
  );
}
