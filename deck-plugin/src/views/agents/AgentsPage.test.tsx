import { SETTINGS } from '@spinnaker/core';
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

/** A promise the test resolves: msw answers a poll only when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('AgentsPage', () => {
  it('shows every agent with heartbeat, Kubernetes requirement and cluster role, and the failing one\'s error beside the others', async () => {
    server.use(...readHandlers({ agents: viewsAgentsAnswer, clusters: viewsClustersAnswer }));
    const v = renderViews('/cdaas/agents');
    // Two things load on this page: the agents and the requirements panel.
    // The view's chunk loads first (its own spinner), then the agents and the requirements panel.
    // On a loaded machine the chunk's first import alone can take over a second: wait for it.
    await waitFor(() => expect(screen.getAllByRole('status').some((s) => /Loading agents/.test(s.textContent ?? ''))).toBe(true), { timeout: 10_000 });

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
    // In the row too, worded by readErrors (the row showed the bridge's raw message).
    expect(within(staging).getByText('The agent cache answered HTTP 503: the agent cache answered 503 Service Unavailable')).toBeInTheDocument();
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

  it('polls as the application tab does: a later answer replaces the first without a click; a failed poll keeps the list and says so', async () => {
    // Deck's pollSchedule, 1 ms: when each poll answers is up to the gates below, not to the clock.
    const settings = SETTINGS as { pollSchedule?: number };
    settings.pollSchedule = 1;
    const later = {
      ...viewsAgentsAnswer,
      agents: [
        { ...viewsAgentsAnswer.agents[0]!, agentVersion: '1.0.60' },
        ...viewsAgentsAnswer.agents.slice(1),
        { agentIdentifier: 'prod-ap-east-1', agentVersion: '1.0.60', connectedAt: '2026-11-24T21:40:00Z', lastHeartbeatAt: '2026-11-24T21:50:01Z', clusterRoleSupport: true },
      ],
    };
    const [second, third, rest] = [gate(), gate(), gate()];
    let calls = 0;
    server.use(
      ...readHandlers({
        clusters: viewsClustersAnswer,
        agents: async () => {
          const call = ++calls;
          if (call === 1) return HttpResponse.json(viewsAgentsAnswer);
          if (call === 2) {
            await second.opened;
            return HttpResponse.json({ error: 'CD-as-a-Service answered 503' }, { status: 502, headers: { 'X-Proxy-Status-Code': '502' } });
          }
          await (call === 3 ? third.opened : rest.opened);
          return HttpResponse.json(later);
        },
      }),
    );
    const v = renderViews('/cdaas/agents');
    try {
      const prod = await waitFor(() => agentRow('prod-eu-west-1'));
      expect(within(prod).getByText('1.0.53')).toBeInTheDocument();
      expect(screen.getByText(/^Updated/)).toHaveTextContent('Updated 0s ago');
      // The next poll is already asking (no click): the control says so.
      await waitFor(() => expect(calls).toBe(2));
      expect(screen.getByRole('button', { name: 'Refresh the agents' })).toBeDisabled();

      second.open();
      const failed = await screen.findByRole('region', { name: 'The last refresh failed; showing what was loaded before' });
      expect(failed).toHaveTextContent('HTTP 502');
      expect(within(agentRow('prod-eu-west-1')).getByText('1.0.53')).toBeInTheDocument();

      third.open();
      await waitFor(() => expect(within(agentRow('prod-eu-west-1')).getByText('1.0.60')).toBeInTheDocument());
      expect(agentRow('prod-ap-east-1')).toBeInTheDocument();
      expect(within(agentRow('prod-eu-west-1')).queryByText('1.0.53')).not.toBeInTheDocument();
      expect(screen.queryByRole('region', { name: 'The last refresh failed; showing what was loaded before' })).not.toBeInTheDocument();
    } finally {
      v.dispose();
      rest.open();
      delete settings.pollSchedule;
    }
  });
});
