import { SETTINGS } from '@spinnaker/core';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';

import { applicationDeploymentsAnswer } from '../../../test/fixtures/infrastructure';
import { PROXY, setupMsw } from '../../../test/msw';
import { renderViews } from '../../../test/viewsHarness';

const server = setupMsw();
const APP_PATH = `${PROXY}/v1/applications/cdaasdemo/deployments`;
const settings = SETTINGS as { pollSchedule?: number };

// Deck's pollSchedule, short: the tab polls at Deck's interval while a deployment runs.
beforeEach(() => (settings.pollSchedule = 30));
afterEach(() => delete settings.pollSchedule);

const deploymentRow = (pipelineName: RegExp, n = 0) => screen.getAllByRole('link', { name: pipelineName })[n]!.closest('tr')!;

describe('ApplicationTab', () => {
  it("lists the app's deployments with links, and a running canary's weight moves as it polls", async () => {
    let calls = 0;
    server.use(http.get(APP_PATH, () => HttpResponse.json(applicationDeploymentsAnswer(++calls < 3 ? 1 : 3))));
    const v = renderViews('/applications/cdaasdemo/cdaas');
    // The view's chunk loads first (its own spinner), then the deployments.
    // On a loaded machine the chunk's first import alone can take over a second: wait for it.
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Loading the CD-as-a-Service deployments'), { timeout: 10_000 });

    await screen.findByRole('table', { name: 'Deployments' }, { timeout: 10_000 });
    const running = deploymentRow(/Deploy potato-facts by ada@example.com/);
    expect(within(running).getByText('Running')).toBeInTheDocument();
    expect(within(running).getByText('25%')).toBeInTheDocument();
    expect(within(running).getByText('Step 2 of 4: Pause until approved')).toBeInTheDocument();
    expect(within(running).getByRole('link', { name: /Deploy potato-facts/ })).toHaveAttribute(
      'href',
      '#/applications/cdaasdemo/executions/details/01JEXEC0000000000000000001?refId=1',
    );
    expect(within(running).getByRole('link', { name: 'potato-facts' })).toHaveAttribute(
      'href',
      '#/cdaas/agents/prod-eu-west-1?namespace=potato-facts&deployment=potato-facts',
    );
    expect(within(running).getByRole('link', { name: 'Open deployment pl-canary-1 in the CD-as-a-Service console' })).toHaveAttribute(
      'href',
      'https://console.cloud.armory.io/deployments/pipeline/pl-canary-1',
    );
    // The canary reaches setWeight 50 on a later poll, without a reload.
    await waitFor(() => expect(within(deploymentRow(/Deploy potato-facts by ada/)).getByText('50%')).toBeInTheDocument(), { timeout: 10_000 });
    expect(screen.getByRole('link', { name: 'All agents and clusters' })).toHaveAttribute('href', '#/cdaas/agents');
    // A deep link activates the lazy data source itself.
    expect(v.app.activated).toBe(1);

    // The finished one could not be refreshed: said beside the list.
    expect(screen.getByRole('region', { name: 'Some deployments could not be refreshed' })).toHaveTextContent(
      'staging-us-east-1: Deployment pl-done-0: The agent cache answered HTTP 503: CD-as-a-Service answered 503',
    );
    v.dispose();
  });

  it('the selected deployment and the filter are in the URL; a reload shows its steps again', async () => {
    server.use(http.get(APP_PATH, () => HttpResponse.json(applicationDeploymentsAnswer(1))));
    const first = renderViews('/applications/cdaasdemo/cdaas');
    await screen.findByRole('table', { name: 'Deployments' });
    await userEvent.click(screen.getAllByRole('button', { name: 'Running' })[0]!);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Filter deployments' }), 'ada');
    await waitFor(() => expect(first.url()).toBe('/applications/cdaasdemo/cdaas?pipeline=pl-canary-1&q=ada'));
    const url = first.url();
    first.dispose();

    renderViews(url);
    const details = await screen.findByRole('region', { name: 'CD-as-a-Service deployment pl-canary-1' });
    expect(within(details).getByRole('table', { name: 'Deployment steps' })).toHaveTextContent('Set weight to 25%');
    expect(screen.getByRole('status')).toHaveTextContent('1 of 2 deployments');
  });

  it('polls no more while the browser tab is hidden, and at once when it shows again', async () => {
    let calls = 0;
    server.use(http.get(APP_PATH, () => (calls++, HttpResponse.json(applicationDeploymentsAnswer(1)))));
    let hidden = false;
    const spy = vi.spyOn(document, 'hidden', 'get').mockImplementation(() => hidden);
    try {
      renderViews('/applications/cdaasdemo/cdaas');
      await waitFor(() => expect(calls).toBeGreaterThanOrEqual(2));
      hidden = true;
      document.dispatchEvent(new Event('visibilitychange'));
      // At most the poll already under way finishes; then nothing for many intervals.
      const atHide = calls;
      await new Promise((r) => setTimeout(r, 400));
      expect(calls).toBeLessThanOrEqual(atHide + 1);
      const whileHidden = calls;
      hidden = false;
      document.dispatchEvent(new Event('visibilitychange'));
      await waitFor(() => expect(calls).toBeGreaterThan(whileHidden));
    } finally {
      spy.mockRestore();
    }
  });

  it('a request failure says what to check, and empty says how to get a deployment here', async () => {
    server.use(http.get(APP_PATH, () => new HttpResponse(null, { status: 404 })));
    const failed = renderViews('/applications/cdaasdemo/cdaas');
    expect(await screen.findByRole('alert')).toHaveTextContent('The CD-as-a-Service deployments could not be loaded');
    failed.dispose();

    server.use(http.get(APP_PATH, () => HttpResponse.json({ application: 'cdaasdemo', deployments: [] })));
    renderViews('/applications/cdaasdemo/cdaas');
    const empty = await screen.findByRole('note', { name: 'No CD-as-a-Service deployment of cdaasdemo yet' });
    expect(empty).toHaveTextContent('Add a CD-as-a-Service Deploy stage');
    expect(within(empty).getByRole('link', { name: 'the agents page' })).toHaveAttribute('href', '#/cdaas/agents');
  });
});
