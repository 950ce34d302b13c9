/**
 * One agent's cluster, drilled down the way Deck's cluster view reads: namespaces, then replica
 * sets grouped under their Deployment (newest revision first) with ready/desired, images, age and,
 * while CDaaS shifts traffic, the canary weight and step; then one replica set's details. The
 * selection, filter and sorts are URL parameters.
 */
import type { IInstanceCounts } from '@spinnaker/core';
import { HealthCounts } from '@spinnaker/core';
import { useCurrentStateAndParams } from '@uirouter/react';
import React from 'react';

import type { KubeReplicaSet } from '@cdaas/contract/read';
import { ageText } from '../common/format';
import { Time } from '../common/Time';
import { useNow } from '../common/useNow';
import { useViewParams } from '../common/useViewParams';
import { EmptyState, FailureState, LoadingState, PartialErrors } from '../common/ViewStates';
import { DataTable } from '../table/DataTable';
import type { Column } from '../table/model';
import { formatSort, parseSort } from '../table/model';
import { AGENT_PARAMS, AGENTS_HREF } from '../states';
import type { ClusterData, NamespaceRow } from './model';
import { deploymentOf, groupKey, namespaceRows, owningDeployment, rsKey, splitGroupKey, trafficText } from './model';
import { replicaSetColumns } from './replicaSetColumns';
import { useClusterData } from './useClusterData';

const counts = (ready: number, desired: number): IInstanceCounts => ({
  up: ready,
  down: 0,
  starting: Math.max(0, desired - ready),
  succeeded: 0,
  failed: 0,
  unknown: 0,
  outOfService: 0,
});

const NAMESPACE_COLUMNS: Array<Column<NamespaceRow>> = [
  { id: 'name', label: 'Namespace', value: (n) => n.name, width: '40%' },
  { id: 'deployments', label: 'Deployments', value: (n) => n.deployments, descendingFirst: true },
  { id: 'replicaSets', label: 'Replica sets', value: (n) => n.replicaSets, descendingFirst: true },
];

function GroupHeading(props: { data: ClusterData; groupKey: string; rows: KubeReplicaSet[]; selected: boolean; onSelect(): void }) {
  const [namespace, name] = splitGroupKey(props.groupKey);
  const d = deploymentOf(props.data, props.groupKey);
  return (
    <span className="cdaas-deployment-heading">
      <button type="button" className="btn btn-link" aria-pressed={props.selected} onClick={props.onSelect}>
        {name ? `Deployment ${name}` : 'Without a Deployment'}
      </button>
      <span className="text-muted"> {namespace}</span>
      {d && (
        <>
          {' '}
          · {d.readyReplicas}/{d.replicas} ready{d.revision && ` · revision ${d.revision}`} ·{' '}
          <HealthCounts container={counts(d.readyReplicas, d.replicas)} />
        </>
      )}
      <span className="text-muted"> · {props.rows.length === 1 ? '1 replica set' : `${props.rows.length} replica sets`}</span>
    </span>
  );
}

function ReplicaSetDetails(props: { rs: KubeReplicaSet; now: number; onClose(): void }) {
  const { rs } = props;
  return (
    <section className="panel panel-default cdaas-rs-details" aria-label={`Replica set ${rs.name}`}>
      <div className="panel-heading">
        <button type="button" className="close" aria-label="Close the replica set details" onClick={props.onClose}>
          ×
        </button>
        <h4 className="panel-title">Replica set {rs.name}</h4>
      </div>
      <div className="panel-body">
        <dl className="dl-horizontal dl-narrow">
          <dt>Namespace</dt>
          <dd>{rs.namespace}</dd>
          <dt>Controller</dt>
          <dd>{owningDeployment(rs) ? `Deployment ${owningDeployment(rs)}` : '–'}</dd>
          <dt>Revision</dt>
          <dd>{rs.revision ?? '–'}</dd>
          <dt>Replicas</dt>
          <dd>
            {rs.readyReplicas} ready of {rs.replicas} desired{rs.availableReplicas !== undefined && `, ${rs.availableReplicas} available`}
          </dd>
          <dt>Created</dt>
          <dd>
            <Time iso={rs.createdAt} /> ({ageText(rs.createdAt, props.now) ?? '–'})
          </dd>
          {rs.traffic && (
            <>
              <dt>Traffic</dt>
              <dd>
                {trafficText(rs.traffic)} (CD-as-a-Service deployment <code>{rs.traffic.pipelineId}</code>)
              </dd>
            </>
          )}
          <dt>Images</dt>
          <dd>
            <ul className="list-unstyled">
              {rs.images.map((i) => (
                <li key={i}>
                  <code>{i}</code>
                </li>
              ))}
            </ul>
          </dd>
          <dt>Labels</dt>
          <dd>
            {Object.entries(rs.labels ?? {}).map(([k, v]) => (
              <span key={k} className="label label-default cdaas-k8s-label">
                {k}: {v}
              </span>
            ))}
            {!rs.labels || Object.keys(rs.labels).length === 0 ? '–' : null}
          </dd>
          <dt>Owners</dt>
          <dd>{rs.ownerReferences?.map((o) => `${o.kind} ${o.name}`).join(', ') || '–'}</dd>
        </dl>
      </div>
    </section>
  );
}

