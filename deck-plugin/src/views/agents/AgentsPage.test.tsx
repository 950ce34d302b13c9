import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';

import { NOW, viewsAgentsAnswer, viewsClustersAnswer } from '../../../test/fixtures/infrastructure';
import { preflightAnswer } from '../../../test/fixtures/preflight';
import { readHandlers } from '../../../test/fixtures/readHandlers';
import { PROXY, setupMsw } from '../../../test/msw';
import { renderViews } from '../../../test/viewsHarness';

const server = setupMsw();
// The page carries the requirements panel (views/preflight), which reads the bridge's preflight.
beforeEach(() => server.use(http.get(`${PROXY}/v1/preflight`, () => HttpResponse.json(preflightAnswer))));

// Only Date is faked: heartbeat ages are measured against the fixtures' time; timers stay real.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const agentRow = (name: string) => screen.getByRole('link', { name }).closest('tr')!;

describe('AgentsPage', () => {
  it('shows every agent with heartbeat, Kubernetes requirement and cluster role, and the failing one\'s error beside the others', async () => {
    server.use(...readHandlers({ agents: viewsAgentsAnswer, clusters: viewsClustersAnswer }));
    const v = renderViews('/cdaas/agents');
    // Two things load on this page: the agents and the requirements panel.
    // The view's chunk loads first (its own spinner), then the agents and the requirements panel.
    await waitFor(() => expect(screen.getAllByRole('status').some((s) => /Loading agents/.test(s.textContent ?? ''))).toBe(true));

    const prod = await waitFor(() => agentRow('prod-eu-west-1'));
    expect(within(prod).getByText('Connected')).toBeInTheDocument();
    expect(within(prod).getByText('1.0.53')).toBeInTheDocument();
    expect(within(prod).getByText('Supported')).toBeInTheDocument();
    expect(within(prod).getByText('Yes')).toBeInTheDocument();
    expect(within(prod).queryByText('Stale')).not.toBeInTheDocument();

    const legacy = agentRow('legacy-onprem');
    expect(within(legacy).getByText('Stale')).toHaveAttribute('title', 'No heartbeat for more than 2 minutes');
    expect(within(legacy).getByText('20m ago')).toBeInTheDocument();
    expect(within(legacy).getByLabelText('CD-as-a-Service requires Kubernetes 1.16 or later; this cluster runs v1.15.12.')).toHaveTextContent(
      'Unsupported: needs 1.16+',
    );
    expect(within(legacy).getByText('No (namespaced)')).toBeInTheDocument();
    expect(screen.getByText(/flagged/)).toHaveTextContent('An agent is flagged Stale when its last heartbeat is older than 2 minutes.');

    // Connected to nobody now, but this Spinnaker deployed to it: listed, not silently missing.
    const dr = agentRow('dr-ap-south-1');
    expect(within(dr).getByText('Disconnected')).toBeInTheDocument();

    // The cluster whose cache failed: its error beside the healthy agents, in its row and above.
    const staging = agentRow('staging-us-east-1');
    expect(within(staging).getByText('the agent cache answered 503 Service Unavailable')).toBeInTheDocument();
    const partial = screen.getByRole('region', { name: 'Some agents could not be read' });
    expect(partial).toHaveTextContent('staging-us-east-1: The agent cache answered HTTP 503: the agent cache answered 503 Service Unavailable');
    v.dispose();
  });

  it('keeps filter and sort in the URL and restores them on reload', async () => {
    server.use(...readHandlers({ agents: viewsAgentsAnswer, clusters: viewsClustersAnswer }));
    const first = renderViews('/cdaas/agents');
    await screen.findByRole('link', { name: 'prod-eu-west-1' });
    await userEvent.type(screen.getByRole('searchbox', { name: 'Filter agents' }), 'us-east');
    await userEvent.click(screen.getByRole('button', { name: 'Kubernetes' }));
    await waitFor(() => expect(first.url()).toBe('/cdaas/agents?q=us-east&sort=kubernetes'));
    expect(screen.queryByRole('link', { name: 'prod-eu-west-1' })).not.toBeInTheDocument();
    const url = first.url();
    first.dispose();

    const again = renderViews(url);
    await screen.findByRole('link', { name: 'staging-us-east-1' });
    expect(screen.getByRole('searchbox', { name: 'Filter agents' })).toHaveValue('us-east');
    expect(screen.queryByRole('link', { name: 'prod-eu-west-1' })).not.toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Kubernetes' })).toHaveAttribute('aria-sort', 'ascending');
    again.dispose();
  });

  it('a request failure says what to check: the proxy entry first on a 404', async () => {
    server.use(
      http.get(`${PROXY}/v1/agents`, () => new HttpResponse(null, { status: 404 })),
      http.get(`${PROXY}/v1/clusters`, () => new HttpResponse(null, { status: 404 })),
    );
    const v = renderViews('/cdaas/agents');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("The CDaaS bridge is not reachable through Gate's proxy `cdaas` (HTTP 404)");
    const checks = within(alert).getAllByRole('listitem').map((li) => li.textContent);
    expect(checks[0]).toMatch(/^Gate has a `proxies:` entry with id `cdaas`/);
    expect(checks[1]).toMatch(/bridge is running and ready/);
    v.dispose();
  });

  it('a bridge error names the scope the agent cache needs', async () => {
    server.use(
      http.get(`${PROXY}/v1/agents`, () =>
        HttpResponse.json({ error: 'CD-as-a-Service refused the token (403 insufficient_scope)' }, { status: 502, headers: { 'X-Proxy-Status-Code': '502' } }),
      ),
      http.get(`${PROXY}/v1/clusters`, () => HttpResponse.json({ clusters: [] })),
    );
    const v = renderViews('/cdaas/agents');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The CDaaS bridge failed (HTTP 502): CD-as-a-Service refused the token (403 insufficient_scope).');
    expect(alert).toHaveTextContent('include the scope `read:infrastructure:data`');
    v.dispose();
  });

  it('empty: says to install a Remote Network Agent', async () => {
    server.use(...readHandlers({ agents: { agents: [] }, clusters: { clusters: [] } }));
    const v = renderViews('/cdaas/agents');
    const empty = await screen.findByRole('note', { name: 'No agent is connected to CD-as-a-Service' });
    expect(empty).toHaveTextContent('Install a Remote Network Agent');
    expect(screen.queryByRole('table', { name: 'Agents' })).not.toBeInTheDocument();
    // The requirements panel still says what is checked, whatever the agents answer.
    expect(await screen.findByRole('heading', { name: 'CD-as-a-Service requirements' })).toBeInTheDocument();
    v.dispose();
  });
});
