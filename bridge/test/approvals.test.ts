/**
 * Approve / roll back through the read listener, as Gate's proxy calls it, against the emulator and
 * the sandbox's Fiat stand-in, all over real loopback sockets: every refusal, idempotency, the audit
 * and its metrics, and the read listener's method rules.
 */
import { request } from 'node:http';

import * as v from 'valibot';

import { approvalAnswerSchema, approvalRefusalSchema, approvalRoutes, approvalsAnswerSchema } from '@cdaas/contract/approvals';
import { startAnswerSchema } from '@cdaas/contract/deploy';
import { upstreamRoutes } from '../src/cdaas/upstream';
import { waitFor } from '../../test/support/waitFor';
import { type FiatHandle, startFiat } from '../../sandbox/fiat/server';
import { type Harness, canaryDeployment, deployRequest, getJson, postJson, startHarness } from './harness';

const ALLOWED = 'alice@example.com';
const DENIED = 'bob@example.com';

let fiat: FiatHandle;
let h: Harness;
beforeAll(async () => {
  fiat = await startFiat({ permissions: { [ALLOWED]: { payments: ['READ', 'EXECUTE'] }, [DENIED]: { payments: ['READ'] } } });
  // A Fiat cache long enough that a test can count Fiat calls.
  h = await startHarness({}, { BRIDGE_APPROVALS_FIAT_URL: fiat.url, BRIDGE_APPROVALS_FIAT_CACHE_TTL_MS: '60000' });
  await waitFor(async () => ((await getJson(`${h.bridge.readUrl}/readyz`)).status === 200 ? true : undefined), 'readiness');
});
afterAll(async () => {
  await h?.close();
  await fiat?.close();
});
afterEach(() => {
  fiat.down = false;
});

let execSeq = 0;
/** Starts a canary through the deploy listener and waits for its approval pause. */
async function pausedDeployment(harness: Harness = h) {
  const exec = `01JAPPROVALS00000000000${String(++execSeq).padStart(3, '0')}`;
  // A CDaaS application of its own each: CDaaS refuses a second deployment of one while it is paused.
  const deployment = canaryDeployment(`payments-approvals-${execSeq}`);
  const start = await postJson(`${harness.bridge.deployUrl}/v1/executions/${exec}/stages/1/deployment`, deployRequest(exec, '1', { deployment }));
  expect(start.status).toBe(202);
  const { pipelineId, statusUrl } = v.parse(startAnswerSchema, start.body);
  const status = await waitFor(async () => {
    const s = await getJson(statusUrl);
    return s.body.status === 'AWAITING_APPROVAL' ? s.body : undefined;
  }, 'the approval pause');
  const stepRef = (status.steps as Array<{ ref: string; awaitingApproval: boolean }>).find((s) => s.awaitingApproval)!.ref;
  return { exec, pipelineId, stepRef, statusUrl, body: { application: 'payments', executionId: exec, stageRefId: '1' } };
}

const act = (harness: Harness, action: 'approve' | 'rollback', pipelineId: string, stepRef: string, body: unknown, user?: string) =>
  postJson(harness.bridge.readUrl + approvalRoutes[action].path({ pipelineId, stepRef }), body, user === undefined ? {} : { 'X-SPINNAKER-USER': user });

/** GET approvals for a deployment, as the details view asks. */
const list = (d: { pipelineId: string; body: Record<string, string> }, user?: string, over: Record<string, string> = {}) =>
  getJson(`${h.bridge.readUrl}${approvalRoutes.approvals.path({ pipelineId: d.pipelineId })}?${new URLSearchParams({ ...d.body, ...over })}`, { headers: user ? { 'X-SPINNAKER-USER': user } : {} });

const refusal = (answer: { status: number; body: unknown }) => ({ status: answer.status, reason: v.parse(approvalRefusalSchema, answer.body).reason });
const approveCalls = (pipelineId: string, stepRef: string) => h.emu.stats.requestsByPath.get(upstreamRoutes.approveStep.path({ id: pipelineId, ref: stepRef })) ?? 0;

