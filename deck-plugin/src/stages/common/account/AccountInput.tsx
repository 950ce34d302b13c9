/**
 * The deploy target account: the `agentIdentifier` of a connected Remote Network Agent, picked
 * from the agents the bridge reports, or typed when the list cannot help (request failed, no
 * agent connected, an agent not connected yet, or a Spinnaker expression).
 */
import type { IFormInputProps } from '@spinnaker/core';
import React from 'react';

import { clusterErrorText } from '../../../api/readErrors';
import { useAgents } from '../../../api/useAgents';
import type { Agent, ClusterSummary } from '@cdaas/contract/read';
import { MIN_KUBERNETES_VERSION } from '@cdaas/contract/kubernetes';
import { isSpel } from '@cdaas/contract/spel';

export interface AccountInputProps extends IFormInputProps {
  id: string;
}

/** Formik's field onChange reads `target.name` and `target.value`. */
function changeEvent(name: string, value: string): React.ChangeEvent<HTMLInputElement> {
  return { target: { name, value }, currentTarget: { name, value } } as unknown as React.ChangeEvent<HTMLInputElement>;
}

function agentLabel(agent: Agent, cluster?: ClusterSummary): string {
  const details = [
    agent.agentVersion ? `agent ${agent.agentVersion}` : '',
    cluster?.kubernetesVersion ? `Kubernetes ${cluster.kubernetesVersion}` : '',
  ].filter(Boolean);
  const suffix = cluster?.supported === false ? `: older than Kubernetes ${MIN_KUBERNETES_VERSION}, not supported` : '';
  return `${agent.agentIdentifier}${details.length ? ` (${details.join(', ')})` : ''}${suffix}`;
}

export function AccountInput(props: AccountInputProps) {
  const { id, name = '', onBlur, onChange } = props;
  const value = typeof props.value === 'string' ? props.value : '';
  const { loading, error, data, reload } = useAgents();
  const [typing, setTyping] = React.useState(() => isSpel(value));
  const set = (v: string) => onChange?.(changeEvent(name, v));

  const agents = data?.agents ?? [];
  const partial = [
    ...(data?.errors ?? []),
    ...Object.values(data?.clusters ?? {}).flatMap((c) => c.errors.map((e) => `${c.cluster}: ${clusterErrorText(e)}`)),
  ];
  const statusId = `${id}-status`;

  const retry = (
    <button type="button" className="btn btn-link btn-sm" onClick={reload}>
      Retry
    </button>
  );

  const textInput = (
    <input
      id={id}
      name={name}
      type="text"
      className="form-control input-sm"
      autoComplete="off"
      placeholder="agent identifier or ${expression}"
      value={value}
      onChange={(e) => set(e.target.value)}
      onBlur={onBlur}
      aria-describedby={statusId}
    />
  );

  let control: React.ReactNode;
  let status: React.ReactNode = null;

  if (loading && !data) {
    control = (
      <select id={id} name={name} className="form-control input-sm" disabled aria-busy="true" aria-describedby={statusId}>
        <option>{value || 'Loading connected agents…'}</option>
      </select>
    );
    status = <span role="status">Loading connected agents…</span>;
  } else if (error) {
    control = textInput;
    status = (
      <div role="alert" className="alert alert-danger sp-margin-s-top">
        Connected agents could not be loaded: {error.message} Type the account (the agent identifier) instead.{' '}
        {retry}
      </div>
    );
  } else if (agents.length === 0 && partial.length === 0) {
    control = textInput;
    status = (
      <div className="alert alert-warning sp-margin-s-top">
        No connected agents: CD-as-a-Service reports no Remote Network Agent connected. Install one in the target
        cluster, or type its agent identifier. {retry}
      </div>
    );
  } else {
    const known = agents.some((a) => a.agentIdentifier === value);
    control = typing ? (
      textInput
    ) : (
      <select
        id={id}
        name={name}
        className="form-control input-sm"
        value={value}
        onChange={(e) => set(e.target.value)}
        onBlur={onBlur}
        aria-describedby={statusId}
      >
        <option value="">Select a connected agent…</option>
        {agents.map((a) => {
          const cluster = data?.clusters[a.agentIdentifier];
          // A cluster CDaaS cannot deploy to is listed, so users see why it is missing, but not offered.
          const refused = cluster?.supported === false && a.agentIdentifier !== value;
          return (
            <option key={a.agentIdentifier} value={a.agentIdentifier} disabled={refused}>
              {agentLabel(a, cluster)}
            </option>
          );
        })}
        {value && !known && <option value={value}>{value} (not connected now)</option>}
      </select>
    );
    status = (
      <>
        {partial.length > 0 && (
          <div role="alert" className="alert alert-warning sp-margin-s-top">
            Some agents could not be read:
            <ul>
              {partial.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </div>
        )}
        <button type="button" className="btn btn-link btn-sm" onClick={() => setTyping(!typing)}>
          {typing ? 'Choose a connected agent' : 'Type an account or expression'}
        </button>
      </>
    );
  }

  return (
    <div className="flex-container-v" style={{ width: '100%' }}>
      {control}
      <div id={statusId}>{status}</div>
    </div>
  );
}
