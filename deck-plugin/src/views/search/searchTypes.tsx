/**
 * Deck's global search result types for agents, namespaces and Deployments (`plugin.search`).
 * Each answers from the bridge through the proxy, not from Gate's /search, and each result type
 * has a URL builder (registerSearchUrlBuilders): Deck drops results whose href it cannot build.
 */
import type { ISearchParams, ISearchResult, ISearchResults, ISearchResultSetProps, IUrlBuilder, SearchResultType } from '@spinnaker/core';
import { DefaultSearchResultTab, SearchTableBody, SearchTableHeader, SearchTableRow } from '@spinnaker/core';
import React from 'react';
import type { Observable } from 'rxjs';
import { from } from 'rxjs';

import { defaultViewsApi } from '../api/ViewsApiContext';
import { agentHref } from '../states';
import type { SearchIndex } from './searchIndex';
import { CdaasSearchIndex, matches } from './searchIndex';

export interface CdaasSearchResult extends ISearchResult {
  type: string;
  agent: string;
  namespace?: string;
  name: string;
}

/** Deck asks a type for at most this many; its header box shows five per type. */
const MAX_RESULTS = 50;

function Header(props: { label: string }) {
  return (
    <SearchTableHeader>
      <div className="search-table-header-cell col-md-12">{props.label}</div>
    </SearchTableHeader>
  );
}

function Data(props: ISearchResultSetProps<ISearchResult>) {
  return (
    <SearchTableBody>
      {props.resultSet.results.map((r) => (
        <SearchTableRow key={r.href}>
          <div className="col-md-12">
            <a href={r.href}>{r.displayName}</a>
          </div>
        </SearchTableRow>
      ))}
    </SearchTableBody>
  );
}

export const SEARCH_TYPE_IDS = { agents: 'cdaasAgents', namespaces: 'cdaasNamespaces', deployments: 'cdaasDeployments' } as const;

function displayFormatter(entry: ISearchResult): string {
  const r = entry as CdaasSearchResult;
  if (r.namespace) return `${r.name} (${r.agent} · ${r.namespace})`;
  return r.agent === r.name ? r.name : `${r.name} (${r.agent})`;
}

/**
 * A result type as a plain object of SearchResultType's shape rather than a subclass: Deck only
 * reads its fields and calls `search`, and a class extending core's at module load would tie
 * evaluating the bundle to core's class being there.
 */
function resultType(id: string, order: number, displayName: string, index: CdaasSearchIndex, pick: (i: SearchIndex, q: string) => CdaasSearchResult[]): SearchResultType {
  return {
    id,
    order,
    displayName,
    iconClass: 'fa fa-cloud',
    fieldsRequired: [],
    TabComponent: DefaultSearchResultTab,
    HeaderComponent: () => <Header label={displayName} />,
    DataComponent: Data,
    displayFormatter,
    search: (params: ISearchParams): Observable<ISearchResults<ISearchResult>> => {
      const query = String(params.key ?? params.q ?? '');
      return from(index.load().then((i) => ({ results: pick(i, query).slice(0, MAX_RESULTS), query })));
    },
  };
}

/** The three result types, sharing one index read through the views' client. */
export function cdaasSearchTypes(index = new CdaasSearchIndex(defaultViewsApi)): SearchResultType[] {
  const { agents, namespaces, deployments } = SEARCH_TYPE_IDS;
  return [
    resultType(agents, 90, 'CD-as-a-Service agents', index, (i, q) =>
      i.agents.filter((a) => matches(a.agent, q)).map((a) => ({ type: agents, provider: 'kubernetes', agent: a.agent, name: a.agent })),
    ),
    resultType(namespaces, 91, 'CD-as-a-Service namespaces', index, (i, q) =>
      i.namespaces.filter((n) => matches(n.name, q)).map((n) => ({ type: namespaces, provider: 'kubernetes', agent: n.agent, name: n.name })),
    ),
    resultType(deployments, 92, 'CD-as-a-Service deployments', index, (i, q) =>
      i.deployments
        .filter((d) => matches(d.name, q))
        .map((d) => ({ type: deployments, provider: 'kubernetes', agent: d.agent, namespace: d.namespace, name: d.name })),
    ),
  ];
}

/** Where each result links: the agent's drill-down, with the namespace or Deployment selected. */
export const searchUrlBuilders: Record<string, IUrlBuilder> = {
  [SEARCH_TYPE_IDS.agents]: { build: (input) => agentHref((input as unknown as CdaasSearchResult).agent) },
  [SEARCH_TYPE_IDS.namespaces]: {
    build: (input) => {
      const r = input as unknown as CdaasSearchResult;
      return agentHref(r.agent, { namespace: r.name });
    },
  },
  [SEARCH_TYPE_IDS.deployments]: {
    build: (input) => {
      const r = input as unknown as CdaasSearchResult;
      return agentHref(r.agent, { namespace: r.namespace, deployment: r.name });
    },
  },
};
