import { render, screen, waitFor } from '@testing-library/react';
import { HttpResponse } from 'msw';
import React from 'react';

import { agentsAnswer } from '../../test/fixtures/agents';
import { setupMsw } from '../../test/msw';
import { readHandlers } from '../../test/fixtures/readHandlers';
import { CdaasApiProvider } from './CdaasApiContext';
import type { AgentList, CdaasReadApi } from './CdaasReadClient';
import { useAgents } from './useAgents';

const server = setupMsw();

function Agents() {
  const { loading, error, data } = useAgents();
  if (loading) return <p>loading</p>;
  if (error) return <p>error: {error.message}</p>;
  return <p>agents: {data?.agents.map((a) => a.agentIdentifier).join(', ')}</p>;
}

/** The account picker never reads Services: a call fails the test's expectations loudly. */
const notRead = () => Promise.reject(new Error('the account picker reads no Services'));

describe('useAgents', () => {
  it('uses the read client given through context', async () => {
    const list: AgentList = { agents: [{ agentIdentifier: 'from-context' }], errors: [] };
    const api: CdaasReadApi = { listAgents: vi.fn(async () => list), listClusters: async () => ({ clusters: [], errors: [] }), listServices: notRead };
    render(
      <CdaasApiProvider api={api}>
        <Agents />
      </CdaasApiProvider>,
    );
    expect(await screen.findByText('agents: from-context')).toBeInTheDocument();
    expect(api.listAgents).toHaveBeenCalledTimes(1);
  });

  // The bug: the read's effect set a new "loading" object on mount, when the state already said
  // loading, and the account picker rendered a second time before the Deploy form's first frame.
  it('renders once on mount while the first read is under way', () => {
    let renders = 0;
    function Counted() {
      renders++;
      return <p>{useAgents().loading ? 'loading' : 'done'}</p>;
    }
    const api: CdaasReadApi = { listAgents: () => new Promise(() => undefined), listClusters: () => new Promise(() => undefined), listServices: notRead };
    render(
      <CdaasApiProvider api={api}>
        <Counted />
      </CdaasApiProvider>,
    );
    expect(screen.getByText('loading')).toBeInTheDocument();
    expect(renders).toBe(1);
  });

  it('turns an unexpected rejection into an error state instead of throwing', async () => {
    const api: CdaasReadApi = {
      listAgents: () => Promise.reject(new TypeError('boom')),
      listClusters: async () => ({ clusters: [], errors: [] }),
      listServices: notRead,
    };
    render(
      <CdaasApiProvider api={api}>
        <Agents />
      </CdaasApiProvider>,
    );
    expect(await screen.findByText('error: TypeError: boom')).toBeInTheDocument();
  });

  it('regression: unmounting while the agents load neither updates state nor warns', async () => {
    const late = async () => {
      await new Promise((r) => setTimeout(r, 30));
      return HttpResponse.json(agentsAnswer);
    };
    server.use(...readHandlers({ agents: late, clusters: late }));
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { unmount } = render(<Agents />);
      unmount();
      // The request was aborted with the component; give a late answer the time to arrive anyway.
      await new Promise((r) => setTimeout(r, 60));
      await waitFor(() => expect(consoleError).not.toHaveBeenCalled());
    } finally {
      consoleError.mockRestore();
    }
  });
});
