import { INFRASTRUCTURE_KEY } from '@spinnaker/core';
import type { IDataSourceConfig, INestedState, IUrlBuilder } from '@spinnaker/core';
import type { Observable } from 'rxjs';
import { take } from 'rxjs/operators';
import { http, HttpResponse } from 'msw';
import { act, render } from '@testing-library/react';
import React from 'react';

import { deploymentsAnswer, namespacesAnswer, viewsAgentsAnswer } from '../../test/fixtures/infrastructure';
import { PROXY, setupMsw } from '../../test/msw';
import { CdaasViewsClient } from './api/CdaasViewsClient';
import { deckRegistries, initializeViews, registerViews } from './register';
import { CdaasSearchIndex } from './search/searchIndex';
import { cdaasSearchTypes, searchUrlBuilders } from './search/searchTypes';

const server = setupMsw();
// rxjs 6 (Deck's): no firstValueFrom.
const firstValueFrom = <T>(o: Observable<T>): Promise<T> => o.pipe(take(1)).toPromise() as Promise<T>;

describe('registerViews', () => {
  it('adds the tab (lazy data source in Infrastructure, child state), the agents pages and a URL builder per result type', () => {
    const child: INestedState[] = [];
    const root: INestedState[] = [];
    const sources: Array<IDataSourceConfig<unknown>> = [];
    const builders: Record<string, IUrlBuilder> = {};
    registerViews({
      addChildState: (s) => child.push(s),
      addToRootState: (s) => root.push(s),
      registerDataSource: (c) => sources.push(c as IDataSourceConfig<unknown>),
      registerUrlBuilder: (k, b) => (builders[k] = b),
    });
    expect(child.map((s) => [s.name, s.url, Object.keys(s.views ?? {})])).toEqual([['cdaas', '/cdaas?pipeline&q&sort', ['insight']]]);
    expect(root.map((s) => [s.name, s.url, Object.keys(s.views ?? {})])).toEqual([
      ['cdaasAgents', '/cdaas/agents?q&sort', ['main@']],
      ['cdaasAgent', '/cdaas/agents/:agent?namespace&deployment&replicaSet&q&sort&nsSort', ['main@']],
    ]);
    // Dynamic: changing the filter or the selection does not reload the view.
    expect(child[0]!.params).toMatchObject({ q: { dynamic: true }, pipeline: { dynamic: true } });
    expect(sources).toEqual([
      expect.objectContaining({ key: 'cdaas', label: 'CD-as-a-Service', sref: '.cdaas', category: INFRASTRUCTURE_KEY, lazy: true, autoActivate: true, defaultData: [] }),
    ]);
    expect(Object.keys(builders).sort()).toEqual(['cdaasAgents', 'cdaasDeployments', 'cdaasNamespaces']);
  });
});

