/**
 * The top-level page of every Remote Network Agent: identifier, version, connected since, last
 * heartbeat (stale ones flagged, the threshold stated), Kubernetes version against what CDaaS
 * requires, cluster-role support; agents this Spinnaker deployed to that are gone are listed as
 * disconnected. Each agent links to its drill-down. The page polls (usePolledAgents) and says
 * when it last got an answer.
 */
import { HelpField } from '@spinnaker/core';
import React from 'react';

import { MIN_KUBERNETES_VERSION } from '@cdaas/contract/kubernetes';
import { clusterErrorText } from '../../api/readErrors';
import { heartbeatStale, kubernetesRequirement, secondsText, staleAfterSeconds } from '../common/format';
import { RefreshStatus } from '../common/RefreshStatus';
import { Time } from '../common/Time';
import { useNow } from '../common/useNow';
import { useViewParams } from '../common/useViewParams';
import { EmptyState, FailureState, InstallAgentHint, LoadingState, PartialErrors } from '../common/ViewStates';
import { PreflightPanel } from '../preflight';
import { DataTable } from '../table/DataTable';
import type { Column } from '../table/model';
import { formatSort, parseSort } from '../table/model';
import { agentHref, AGENTS_PARAMS } from '../states';
import type { AgentRow } from './model';
import { agentErrors, agentRows } from './model';
import { usePolledAgents } from './usePolledAgents';

function RequirementBadge(props: { row: AgentRow }) {
  const c = props.row.cluster;
  if (!props.row.connected) return <>–</>;
  const req = kubernetesRequirement(c?.kubernetesVersion, c?.supported);
  return (
    <span title={req.text}>
      {c?.kubernetesVersion ?? 'unknown'}{' '}
      {req.state === 'passes' && <span className="label label-success">Supported</span>}
      {req.state === 'fails' && (
        <span className="label label-danger" aria-label={req.text}>
          Unsupported: needs {MIN_KUBERNETES_VERSION}+
        </span>
      )}
    </span>
  );
}

/** A cluster's errors in the user's wording (readErrors), one line. */
const errorsText = (r: AgentRow): string | undefined => r.cluster?.errors.map(clusterErrorText).join('; ') || undefined;

function agentColumns(now: number, threshold: number): Array<Column<AgentRow>> {
  return [
    {
      id: 'agent',
      label: 'Agent',
      width: '18%',
      value: (r) => r.agentIdentifier,
      render: (r) => <a href={agentHref(r.agentIdentifier)}>{r.agentIdentifier}</a>,
    },
    {
      id: 'status',
      label: 'Status',
      width: '9%',
      value: (r) => (r.connected ? 'connected' : 'disconnected'),
      render: (r) =>
        r.connected ? <span className="label label-success">Connected</span> : <span className="label label-default">Disconnected</span>,
    },
    { id: 'version', label: 'Agent version', width: '9%', value: (r) => r.agent?.agentVersion },
    {
      id: 'connected',
      label: 'Connected since',
      width: '12%',
      value: (r) => r.agent?.connectedAt,
      render: (r) => (r.connected ? <Time iso={r.agent?.connectedAt} /> : <>Last deployed to <Time iso={r.disconnected?.lastDeployedAt} now={now} /></>),
    },
    {
      id: 'heartbeat',
      label: 'Last heartbeat',
      width: '12%',
      descendingFirst: true,
      value: (r) => r.agent?.lastHeartbeatAt,
      render: (r) => {
        if (!r.connected) return <>–</>;
        const stale = heartbeatStale(r.agent?.lastHeartbeatAt, now, threshold);
        return (
          <>
            <Time iso={r.agent?.lastHeartbeatAt} now={now} />{' '}
            {stale && (
              <span className="label label-warning" title={`No heartbeat for more than ${secondsText(threshold)}`}>
                Stale
              </span>
            )}
          </>
        );
      },
    },
    {
      id: 'kubernetes',
      label: 'Kubernetes',
      width: '17%',
      value: (r) => r.cluster?.kubernetesVersion,
      render: (r) => <RequirementBadge row={r} />,
    },
    {
      id: 'clusterRole',
      label: 'Cluster role',
      width: '8%',
      value: (r) => (r.agent?.clusterRoleSupport === undefined ? undefined : r.agent.clusterRoleSupport ? 'yes' : 'no'),
      render: (r) => (r.agent?.clusterRoleSupport === undefined ? '–' : r.agent.clusterRoleSupport ? 'Yes' : 'No (namespaced)'),
    },
    {
      id: 'errors',
      label: 'Errors',
      sort: false,
      value: (r) => errorsText(r),
      render: (r) => {
        const text = errorsText(r);
        return text ? (
          <span className="text-danger" title={text}>
            {text}
          </span>
        ) : (
          ''
        );
      },
    },
  ];
}

export function AgentsPage() {
  const { loading, error, data, reload, updatedAt, refreshing } = usePolledAgents();
  const [params, setParams] = useViewParams(AGENTS_PARAMS);
  const now = useNow();
  const threshold = staleAfterSeconds(data?.heartbeatStaleAfterSeconds);
  const columns = React.useMemo(() => agentColumns(now, threshold), [now, threshold]);
  const rows = React.useMemo(() => (data ? agentRows(data) : []), [data]);
  const sort = React.useMemo(() => parseSort(params.sort) ?? { column: 'agent', descending: false }, [params.sort]);

  return (
    <div className="cdaas-view cdaas-agents-page container-fluid">
      <div className="cdaas-view-header">
        <h2>
          CD-as-a-Service agents{' '}
          <HelpField content="Remote Network Agents connect your Kubernetes clusters to CD-as-a-Service; their identifiers are the accounts the CD-as-a-Service stages deploy to." />
        </h2>
        <RefreshStatus updatedAt={updatedAt} refreshing={refreshing} onRefresh={reload} what="the agents" />
      </div>
      {loading && !data && <LoadingState what="agents" />}
      {error && !data && <FailureState title="The agents could not be loaded" error={error} onRetry={reload} />}
      {error && data && <PartialErrors title="The last refresh failed; showing what was loaded before" errors={[{ text: error.message }]} />}
      {data && (
        <>
          <PartialErrors title="Some agents could not be read" errors={agentErrors(data)} />
          {rows.length === 0 ? (
            <EmptyState title="No agent is connected to CD-as-a-Service">
              <InstallAgentHint />
            </EmptyState>
          ) : (
            <>
              <p className="text-muted">
                An agent is flagged <strong>Stale</strong> when its last heartbeat is older than {secondsText(threshold)}. CD-as-a-Service
                deploys to Kubernetes {MIN_KUBERNETES_VERSION} or later.
              </p>
              <DataTable
                label="Agents"
                columns={columns}
                rows={rows}
                rowKey={(r) => r.agentIdentifier}
                filter={params.q}
                onFilterChange={(q) => setParams({ q })}
                sort={sort}
                onSortChange={(s) => setParams({ sort: formatSort(s) })}
                rowHeight={36}
              />
            </>
          )}
        </>
      )}
      {/* The system requirements, checked by the bridge: why a cluster cannot be deployed to. */}
      <PreflightPanel />
    </div>
  );
}
