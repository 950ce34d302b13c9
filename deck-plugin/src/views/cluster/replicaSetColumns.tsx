/**
 * The replica-set table's columns, without Deck imports (the table benchmark renders them in a
 * page without Deck).
 */
import React from 'react';

import type { KubeReplicaSet } from '@cdaas/contract/read';
import { ageSeconds, ageText, imagesSummary } from '../common/format';
import type { Column } from '../table/model';
import { revisionNumber, trafficText } from './model';

function Images(props: { images: readonly string[] }) {
  const { first, more } = imagesSummary(props.images);
  if (!first) return <>–</>;
  return (
    <span title={props.images.join('\n')}>
      <code>{first}</code>
      {more > 0 && <span className="text-muted"> +{more} more</span>}
    </span>
  );
}

export function replicaSetColumns(now: number, allNamespaces: boolean): Array<Column<KubeReplicaSet>> {
  const columns: Array<Column<KubeReplicaSet>> = [
    { id: 'name', label: 'Replica set', width: '22%', value: (rs) => rs.name },
    { id: 'revision', label: 'Revision', width: '8%', descendingFirst: true, value: (rs) => revisionNumber(rs.revision), render: (rs) => (rs.revision ? `v${rs.revision}` : '–') },
    {
      id: 'ready',
      label: 'Ready',
      width: '8%',
      value: (rs) => rs.readyReplicas,
      render: (rs) => (
        <span className={rs.readyReplicas < rs.replicas ? 'text-warning' : undefined}>
          {rs.readyReplicas}/{rs.replicas}
        </span>
      ),
    },
    { id: 'images', label: 'Images', width: '26%', value: (rs) => rs.images.join(' '), render: (rs) => <Images images={rs.images} /> },
    { id: 'age', label: 'Age', width: '8%', value: (rs) => ageSeconds(rs.createdAt, now), render: (rs) => ageText(rs.createdAt, now) ?? '–', filter: false },
    {
      id: 'traffic',
      label: 'Traffic',
      value: (rs) => trafficText(rs.traffic),
      render: (rs) =>
        rs.traffic ? <span className={rs.traffic.role === 'canary' ? 'label label-info' : 'label label-default'}>{trafficText(rs.traffic)}</span> : '',
    },
  ];
  if (allNamespaces) columns.splice(1, 0, { id: 'namespace', label: 'Namespace', width: '12%', value: (rs) => rs.namespace });
  return columns;
}

