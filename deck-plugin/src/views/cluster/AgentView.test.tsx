import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse } from 'msw';

import { deploymentsAnswer, namespacesAnswer, NOW, replicaSetsAnswer } from '../../../test/fixtures/infrastructure';
import { clusterHandlers } from '../../../test/fixtures/readHandlers';
import { setupMsw } from '../../../test/msw';
import { renderViews } from '../../../test/viewsHarness';

const server = setupMsw();
const AGENT = 'prod-eu-west-1';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const rsTable = () => screen.getByRole('table', { name: 'Replica sets' });
const rsRowTexts = () =>
  within(rsTable())
    .getAllByRole('row')
    .filter((r) => !r.closest('thead'))
    .map((r) => (r.querySelector('th') ? `# ${r.querySelector('th')!.textContent}` : within(r).getAllByRole('cell')[0]!.textContent));

describe('AgentView (agent -> namespaces -> deployments -> replica sets)', () => {
  it('groups replica sets under their Deployment, newest revision first, with images, age and traffic', async () => {
    server.use(...clusterHandlers(AGENT, { namespaces: namespacesAnswer, deployments: deploymentsAnswer, replicaSets: replicaSetsAnswer }));
    const v = renderViews(`/cdaas/agents/${AGENT}`);
    await screen.findByRole('table', { name: 'Replica sets' });
    expect(rsRowTexts()).toEqual([
      // "1 replica sets" was the heading of a Deployment with one.
      expect.stringMatching(/^# Deployment ledger payments · 1\/2 ready · revision 7 · .* · 1 replica set$/),
      'ledger-66c9d',
      expect.stringMatching(/^# Deployment potato-facts potato-facts · 4\/4 ready · revision 3 · .* · 3 replica sets$/),
      'potato-facts-7f9c6d5b8',
      'potato-facts-5d8f7c9b4',
      'potato-facts-6b7d8e9f1',
    ]);
    const canary = screen.getByRole('button', { name: 'potato-facts-7f9c6d5b8' }).closest('tr')!;
    expect(within(canary).getByText('Canary 25% · step 2 of 4')).toBeInTheDocument();
    expect(within(canary).getByText('v3')).toBeInTheDocument();
    expect(within(canary).getByText('1/1')).toBeInTheDocument();
    expect(within(canary).getByText('10m')).toBeInTheDocument();
    expect(within(canary).getByText('team/potato-facts:v3')).toBeInTheDocument();
    const stable = screen.getByRole('button', { name: 'potato-facts-5d8f7c9b4' }).closest('tr')!;
    expect(within(stable).getByText('Stable 75% · step 2 of 4')).toBeInTheDocument();
    const ledger = screen.getByRole('button', { name: 'ledger-66c9d' }).closest('tr')!;
    expect(within(ledger).getByText('payments/ledger@0123456789ab')).toBeInTheDocument();
    expect(within(ledger).getByText('+2 more')).toBeInTheDocument();
    v.dispose();
  });

  it('drills down namespace -> Deployment -> replica set, filters, and a reload restores all of it', async () => {
    server.use(...clusterHandlers(AGENT, { namespaces: namespacesAnswer, deployments: deploymentsAnswer, replicaSets: replicaSetsAnswer }));
    const first = renderViews(`/cdaas/agents/${AGENT}`);
    const namespaces = await screen.findByRole('table', { name: 'Namespaces' });
    await userEvent.click(within(namespaces).getByRole('button', { name: 'potato-facts' }));
    await userEvent.click(screen.getByRole('button', { name: 'Deployment potato-facts' }));
    await userEvent.click(screen.getByRole('button', { name: 'potato-facts-5d8f7c9b4' }));
    await userEvent.type(screen.getByRole('searchbox', { name: 'Filter replica sets' }), 'pod-template-hash=5d8');
    await waitFor(() =>
      expect(first.url()).toBe(`/cdaas/agents/${AGENT}?namespace=potato-facts&deployment=potato-facts&replicaSet=potato-facts%2Fpotato-facts-5d8f7c9b4&q=pod-template-hash%3D5d8`),
    );
    expect(rsRowTexts()).toEqual([expect.stringMatching(/^# Deployment potato-facts/), 'potato-facts-5d8f7c9b4']);
    const url = first.url();
    first.dispose();

    renderViews(url);
    const details = await screen.findByRole('region', { name: 'Replica set potato-facts-5d8f7c9b4' });
    expect(details).toHaveTextContent('Deployment potato-facts');
    expect(details).toHaveTextContent('pod-template-hash: 5d8f7c9b4');
    expect(details).toHaveTextContent('registry.example.com/team/potato-facts:v2');
    expect(screen.getByRole('searchbox', { name: 'Filter replica sets' })).toHaveValue('pod-template-hash=5d8');
    expect(rsRowTexts()).toEqual([expect.stringMatching(/^# Deployment potato-facts/), 'potato-facts-5d8f7c9b4']);
    expect(within(screen.getByRole('table', { name: 'Namespaces' })).getByRole('button', { name: 'potato-facts' })).toHaveAttribute('aria-pressed', 'true');
  });

  it("shows one list's failure and the cluster's own errors as data beside what did load", async () => {
    server.use(
      ...clusterHandlers(AGENT, {
        namespaces: () => new HttpResponse(null, { status: 502, headers: { 'X-Proxy-Status-Code': '504' } }),
        deployments: deploymentsAnswer,
        replicaSets: { ...replicaSetsAnswer, errors: [{ kind: 'status', status: 403, message: 'insufficient_scope' }] },
      }),
    );
    renderViews(`/cdaas/agents/${AGENT}`);
    const partial = await screen.findByRole('region', { name: 'Some of this cluster could not be read' });
    expect(partial).toHaveTextContent(`${AGENT}: The namespaces could not be loaded: The CDaaS bridge is not reachable through Gate's proxy \`cdaas\` (HTTP 502)`);
    expect(partial).toHaveTextContent('the bridge\'s credentials need the scope `read:infrastructure:data`');
    // The replica sets still show, and their namespaces get rows from the objects in them.
    expect(screen.getByRole('button', { name: 'ledger-66c9d' })).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Namespaces' })).getByRole('button', { name: 'payments' })).toBeInTheDocument();
  });

  it('a request failure of all three lists is the failure state, with what to check', async () => {
    const notFound = () => new HttpResponse(null, { status: 404 });
    server.use(...clusterHandlers(AGENT, { namespaces: notFound, deployments: notFound, replicaSets: notFound }));
    renderViews(`/cdaas/agents/${AGENT}`);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(`The cluster of ${AGENT} could not be loaded`);
    expect(alert).toHaveTextContent('Gate has a `proxies:` entry with id `cdaas`');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('loading, then empty with what to do', async () => {
    const empty = { cluster: AGENT, items: [], errors: [] };
    server.use(...clusterHandlers(AGENT, { namespaces: empty, deployments: empty, replicaSets: empty }));
    renderViews(`/cdaas/agents/${AGENT}`);
    // The view's chunk loads first (its own spinner), then the cluster.
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(`Loading the cluster of ${AGENT}`));
    const note = await screen.findByRole('note', { name: `${AGENT} reports no namespaces, deployments or replica sets` });
    expect(note).toHaveTextContent('deploy with a CD-as-a-Service stage');
  });
});
