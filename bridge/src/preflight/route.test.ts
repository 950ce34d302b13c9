/**
 * GET /v1/preflight on the read listener, over real loopback HTTP against the emulator: the answer
 * the contract's schema reads, served from a short cache, and never a secret or token in it.
 * Every endpoint it checks is pointed at loopback (nothing here reaches a real host).
 */
import * as v from 'valibot';

import { preflightAnswerSchema, preflightRoutes } from '@cdaas/contract/preflight';
import { refusedPort } from '../../test/preflightStandIns';
import { type Harness, getJson, startHarness } from '../../test/harness';

let h: Harness;
let closed: number;
beforeAll(async () => {
  closed = await refusedPort();
  const nowhere = `http://127.0.0.1:${closed}`;
  h = await startHarness({}, {
    CDAAS_AGENT_HUB_URL: nowhere,
    PREFLIGHT_GITHUB_URL: nowhere,
    PREFLIGHT_PLUGIN_REPOSITORY_URL: `${nowhere}/repositories.json`,
    PREFLIGHT_CACHE_TTL_MS: '60000',
  });
});
afterAll(async () => h?.close());

describe('GET /v1/preflight', () => {
  it('answers every group as the contract says, names unmet requirements with fixes, and holds no secret', async () => {
    const res = await getJson(`${h.bridge.readUrl}${preflightRoutes.preflight.path()}`);
    expect(res.status).toBe(200);
    const answer = v.parse(preflightAnswerSchema, res.body);
    expect(new Set(answer.checks.map((c) => c.group))).toEqual(new Set(['network', 'proxy', 'token', 'agents', 'plugin', 'spinnaker']));
    const byId = Object.fromEntries(answer.checks.map((c) => [c.id, c]));
    expect(byId['token:exchange'].state).toBe('pass');
    // The emulator's sandbox client is granted deploying and reading the agents' cache.
    expect(byId['token:scope:infrastructure'].state).toBe('pass');
    expect(byId['agents:legacy-onprem:kubernetes']).toMatchObject({ state: 'fail', detail: 'Kubernetes 1.15.12 is older than 1.16' });
    expect(byId['network:agentHub:tcp']).toMatchObject({ state: 'fail', fix: expect.stringContaining(`open egress from the bridge pod to 127.0.0.1:${closed}`) });
    for (const c of answer.checks.filter((c) => c.state === 'fail')) expect(c.fix, c.id).toBeTruthy();
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(h.secret);
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    expect(h.logs.join('\n')).not.toContain(h.secret);
  });

  it('serves the cached answer within its TTL', async () => {
    const first = await getJson(`${h.bridge.readUrl}/v1/preflight`);
    const second = await getJson(`${h.bridge.readUrl}/v1/preflight`);
    expect(second.body.checkedAt).toBe(first.body.checkedAt);
  });
});
