/**
 * The application's CD-as-a-Service tab: the CDaaS deployments its pipelines started through the
 * bridge, with status, steps, the canary's weight, when, which execution (a link), the CDaaS
 * console, and the Kubernetes objects they created (links into the agent's drill-down). Running
 * ones update live (useApplicationDeployments polls).
 */
import type { Application } from '@spinnaker/core';
import { HelpField } from '@spinnaker/core';
import React from 'react';

import type { ApplicationDeployment } from '@cdaas/contract/read';
import { StepsTable } from '../../stages/common/executionDetails/CdaasDeploymentDetails';
import { statusText } from '../../stages/common/executionDetails/deploymentView';
import { ageSeconds } from '../common/format';
import { RefreshStatus } from '../common/RefreshStatus';
import { Time } from '../common/Time';
import { useNow } from '../common/useNow';
import { useViewParams } from '../common/useViewParams';
import { EmptyState, FailureState, LoadingState, PartialErrors } from '../common/ViewStates';
import { DataTable } from '../table/DataTable';
import type { Column } from '../table/model';
import { formatSort, parseSort } from '../table/model';
import { agentHref, AGENTS_HREF, APP_TAB_PARAMS, executionHref } from '../states';
import { applicationErrors, currentWeight, progressText } from './model';
import { useApplicationDeployments } from './useApplicationDeployments';

export const DATA_SOURCE_KEY = 'cdaas';

const STATUS_LABEL: Record<string, string> = {
  SUCCEEDED: 'label-success',
  RUNNING: 'label-info',
  QUEUED: 'label-default',
  PAUSED: 'label-warning',
  AWAITING_APPROVAL: 'label-warning',
  FAILED: 'label-danger',
  REJECTED: 'label-danger',
  CANCELLED: 'label-default',
};

function Resources(props: { d: ApplicationDeployment }) {
  const list = props.d.resources;
  if (!list.length) return <>–</>;
  return (
    <>
      {list.map((r, i) => (
        <React.Fragment key={`${r.account}/${r.namespace}/${r.kind}/${r.name}`}>
          {i > 0 && ', '}
          {r.kind === 'Deployment' ? (
            <a href={agentHref(r.account, { namespace: r.namespace, deployment: r.name })} title={`${r.account} · ${r.namespace ?? ''}`}>
              {r.name}
            </a>
          ) : (
            <span title={`${r.account} · ${r.namespace ?? ''}`}>
              {r.kind} {r.name}
            </span>
          )}
        </React.Fragment>
      ))}
    </>
  );
}

function columns(application: string, now: number): Array<Column<ApplicationDeployment>> {
  return [
    {
      id: 'status',
      label: 'Status',
      width: '11%',
      value: (d) => statusText(d.status),
      render: (d) => <span className={`label ${STATUS_LABEL[d.status] ?? 'label-default'}`}>{statusText(d.status)}</span>,
    },
    { id: 'progress', label: 'Steps', width: '22%', value: (d) => progressText(d.steps), sort: false },
    {
      id: 'weight',
      label: 'Canary weight',
      width: '9%',
      value: (d) => currentWeight(d.steps),
      render: (d) => (currentWeight(d.steps) !== undefined ? `${currentWeight(d.steps)}%` : '–'),
    },
    { id: 'started', label: 'Started', width: '10%', descendingFirst: true, value: (d) => -(ageSeconds(d.startedAt, now) ?? Infinity), render: (d) => <Time iso={d.startedAt} now={now} />, filter: false },
    {
      id: 'execution',
      label: 'Execution',
      width: '16%',
      value: (d) => `${d.pipelineName ?? ''} ${d.executionId} ${d.startedBy ?? ''}`,
      render: (d) => (
        <a href={executionHref(application, d.executionId, d.stageRefId)} title={`Execution ${d.executionId}, stage ${d.stageRefId}`}>
          {d.pipelineName ?? d.executionId}
          {d.startedBy && (
            <>
              {' '}
              <span className="text-muted">by {d.startedBy}</span>
            </>
          )}
        </a>
      ),
    },
    { id: 'targets', label: 'Targets', width: '12%', value: (d) => d.targets.map((t) => `${t.account}${t.namespace ? `/${t.namespace}` : ''}`).join(', ') },
    { id: 'resources', label: 'Kubernetes', value: (d) => d.resources.map((r) => `${r.kind} ${r.name}`).join(', '), render: (d) => <Resources d={d} />, sort: false },
    {
      id: 'console',
      label: 'Console',
      width: '7%',
      sort: false,
      value: () => undefined,
      render: (d) =>
        d.consoleUrl ? (
          <a href={d.consoleUrl} target="_blank" rel="noopener noreferrer" aria-label={`Open deployment ${d.pipelineId} in the CD-as-a-Service console`}>
            Open
          </a>
        ) : (
          '–'
        ),
    },
  ];
}

