/**
 * Blue/green's active and preview service fields: text inputs (a Service created later or a
 * `${expression}` is typed) offering, through one datalist, the Services the manifests define and
 * those on the target cluster, each labelled by where it is. What the cluster read is doing is said
 * in one small line under the fields, as Deck shows a field's async options.
 */
import { Spinner, TextInput } from '@spinnaker/core';
import React from 'react';

import { clusterErrorText } from '../../api/readErrors';
import { CdaasFormField } from '../common/form/CdaasFormField';
import { FormRow as Row } from '../common/form/FormRow';
import { useFieldId } from '../common/form/useFieldId';
import { serviceOptions } from './services';
import { type ClusterServicesState, useClusterServices } from './useClusterServices';

export interface BlueGreenServicesProps {
  account: string;
  /** The namespace the stage deploys to, when known (override, else the manifests' one). */
  namespace?: string;
  /** The Services the manifest text defines; undefined for manifests from artifacts (read at run time). */
  manifestServices?: string[];
}

const list = (names: string[]) => names.join(', ');

function clusterLine(state: ClusterServicesState, namespace: string | undefined): React.ReactNode {
  const where = (account: string) => (namespace ? `${account}, namespace ${namespace}` : account);
  const retry = (fn: () => void) => (
    <button type="button" className="btn btn-link btn-sm" style={{ padding: 0 }} onClick={fn}>
      Retry
    </button>
  );
  switch (state.kind) {
    case 'noAccount':
      return 'Choose the account to see the Services on its cluster.';
    case 'expression':
      return 'The account is an expression: its cluster is known only when the stage runs.';
    case 'loading':
      return (
        <span role="status" className="flex-container-h middle margin-between-md">
          <Spinner size="small" /> <span>Loading the Services on {where(state.account)}…</span>
        </span>
      );
    case 'failed':
      return (
        <span role="alert" className="text-danger">
          The Services on {state.account} could not be loaded: {state.error.message} {retry(state.retry)}
        </span>
      );
    case 'loaded': {
      const { data } = state;
      if (data.errors.length) {
        return (
          <span role="alert" className="text-danger">
            The Services on {state.account} could not be read: {data.errors.map(clusterErrorText).join(' ')} {retry(state.retry)}
          </span>
        );
      }
      if (!data.offered) return `The agent cache of ${state.account} does not list Services (its agent does not send them): type the name.`;
      const skipped = data.skipped.length ? ` ${data.skipped.join(' ')}` : '';
      if (!data.items.length) return `No Services on ${where(state.account)}.${skipped}`;
      return `On the cluster (${where(state.account)}): ${list([...new Set(data.items.map((s) => s.name))].sort())}.${skipped}`;
    }
  }
}

export function BlueGreenServices(props: BlueGreenServicesProps) {
  const { account, namespace, manifestServices } = props;
  const listId = useFieldId('cdaas-services');
  const cluster = useClusterServices(account, namespace);
  const onCluster = cluster.kind === 'loaded' && cluster.data.offered ? cluster.data.items : [];
  const options = serviceOptions(manifestServices ?? [], onCluster, !!namespace);
  const listAttr = options.length ? listId : undefined;

  return (
    <>
      <CdaasFormField
        name="cdaas.blueGreen.activeService"
        label="Active service"
        help="cdaas.deploy.activeService"
        required
        input={(p) => <TextInput {...p} list={listAttr} autoComplete="off" />}
      />
      <CdaasFormField
        name="cdaas.blueGreen.previewService"
        label="Preview service"
        help="cdaas.deploy.previewService"
        input={(p) => <TextInput {...p} list={listAttr} autoComplete="off" />}
      />
      {/* Offered, not imposed: any other name or an expression is kept as typed. */}
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o.name} value={o.name} label={o.source} />
        ))}
      </datalist>
      <Row label="">
        <div className="help-block" role="group" aria-label="Services offered">
          <div>
            {manifestServices === undefined
              ? 'Manifests from artifacts are read when the stage runs: their Services are not offered here.'
              : manifestServices.length
                ? `In the manifests: ${list(manifestServices)}.`
                : 'The manifests define no Service.'}
          </div>
          <div>{clusterLine(cluster, namespace)}</div>
        </div>
      </Row>
    </>
  );
}
