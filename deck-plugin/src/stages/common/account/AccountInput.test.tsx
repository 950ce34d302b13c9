import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, HttpResponse } from 'msw';
import React from 'react';

import { setupMsw } from '../../../../test/msw';
import { agentsAnswer, agentsAnswerWithBadEntry, clustersAnswerPartial } from '../../../../test/fixtures/agents';
import { readHandlers } from '../../../../test/fixtures/readHandlers';
import { AccountInput } from './AccountInput';

const server = setupMsw();

/** Holds the value like Formik would, and reports every change. */
function Harness(props: { initial?: string; onValue?: (v: string) => void }) {
  const [value, setValue] = React.useState(props.initial ?? '');
  return (
    <>
      <label htmlFor="account">Account</label>
      <AccountInput
        id="account"
        name="cdaas.account"
        value={value}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => {
          setValue(e.target.value);
          props.onValue?.(e.target.value);
        }}
      />
    </>
  );
}

describe('AccountInput', () => {
  it('loading: says so while the agents are read', async () => {
    server.use(
      ...readHandlers({
        agents: async () => {
          await delay(50);
          return HttpResponse.json(agentsAnswer);
        },
      }),
    );
    render(<Harness />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading connected agents…');
    expect(screen.getByRole('combobox', { name: 'Account' })).toBeDisabled();
    // Let the answer land so nothing updates after the test.
    expect(await screen.findByRole('option', { name: /prod-eu-west-1/ })).toBeInTheDocument();
  });

  it('data: lists the connected agents and picks one', async () => {
    server.use(...readHandlers());
    const onValue = vi.fn();
    render(<Harness onValue={onValue} />);
    const select = await screen.findByRole('combobox', { name: 'Account' });
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Select a connected agent…',
      'prod-eu-west-1 (agent 1.0.53, Kubernetes v1.29.4)',
      'staging-us-east-1 (agent 1.0.53, Kubernetes v1.28.9)',
    ]);
    await userEvent.selectOptions(select, 'staging-us-east-1');
    expect(onValue).toHaveBeenLastCalledWith('staging-us-east-1');
    expect(select).toHaveValue('staging-us-east-1');
  });

  it('data: keeps a saved account that is not connected now, marked as such', async () => {
    server.use(...readHandlers());
    render(<Harness initial="dr-site" />);
    const select = await screen.findByRole('combobox', { name: 'Account' });
    expect(select).toHaveValue('dr-site');
    expect(within(select).getByRole('option', { name: 'dr-site (not connected now)' })).toBeInTheDocument();
  });

  it('request failure: says why, in the one wording, and lets the user type the account', async () => {
    server.use(...readHandlers({ agents: () => new HttpResponse(null, { status: 404 }), clusters: () => new HttpResponse(null, { status: 404 }) }));
    const onValue = vi.fn();
    render(<Harness onValue={onValue} />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      "Connected agents could not be loaded: The CDaaS bridge is not reachable through Gate's proxy `cdaas` (HTTP 404); ask your Spinnaker admin.",
    );
    const input = screen.getByRole('textbox', { name: 'Account' });
    await userEvent.type(input, 'prod-eu-west-1');
    expect(input).toHaveValue('prod-eu-west-1');
    expect(onValue).toHaveBeenLastCalledWith('prod-eu-west-1');
  });

  it('request failure: Retry reads the agents again', async () => {
    let calls = 0;
    server.use(
      ...readHandlers({
        agents: () => {
          calls += 1;
          return calls === 1 ? new HttpResponse(null, { status: 502 }) : HttpResponse.json(agentsAnswer);
        },
      }),
    );
    render(<Harness />);
    await screen.findByRole('alert');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('combobox', { name: 'Account' })).toBeEnabled();
    expect(calls).toBe(2);
  });

  it('partial errors: shows the valid agents and what was skipped', async () => {
    server.use(...readHandlers({ agents: agentsAnswerWithBadEntry }));
    render(<Harness />);
    const select = await screen.findByRole('combobox', { name: 'Account' });
    expect(within(select).getByRole('option', { name: /^prod-eu-west-1 \(agent 1\.0\.53/ })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(/Some agents could not be read:\s*Agent entry 2 was skipped: agentIdentifier/);
  });

  it('empty: says no agent is connected and lets the user type one', async () => {
    server.use(...readHandlers({ agents: { agents: [] }, clusters: { clusters: [] } }));
    render(<Harness />);
    expect(await screen.findByText(/No connected agents: CD-as-a-Service reports no Remote Network Agent connected/)).toBeInTheDocument();
    const input = screen.getByRole('textbox', { name: 'Account' });
    await userEvent.type(input, 'new-cluster');
    expect(input).toHaveValue('new-cluster');
  });

  it('a Spinnaker expression opens as text, and the user can switch between typing and the list', async () => {
    server.use(...readHandlers());
    render(<Harness initial="${parameters.cluster}" />);
    const input = await screen.findByRole('textbox', { name: 'Account' });
    expect(input).toHaveValue('${parameters.cluster}');
    await userEvent.click(screen.getByRole('button', { name: 'Choose a connected agent' }));
    expect(screen.getByRole('combobox', { name: 'Account' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Type an account or expression' }));
    expect(screen.getByRole('textbox', { name: 'Account' })).toHaveValue('${parameters.cluster}');
  });

  it('partial errors: a cluster without details and a cluster too old for CDaaS', async () => {
    server.use(...readHandlers({ clusters: clustersAnswerPartial }));
    render(<Harness />);
    const select = await screen.findByRole('combobox', { name: 'Account' });
    expect(within(select).getByRole('option', { name: 'prod-eu-west-1 (agent 1.0.53)' })).toBeEnabled();
    expect(
      within(select).getByRole('option', {
        name: 'staging-us-east-1 (agent 1.0.53, Kubernetes v1.15.12): older than Kubernetes 1.16, not supported',
      }),
    ).toBeDisabled();
    // Worded as the views word it (readErrors), not by a second copy of the wording here.
    expect(screen.getByRole('alert')).toHaveTextContent('prod-eu-west-1: The agent cache answered HTTP 504: the agent did not answer in time');
  });

  it('partial errors: the agents still show when the cluster details cannot be loaded', async () => {
    server.use(...readHandlers({ clusters: () => new HttpResponse(null, { status: 404 }) }));
    render(<Harness />);
    const select = await screen.findByRole('combobox', { name: 'Account' });
    expect(within(select).getAllByRole('option')).toHaveLength(3);
    expect(screen.getByRole('alert')).toHaveTextContent(
      "Cluster details could not be loaded: The CDaaS bridge is not reachable through Gate's proxy `cdaas` (HTTP 404)",
    );
  });
});
