/**
 * Renders the views the way Deck routes to them: a real UI-Router (memory location) with the same
 * state declarations registerViews gives Deck, under stand-ins for Deck's `home` and application
 * states, and the views' client talking to msw through Gate's proxy URL. "Reloading" is
 * rendering again from the URL the last render left.
 *
 * The current state's component is rendered directly rather than through <UIView>: loading
 * @spinnaker/core swaps in @uirouter/react-hybrid's UIView, which needs a running AngularJS.
 */
import { render } from '@testing-library/react';
import type { ReactStateDeclaration } from '@uirouter/react';
import { memoryLocationPlugin, servicesPlugin, UIRouter, UIRouterReact, useCurrentStateAndParams } from '@uirouter/react';
import React from 'react';

import type { CdaasViewsApi } from '../src/views/api/CdaasViewsClient';
import { CdaasViewsClient } from '../src/views/api/CdaasViewsClient';
import { ViewsApiProvider } from '../src/views/api/ViewsApiContext';
import { viewStates } from '../src/views/register';
import { PROXY } from './msw';

export interface FakeApp {
  name: string;
  activated: number;
  getDataSource(key: string): { activate(): void } | undefined;
}

export function fakeApp(name = 'cdaasdemo'): FakeApp {
  const app: FakeApp = {
    name,
    activated: 0,
    getDataSource: (key) => (key === 'cdaas' ? { activate: () => void app.activated++ } : undefined),
  };
  return app;
}

type ViewComponent = React.ComponentType<{ app?: FakeApp }>;

function viewComponent(state: ReactStateDeclaration): ViewComponent {
  const views = (state.views ?? {}) as Record<string, { component: ViewComponent }>;
  return Object.values(views)[0]!.component;
}

function CurrentView(props: { components: Record<string, ViewComponent>; app: FakeApp }) {
  const { state } = useCurrentStateAndParams();
  const View = state?.name ? props.components[state.name] : undefined;
  return View ? <View app={props.app} /> : null;
}

export function renderViews(url: string, opts: { api?: CdaasViewsApi; app?: FakeApp } = {}) {
  const api = opts.api ?? new CdaasViewsClient((u, init) => fetch(u, init), PROXY);
  const app = opts.app ?? fakeApp();
  const router = new UIRouterReact();
  router.plugin(servicesPlugin);
  router.plugin(memoryLocationPlugin);
  const s = viewStates();
  const states: ReactStateDeclaration[] = [
    { name: 'home', abstract: true, url: '' },
    { name: 'home.applications', abstract: true, url: '/applications' },
    {
      name: 'home.applications.application',
      url: '/:application',
    },
    { ...(s.appTab as ReactStateDeclaration), name: 'home.applications.application.cdaas' },
    { ...(s.agents as ReactStateDeclaration), name: 'home.cdaasAgents' },
    { ...(s.agent as ReactStateDeclaration), name: 'home.cdaasAgent' },
  ];
  for (const state of states) router.stateRegistry.register(state);
  const components: Record<string, ViewComponent> = {};
  for (const state of states) if (state.views) components[state.name!] = viewComponent(state);
  router.urlService.url(url);
  const result = render(
    <ViewsApiProvider api={api}>
      <UIRouter router={router}>
        <CurrentView components={components} app={app} />
      </UIRouter>
    </ViewsApiProvider>,
  );
  return {
    ...result,
    router,
    app,
    /** The URL as the view last left it. */
    url: () => router.urlService.url(),
    dispose: () => {
      result.unmount();
      router.dispose();
    },
  };
}