function DeploymentDetails(props: { d: ApplicationDeployment; application: string; onClose(): void }) {
  const { d } = props;
  return (
    <section className="panel panel-default" aria-label={`CD-as-a-Service deployment ${d.pipelineId}`}>
      <div className="panel-heading">
        <button type="button" className="close" aria-label="Close the deployment details" onClick={props.onClose}>
          ×
        </button>
        <h4 className="panel-title">
          Deployment <code>{d.pipelineId}</code> · {statusText(d.status)}
        </h4>
      </div>
      <div className="panel-body">
        <StepsTable steps={d.steps} />
        <p>
          Kubernetes objects: <Resources d={d} />
        </p>
        <p>
          Last read from CD-as-a-Service: <Time iso={d.updatedAt} />
        </p>
      </div>
    </section>
  );
}

export function ApplicationTab(props: { app: Application }) {
  const { app } = props;
  const application = app.name;
  React.useEffect(() => {
    // A deep link or a reload lands here without Deck's tab click: activate the lazy data source.
    app.getDataSource?.(DATA_SOURCE_KEY)?.activate();
  }, [app]);
  const { data, loading, error, reload, updatedAt, refreshing } = useApplicationDeployments(application);
  const [params, setParams] = useViewParams(APP_TAB_PARAMS);
  const now = useNow();
  const cols = React.useMemo(() => columns(application, now), [application, now]);
  const sort = React.useMemo(() => parseSort(params.sort) ?? { column: 'started', descending: true }, [params.sort]);
  const selected = data?.deployments.find((d) => d.pipelineId === params.pipeline);

  return (
    <div className="cdaas-view cdaas-app-tab">
      <div className="cdaas-view-header">
        <h3>
          CD-as-a-Service deployments{' '}
          <HelpField content="Deployments this application's pipelines started with the CD-as-a-Service stages, as the CDaaS bridge last read them." />
        </h3>
        <span className="cdaas-refresh">
          <RefreshStatus updatedAt={updatedAt} refreshing={refreshing} onRefresh={reload} what="the deployments" />
          <a href={AGENTS_HREF}>All agents and clusters</a>
        </span>
      </div>
      {loading && !data && <LoadingState what="the CD-as-a-Service deployments" />}
      {error && !data && <FailureState title="The CD-as-a-Service deployments could not be loaded" error={error} onRetry={reload} />}
      {error && data && <PartialErrors title="The last refresh failed; showing what was loaded before" errors={[{ text: error.message }]} />}
      {data && <PartialErrors title="Some deployments could not be refreshed" errors={applicationErrors(data)} />}
      {data && data.deployments.length === 0 && (
        <EmptyState title={`No CD-as-a-Service deployment of ${application} yet`}>
          <p>
            Add a <strong>CD-as-a-Service Deploy</strong> stage to one of this application&apos;s pipelines and run it; its deployments show
            here. No target to choose? Install a Remote Network Agent in the cluster (see <a href={AGENTS_HREF}>the agents page</a>).
          </p>
        </EmptyState>
      )}
      {data && data.deployments.length > 0 && (
        <>
          <DataTable
            label="Deployments"
            columns={cols}
            rows={data.deployments}
            rowKey={(d) => d.pipelineId}
            filter={params.q}
            onFilterChange={(q) => setParams({ q })}
            sort={sort}
            onSortChange={(s) => setParams({ sort: formatSort(s) })}
            selectedKey={params.pipeline}
            onSelect={(d) => setParams({ pipeline: params.pipeline === d.pipelineId ? undefined : d.pipelineId })}
            rowHeight={36}
          />
          {selected && <DeploymentDetails d={selected} application={application} onClose={() => setParams({ pipeline: undefined })} />}
        </>
      )}
    </div>
  );
}