describe('approvals with Fiat', () => {
  it('approves as a user Fiat lets EXECUTE the application; the canary goes on, the audit names the approver', async () => {
    const d = await pausedDeployment();
    const answer = await act(h, 'approve', d.pipelineId, d.stepRef, d.body, ALLOWED);
    expect(answer.status).toBe(200);
    expect(v.parse(approvalAnswerSchema, answer.body)).toMatchObject({ pipelineId: d.pipelineId, stepRef: d.stepRef, action: 'approve', user: ALLOWED, repeated: false });
    await waitFor(async () => ((await getJson(d.statusUrl)).body.status === 'SUCCEEDED' ? true : undefined), 'success');

    const listed = await list(d, ALLOWED);
    expect(listed.status).toBe(200);
    const view = v.parse(approvalsAnswerSchema, listed.body);
    expect(view.permission).toEqual({ allowed: true });
    expect(view.audit).toEqual([expect.objectContaining({ user: ALLOWED, action: 'approve', result: 'approved', application: 'payments', executionId: d.exec, stageRefId: '1', pipelineId: d.pipelineId, stepRef: d.stepRef })]);

    const metrics = await (await fetch(`${h.bridge.readUrl}/metrics`)).text();
    expect(metrics).toMatch(/cdaas_bridge_approval_attempts_total\{action="approve",result="approved",reason="none"\} [1-9]/);
    const logged = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'approval attempt carried out');
    expect(logged).toContainEqual(expect.objectContaining({ user: ALLOWED, application: 'payments', executionId: d.exec, stageRefId: '1', pipelineId: d.pipelineId, stepRef: d.stepRef, result: 'approved' }));
  });

  it('rolls back: the pipeline ends REJECTED as CD-as-a-Service reports it', async () => {
    const d = await pausedDeployment();
    const answer = await act(h, 'rollback', d.pipelineId, d.stepRef, d.body, ALLOWED);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ action: 'rollback', user: ALLOWED });
    const ended = await getJson(d.statusUrl);
    expect(ended.body.status).toBe('REJECTED');
    // And nothing can approve it afterwards.
    expect(refusal(await act(h, 'approve', d.pipelineId, d.stepRef, d.body, ALLOWED))).toEqual({ status: 409, reason: 'notAwaitingApproval' });
  });

  it.each([
    ['no X-SPINNAKER-USER (Gate older than 1.31)', undefined, 403, 'noUser'],
    ['the anonymous user', 'anonymous', 403, 'anonymous'],
    ['a user without EXECUTE', DENIED, 403, 'notPermitted'],
    ['a user Fiat does not know', 'mallory@example.com', 403, 'notPermitted'],
  ])('refuses %s, audits and counts it, and leaves the step waiting', async (_what, user, status, reason) => {
    const d = await pausedDeployment();
    expect(refusal(await act(h, 'approve', d.pipelineId, d.stepRef, d.body, user))).toEqual({ status, reason });
    expect(approveCalls(d.pipelineId, d.stepRef)).toBe(0);
    expect((await getJson(d.statusUrl)).body.status).toBe('AWAITING_APPROVAL');
    const listed = v.parse(approvalsAnswerSchema, (await list(d, user)).body);
    expect(listed.permission).toMatchObject({ allowed: false, reason });
    expect(listed.audit).toEqual([expect.objectContaining({ result: 'refused', reason, ...(user ? { user } : {}) })]);
    const metrics = await (await fetch(`${h.bridge.readUrl}/metrics`)).text();
    expect(metrics).toContain(`cdaas_bridge_approval_attempts_total{action="approve",result="refused",reason="${reason}"}`);
  });

  it('refuses when Fiat is down, with the reason, never allowing', async () => {
    const d = await pausedDeployment();
    fiat.down = true;
    // A user not asked before: nothing cached can answer for Fiat.
    const answer = await act(h, 'approve', d.pipelineId, d.stepRef, d.body, 'carol@example.com');
    expect(refusal(answer)).toEqual({ status: 403, reason: 'fiatUnavailable' });
    expect((answer.body as { error: string }).error).toMatch(/could not confirm.*HTTP 503/);
    expect(approveCalls(d.pipelineId, d.stepRef)).toBe(0);
  });

  it("refuses another application's deployment, or another execution's, as unknown", async () => {
    const d = await pausedDeployment();
    for (const body of [
      { ...d.body, application: 'checkout' },
      { ...d.body, executionId: '01JOTHEREXECUTION000000000' },
      { ...d.body, stageRefId: '2' },
    ]) {
      expect(refusal(await act(h, 'approve', d.pipelineId, d.stepRef, body, ALLOWED))).toEqual({ status: 404, reason: 'unknownDeployment' });
    }
    // A pipeline id this bridge never started.
    expect(refusal(await act(h, 'approve', 'a3c7b2d9-0000-4000-8000-000000000000', d.stepRef, d.body, ALLOWED))).toEqual({ status: 404, reason: 'unknownDeployment' });
    // Reading says nobody may act there, and shows no audit of the other application.
    await act(h, 'approve', d.pipelineId, d.stepRef, d.body, DENIED);
    for (const over of [{ application: 'checkout' }, { executionId: '01JOTHEREXECUTION000000000' }] as Record<string, string>[]) {
      const other = await list(d, ALLOWED, over);
      expect(other.status).toBe(200);
      expect(v.parse(approvalsAnswerSchema, other.body)).toMatchObject({ permission: { allowed: false, reason: 'unknownDeployment' }, audit: [] });
    }
    // Its own audit: the three refused guesses and the refused user (the unknown id is audited under that id).
    expect(v.parse(approvalsAnswerSchema, (await list(d, ALLOWED)).body).audit.map((e) => e.reason)).toEqual(['unknownDeployment', 'unknownDeployment', 'unknownDeployment', 'notPermitted']);
    const noStage = await getJson(`${h.bridge.readUrl}${approvalRoutes.approvals.path({ pipelineId: d.pipelineId })}?application=payments&executionId=${d.exec}`);
    expect(noStage).toMatchObject({ status: 400, body: { field: 'stageRefId' } });
    expect(approveCalls(d.pipelineId, d.stepRef)).toBe(0);
  });

  it('names the field of a bad body', async () => {
    const d = await pausedDeployment();
    const answer = await act(h, 'approve', d.pipelineId, d.stepRef, { application: 'payments', executionId: d.exec }, ALLOWED);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ field: 'stageRefId' });
  });

  it('is idempotent: a double click makes one upstream call, later repeats answer without calling, the other action conflicts', async () => {
    const d = await pausedDeployment();
    const fiatBefore = fiat.requests.length;
    const answers = await Promise.all([1, 2, 3].map(() => act(h, 'approve', d.pipelineId, d.stepRef, d.body, ALLOWED)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => (a.body as { repeated: boolean }).repeated).sort()).toEqual([false, true, true]);
    expect(approveCalls(d.pipelineId, d.stepRef)).toBe(1);
    // Fiat's answer was cached from the first test for this user: no new question.
    expect(fiat.requests.length).toBe(fiatBefore);

    const later = await act(h, 'approve', d.pipelineId, d.stepRef, d.body, ALLOWED);
    expect(later.body).toMatchObject({ repeated: true, user: ALLOWED });
    expect(refusal(await act(h, 'rollback', d.pipelineId, d.stepRef, d.body, ALLOWED))).toEqual({ status: 409, reason: 'notAwaitingApproval' });
    expect(approveCalls(d.pipelineId, d.stepRef)).toBe(1);
  });

  it('answers a step that moved on (not awaiting) with 409 and no upstream call', async () => {
    const d = await pausedDeployment();
    // The first step (25 %) already succeeded.
    const first = 'prod-1';
    expect(refusal(await act(h, 'approve', d.pipelineId, first, d.body, ALLOWED))).toEqual({ status: 409, reason: 'notAwaitingApproval' });
    expect(approveCalls(d.pipelineId, first)).toBe(0);
  });
});

