import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import React from 'react';

import { preflightAnswer } from '../../../test/fixtures/preflight';
import { PROXY, setupMsw } from '../../../test/msw';
import type { PreflightApi } from './PreflightClient';
import { PreflightApiProvider, PreflightPanel } from './index';

const server = setupMsw();
const answer = (body: unknown, init?: ResponseInit) => http.get(`${PROXY}/v1/preflight`, () => HttpResponse.json(body as object, init));

describe('PreflightPanel', () => {
  it('shows each requirement by group with its state in words, and the fix under every unmet one', async () => {
    server.use(answer(preflightAnswer));
    render(<PreflightPanel />);
    const agents = await screen.findByRole('rowgroup', { name: 'Agents and clusters' });
    const legacy = within(agents)
      .getAllByRole('row')
      .find((r) => r.textContent?.includes('Kubernetes 1.15.12'))!;
    expect(within(legacy).getByText('Unmet')).toBeInTheDocument();
    expect(legacy).toHaveTextContent('The cluster runs Kubernetes 1.16 or later');
    expect(legacy).toHaveTextContent('Fix: upgrade cluster legacy-onprem to Kubernetes 1.16 or later');
    const hub = within(screen.getByRole('rowgroup', { name: 'Network from the bridge' }))
      .getAllByRole('row')
      .find((r) => r.textContent?.includes('Agent Hub') && r.textContent.includes('ECONNREFUSED'))!;
    expect(within(hub).getByText('Unmet')).toBeInTheDocument();
    expect(hub).toHaveTextContent('Fix: open egress from the bridge pod to 127.0.0.1:1');
    expect(screen.getByText(/^6 unmet, 17 met, 9 not checked\./)).toBeInTheDocument();
    // Every unmet row carries its fix.
    const unmet = screen.getAllByText('Unmet').map((l) => l.closest('tr')!);
    expect(unmet).toHaveLength(6);
    for (const row of unmet) expect(row).toHaveTextContent('Fix: ');
  });

  it('shows a spinner while the bridge checks', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    server.use(
      http.get(`${PROXY}/v1/preflight`, async () => {
        await held;
        return HttpResponse.json(preflightAnswer);
      }),
    );
    render(<PreflightPanel />);
    expect(await screen.findByRole('status')).toHaveTextContent('Checking CD-as-a-Service requirements…');
    release();
    expect(await screen.findByRole('table')).toBeInTheDocument();
  });

  it('words a failed request through readErrors, and checks again on request', async () => {
    server.use(http.get(`${PROXY}/v1/preflight`, () => new HttpResponse('Bad Gateway', { status: 502 }), { once: true }), answer(preflightAnswer));
    render(<PreflightPanel />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("The CDaaS bridge is not reachable through Gate's proxy `cdaas` (HTTP 502); ask your Spinnaker admin.");
    await userEvent.click(within(alert).getByRole('button', { name: 'Check again' }));
    expect(await screen.findByRole('table')).toBeInTheDocument();
  });

  it('keeps the readable rows when one row is not, naming the skipped one', async () => {
    const checks = [...preflightAnswer.checks];
    checks[1] = { ...checks[1], state: 'maybe' } as unknown as (typeof checks)[number];
    server.use(answer({ ...preflightAnswer, checks }));
    render(<PreflightPanel />);
    const region = await screen.findByRole('region', { name: 'Requirements that could not be read' });
    expect(region).toHaveTextContent(/^Requirement entry 2 was skipped: state: /);
    expect(screen.getAllByRole('row').length).toBeGreaterThan(20);
    expect(screen.getByText(/^6 unmet, 16 met, 9 not checked\./)).toBeInTheDocument();
  });

  it('says so when the bridge reports no requirements', async () => {
    server.use(answer({ ...preflightAnswer, checks: [], summary: { pass: 0, warn: 0, fail: 0, skip: 0 } }));
    render(<PreflightPanel />);
    expect(await screen.findByText(/^The bridge reported no requirements\./)).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('uses the client given through context', async () => {
    const api: PreflightApi = {
      loadPreflight: vi.fn(async () => ({
        answer: { ...preflightAnswer, checks: preflightAnswer.checks.filter((c) => c.group === 'token'), summary: { pass: 2, warn: 0, fail: 1, skip: 0 } },
        errors: [],
      })),
    };
    render(
      <PreflightApiProvider api={api}>
        <PreflightPanel />
      </PreflightApiProvider>,
    );
    expect(await screen.findByRole('rowgroup', { name: 'Credentials' })).toHaveTextContent('Fix: grant read:infrastructure:data to credential cdaas-emulator-sandbox');
    expect(api.loadPreflight).toHaveBeenCalledTimes(1);
  });
});
