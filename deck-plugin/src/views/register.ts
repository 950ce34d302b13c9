/**
 * Registers the infrastructure views with Deck from the plugin's `initialize`: the application tab
 * (a lazy data source in the `infrastructure` nav category, with a UI-Router child state of the
 * application), the top-level agents pages (root states under Deck's `home`), and URL builders for the search
 * results. Deck's registries are passed in, so tests hand in recorders and Deck the real ones.
 */
import type { Application, IDataSourceConfig, INestedState, IUrlBuilder } from '@spinnaker/core';
import { ApplicationDataSourceRegistry, INFRASTRUCTURE_KEY, Registry } from '@spinnaker/core';
import { unstable_batchedUpdates } from 'react-dom';

import type { ApplicationDeployment } from '@cdaas/contract/read';
import { defaultViewsApi } from './api/ViewsApiContext';
import { dynamicParams } from './common/useViewParams';
import { AgentsPage, AgentView, ApplicationTab } from './lazyViews';
import { searchUrlBuilders } from './search/searchTypes';
import { AGENT_PARAMS, AGENTS_PARAMS, APP_TAB_PARAMS } from './states';

export const DATA_SOURCE_KEY = 'cdaas';

export interface DeckRegistries {
  addChildState(state: INestedState): void;
  addToRootState(state: INestedState): void;
  registerDataSource(config: IDataSourceConfig<ApplicationDeployment[]>): void;
  registerUrlBuilder(key: string, builder: IUrlBuilder): void;
}

/** The states, without Deck: tests register the same declarations with a plain UI-Router. */
export function viewStates(): { appTab: INestedState; agents: INestedState; agent: INestedState } {
  return {
    appTab: {
      name: 'cdaas',
      url: `/cdaas?${APP_TAB_PARAMS.join('&')}`,
      views: { insight: { component: ApplicationTab, $type: 'react' } },
      params: dynamicParams(APP_TAB_PARAMS),
      data: { pageTitleSection: { title: 'CD-as-a-Service' } },
    },
    agents: {
      name: 'cdaasAgents',
      url: `/cdaas/agents?${AGENTS_PARAMS.join('&')}`,
      views: { 'main@': { component: AgentsPage, $type: 'react' } },
      params: dynamicParams(AGENTS_PARAMS),
      data: { pageTitleMain: { label: 'CD-as-a-Service agents' } },
    },
    agent: {
      name: 'cdaasAgent',
      url: `/cdaas/agents/:agent?${AGENT_PARAMS.join('&')}`,
      views: { 'main@': { component: AgentView, $type: 'react' } },
      params: dynamicParams(AGENT_PARAMS),
      data: { pageTitleMain: { field: 'agent' } },
    },
  };
}

export function registerViews(deck: DeckRegistries): void {
  const states = viewStates();
  deck.addChildState(states.appTab);
  deck.addToRootState(states.agents);
  deck.addToRootState(states.agent);
  deck.registerDataSource({
    key: DATA_SOURCE_KEY,
    label: 'CD-as-a-Service',
    sref: '.cdaas',
    category: INFRASTRUCTURE_KEY,
    iconName: 'spMenuClusters',
    description: "Deployments this application's pipelines made with CD-as-a-Service, and the clusters they run in",
    // Loaded only while the tab is open (its view polls on its own); the data stays for other parts of Deck.
    lazy: true,
    autoActivate: true,
    defaultData: [],
    loader: (app: Application) => defaultViewsApi().listApplicationDeployments(app.name).then((a) => a.deployments),
    onLoad: (_app: Application, data: ApplicationDeployment[]) => Promise.resolve(data),
  });
  for (const [key, builder] of Object.entries(searchUrlBuilders)) deck.registerUrlBuilder(key, builder);
}

interface Injector {
  get(name: string): unknown;
}

/** Where Deck puts an application (ApplicationStateProvider.addParentState): under the applications, and under a project. */
const APPLICATION_STATES = ['home.applications.application', 'home.project.application'];

/**
 * Deck's own registries, reached at run time (initialize runs after Angular's injector exists);
 * undefined outside Deck (a test calling `initialize`, which then registers no views).
 */
export function deckRegistries(): DeckRegistries | undefined {
  // Deck keeps its Angular injector on window.spinnaker (utils/consoleDebug.ts); core does not export it.
  const injector = (window as unknown as { spinnaker?: { $injector?: Injector } }).spinnaker?.$injector;
  if (!injector) return undefined;
  const applicationState = injector.get('applicationState') as { addChildState(s: INestedState): void };
  const stateRegistry = injector.get('$stateRegistry') as { register(s: INestedState): unknown; get(name: string): unknown };
  // The states go straight to UI-Router, named as Deck's providers name them. Not through those
  // providers: each of their calls re-registers Deck's whole state tree from a deep copy
  // (StateConfigProvider.setStates, @spinnaker/core 0.29.1), and the three calls were most of what
  // `initialize` cost Deck's start (a CPU profile of the editor's load: 22-97 ms). Deck's tree never
  // holds these states, so its later copies cannot register them a second time.
  return {
    // Under each application state Deck has (addParentState: the applications' and a project's);
    // through Deck if neither exists, so a Deck laid out otherwise still gets the tab.
    addChildState: (s) => {
      const parents = APPLICATION_STATES.filter((p) => stateRegistry.get(p));
      if (parents.length === 0) applicationState.addChildState(s);
      for (const p of parents) stateRegistry.register({ ...s, name: `${p}.${s.name}` });
    },
    // A root state is `home.<name>` (stateConfig.addToRootState).
    addToRootState: (s) => stateRegistry.register({ ...s, name: `home.${s.name}` }),
    registerDataSource: (c) => ApplicationDataSourceRegistry.registerDataSource(c),
    registerUrlBuilder: (key, b) => Registry.urlBuilder.register(key, b),
  };
}

/** From `initialize`: registers the views with Deck, or says why it could not. */
export function initializeViews(): void {
  const deck = deckRegistries();
  // In one React batch: every link Deck has on screen (UI-Router React's useSref) sets its state
  // on each state registered, and outside a batch React 16 renders each of those at once (the
  // profile of Deck's start: most of initialize was those renders, four times over).
  if (deck) unstable_batchedUpdates(() => registerViews(deck));
  else console.warn('CD-as-a-Service views: Deck has no Angular injector yet; the views are not registered.');
}