const labelsText = (rs: KubeReplicaSet) => Object.entries(rs.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');

export function AgentView() {
  const { params: routeParams } = useCurrentStateAndParams();
  const agent = String(routeParams.agent ?? '');
  const [params, setParams] = useViewParams(AGENT_PARAMS);
  const { data, loading, error, reload } = useClusterData(agent);
  const now = useNow();
  const allNamespaces = !params.namespace;
  const rsColumns = React.useMemo(() => replicaSetColumns(now, allNamespaces), [now, allNamespaces]);
  const nsRows = React.useMemo(() => (data ? namespaceRows(data) : []), [data]);
  const rsRows = React.useMemo(() => {
    if (!data) return [];
    return data.replicaSets.filter(
      (rs) => (!params.namespace || rs.namespace === params.namespace) && (!params.deployment || groupKey(rs) === `${rs.namespace}/${params.deployment}`),
    );
  }, [data, params.namespace, params.deployment]);
  const rsSort = React.useMemo(() => parseSort(params.sort) ?? { column: 'revision', descending: true }, [params.sort]);
  const nsSort = React.useMemo(() => parseSort(params.nsSort) ?? { column: 'name', descending: false }, [params.nsSort]);
  const selected = data?.replicaSets.find((rs) => rsKey(rs) === params.replicaSet);
  const group = React.useMemo(
    () =>
      data && {
        key: groupKey,
        render: (key: string, rows: KubeReplicaSet[]) => (
          <GroupHeading
            data={data}
            groupKey={key}
            rows={rows}
            selected={!!params.deployment && key.endsWith(`/${params.deployment}`)}
            onSelect={() => setParams({ namespace: splitGroupKey(key)[0], deployment: splitGroupKey(key)[1] || undefined, replicaSet: undefined })}
          />
        ),
      },
    [data, params.deployment, setParams],
  );

  const crumbs = (
    <ol className="breadcrumb">
      <li>
        <a href={AGENTS_HREF}>Agents</a>
      </li>
      <li>
        {params.namespace ? (
          <button type="button" className="btn btn-link" onClick={() => setParams({ namespace: undefined, deployment: undefined, replicaSet: undefined })}>
            {agent}
          </button>
        ) : (
          agent
        )}
      </li>
      {params.namespace && <li>{params.namespace}</li>}
      {params.deployment && <li>Deployment {params.deployment}</li>}
    </ol>
  );

  const empty = data && data.namespaces.length === 0 && data.deployments.length === 0 && data.replicaSets.length === 0;
  return (
    <div className="cdaas-view cdaas-agent-view container-fluid">
      <div className="cdaas-view-header">
        <h2>Cluster {agent}</h2>
        <button type="button" className="btn btn-sm btn-default" onClick={reload}>
          Refresh
        </button>
      </div>
      {crumbs}
      {loading && !data && <LoadingState what={`the cluster of ${agent}`} />}
      {error && !data && <FailureState title={`The cluster of ${agent} could not be loaded`} error={error} onRetry={reload} />}
      {error && data && <PartialErrors title="The last refresh failed; showing what was loaded before" errors={[{ text: error.message }]} />}
      {data && <PartialErrors title="Some of this cluster could not be read" errors={data.errors} />}
      {empty && (
        <EmptyState title={`${agent} reports no namespaces, deployments or replica sets`}>
          <p>
            The agent may watch namespaces you do not deploy to, or lack a ClusterRole; deploy with a CD-as-a-Service stage and the
            replica sets show here.
          </p>
        </EmptyState>
      )}
      {data && !empty && (
        <div className="row">
          <div className="col-md-4">
            <DataTable
              label="Namespaces"
              columns={NAMESPACE_COLUMNS}
              rows={nsRows}
              rowKey={(n) => n.name}
              sort={nsSort}
              onSortChange={(s) => setParams({ nsSort: formatSort(s) })}
              selectedKey={params.namespace}
              onSelect={(n) =>
                setParams(params.namespace === n.name ? { namespace: undefined, deployment: undefined, replicaSet: undefined } : { namespace: n.name, deployment: undefined, replicaSet: undefined })
              }
              maxHeight={360}
            />
          </div>
          <div className="col-md-8">
            {params.deployment && (
              <p>
                <button type="button" className="btn btn-link" onClick={() => setParams({ deployment: undefined, replicaSet: undefined })}>
                  Show every Deployment{params.namespace ? ` in ${params.namespace}` : ''}
                </button>
              </p>
            )}
            <DataTable
              label="Replica sets"
              columns={rsColumns}
              rows={rsRows}
              rowKey={rsKey}
              group={group || undefined}
              filter={params.q}
              onFilterChange={(q) => setParams({ q })}
              filterText={labelsText}
              sort={rsSort}
              onSortChange={(s) => setParams({ sort: formatSort(s) })}
              selectedKey={params.replicaSet}
              onSelect={(rs) => setParams({ replicaSet: params.replicaSet === rsKey(rs) ? undefined : rsKey(rs) })}
            />
            {selected && <ReplicaSetDetails rs={selected} now={now} onClose={() => setParams({ replicaSet: undefined })} />}
            {params.replicaSet && data && !selected && (
              <p className="text-warning">Replica set {params.replicaSet} is not in this cluster any more.</p>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