describe("Deck's registries", () => {
  afterEach(() => delete (window as { spinnaker?: unknown }).spinnaker);

  const withDeck = (states: string[]) => {
    const registered: INestedState[] = [];
    const throughDeck: INestedState[] = [];
    const services: Record<string, unknown> = {
      applicationState: { addChildState: (s: INestedState) => throughDeck.push(s) },
      stateConfig: { addToRootState: (s: INestedState) => throughDeck.push(s) },
      $stateRegistry: { register: (s: INestedState) => registered.push(s), get: (name: string) => (states.includes(name) ? { name } : undefined) },
    };
    (window as { spinnaker?: unknown }).spinnaker = { $injector: { get: (name: string) => services[name] } };
    return { deck: deckRegistries()!, registered, throughDeck };
  };

  it('register the states straight with UI-Router, named as Deck names them, not through its providers', () => {
    // Regression: each stateConfig.addToRootState or applicationState.addChildState call
    // re-registered Deck's whole state tree from a deep copy, most of what initialize cost Deck's start.
    const { deck, registered, throughDeck } = withDeck(['home.applications.application', 'home.project.application']);
    deck.addToRootState({ name: 'cdaasAgents', url: '/cdaas/agents' });
    deck.addChildState({ name: 'cdaas', url: '/cdaas' });
    expect(registered.map((s) => [s.name, s.url])).toEqual([
      ['home.cdaasAgents', '/cdaas/agents'],
      ['home.applications.application.cdaas', '/cdaas'],
      ['home.project.application.cdaas', '/cdaas'],
    ]);
    expect(throughDeck).toEqual([]);
  });

  it('register every state in one React batch, so the links Deck shows render once, not once per state', () => {
    // Regression: UI-Router React's useSref sets state on every registration, and outside a batch
    // React 16 rendered each link at once per state: most of what initialize cost Deck's start.
    const listeners: Array<() => void> = [];
    const services: Record<string, unknown> = {
      applicationState: { addChildState: () => undefined },
      $stateRegistry: {
        register: () => listeners.forEach((l) => l()),
        get: (name: string) => (name === 'home.applications.application' ? { name } : undefined),
      },
    };
    (window as { spinnaker?: unknown }).spinnaker = { $injector: { get: (name: string) => services[name] } };
    let renders = 0;
    function Link() {
      const [, setChanges] = React.useState(0);
      React.useEffect(() => void listeners.push(() => setChanges((n) => n + 1)), []);
      renders++;
      return null;
    }
    render(React.createElement(Link));
    renders = 0;
    // Not inside act(): Deck calls initialize from a promise, outside any React batch.
    initializeViews();
    expect(renders).toBe(1);
    act(() => undefined);
  });

  it("hand the tab to Deck's provider when Deck has no application state where it expects one", () => {
    const { deck, registered, throughDeck } = withDeck([]);
    deck.addChildState({ name: 'cdaas', url: '/cdaas' });
    expect(registered).toEqual([]);
    expect(throughDeck.map((s) => s.name)).toEqual(['cdaas']);
  });
});

describe('search result types', () => {
  it('find agents, namespaces and Deployments through the proxy, reading the lists once for all three types, each linking to its view', async () => {
    let agentCalls = 0;
    server.use(
      http.get(`${PROXY}/v1/agents`, () => (agentCalls++, HttpResponse.json(viewsAgentsAnswer))),
      http.get(`${PROXY}/v1/clusters/:agent/namespaces`, ({ params }) =>
        params.agent === 'prod-eu-west-1' ? HttpResponse.json(namespacesAnswer) : new HttpResponse(null, { status: 502 }),
      ),
      http.get(`${PROXY}/v1/clusters/:agent/deployments`, ({ params }) =>
        HttpResponse.json(params.agent === 'prod-eu-west-1' ? deploymentsAnswer : { cluster: params.agent, items: [], errors: [] }),
      ),
    );
    const index = new CdaasSearchIndex(() => new CdaasViewsClient((u, i) => fetch(u, i), PROXY));
    const [agents, namespaces, deployments] = cdaasSearchTypes(index);
    const build = (r: { type: string }) => searchUrlBuilders[r.type]!.build(r as never, undefined as never);

    const [a, n, d] = await Promise.all([agents, namespaces, deployments].map((t) => firstValueFrom(t!.search({ key: 'prod' }))));
    expect(a!.results.map((r) => [agents!.displayFormatter!(r), build(r)])).toEqual([['prod-eu-west-1', '#/cdaas/agents/prod-eu-west-1']]);
    expect(n!.results).toEqual([]);
    expect(d!.results).toEqual([]);

    const [n2, d2] = await Promise.all([namespaces, deployments].map((t) => firstValueFrom(t!.search({ key: 'pay' }))));
    expect(n2!.results.map((r) => [namespaces!.displayFormatter!(r), build(r)])).toEqual([
      ['payments (prod-eu-west-1)', '#/cdaas/agents/prod-eu-west-1?namespace=payments'],
    ]);
    expect(d2!.results).toEqual([]);
    const d3 = await firstValueFrom(deployments!.search({ key: 'ledger' }));
    expect(d3.results.map((r) => [deployments!.displayFormatter!(r), build(r)])).toEqual([
      ['ledger (prod-eu-west-1 · payments)', '#/cdaas/agents/prod-eu-west-1?namespace=payments&deployment=ledger'],
    ]);
    expect(agentCalls).toBe(1);
  });
});