describe('approvals without Fiat', () => {
  it('are off by default', async () => {
    const off = await startHarness({}, {}, {}, h.emu);
    try {
      const d = await pausedDeployment(off);
      expect(refusal(await act(off, 'approve', d.pipelineId, d.stepRef, d.body, ALLOWED))).toEqual({ status: 403, reason: 'approvalsDisabled' });
    } finally {
      await off.close();
    }
  });

  it('follow the admin list of users', async () => {
    const listed = await startHarness({}, { BRIDGE_APPROVALS_WITHOUT_FIAT: 'allowList', BRIDGE_APPROVALS_ALLOWED_USERS: `${ALLOWED}, dave@example.com` }, {}, h.emu);
    try {
      const d = await pausedDeployment(listed);
      expect(refusal(await act(listed, 'approve', d.pipelineId, d.stepRef, d.body, DENIED))).toEqual({ status: 403, reason: 'notPermitted' });
      expect((await act(listed, 'approve', d.pipelineId, d.stepRef, d.body, ALLOWED.toUpperCase())).status).toBe(200);
    } finally {
      await listed.close();
    }
  });
});

function raw(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const u = new URL(baseUrl);
  return new Promise<{ status: number; allow?: string }>((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the read listener stays GET-only but for the two approval POSTs', () => {
  it.each(['PUT', 'PATCH', 'DELETE'])('refuses %s on an approval path', async (method) => {
    expect((await raw(h.bridge.readUrl, method, '/v1/deployments/p1/steps/s1/approve')).status).toBe(405);
  });

  it('refuses a POST anywhere else, and a GET on an approval path', async () => {
    for (const path of ['/v1/agents', '/v1/deployments/p1', '/v1/deployments/p1/approvals', '/v1/deployments/p1/steps/s1/cancel']) {
      expect((await raw(h.bridge.readUrl, 'POST', path, { 'content-type': 'application/json' }, '{}')).status, path).toBe(405);
    }
    const get = await raw(h.bridge.readUrl, 'GET', '/v1/deployments/p1/steps/s1/approve');
    expect(get).toEqual({ status: 405, allow: 'POST' });
  });

  it('refuses a POST without a JSON Content-Type (Gate sends a body only with one)', async () => {
    expect((await raw(h.bridge.readUrl, 'POST', '/v1/deployments/p1/steps/s1/approve', { 'X-SPINNAKER-USER': ALLOWED }, '{}')).status).toBe(415);
  });
});
