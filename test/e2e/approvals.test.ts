// Approve and roll back a paused CD-as-a-Service step from the execution details in the real Deck
// UI, as the signed-in Spinnaker user: Gate's proxy names the user (X-SPINNAKER-USER), the bridge
// asks the Fiat stand-in whether that user may EXECUTE the demo application, the emulator acts.
import type { Page } from 'playwright-core';

import { SANDBOX_USERS } from '../../sandbox/fiat/server';
import { DEMO_APP, demoCdaasPipeline } from '../../sandbox/gate/fixtures';
import { signInUrl } from '../../sandbox/start';
import { screenshot } from './browser';
import { type E2E, E2E_TEST_TIMEOUT_MS, useE2E, withScreenshot } from './harness';

let e2e: E2E;
useE2E((started) => (e2e = started));

let configs = 0;
/** A one-stage canary pipeline (25 %, wait for approval, 100 %) Deck can start. */
function addPipeline(name: string): void {
  e2e.sandbox.gate.pipelineConfigs.push(demoCdaasPipeline(e2e.sandbox.urls.bridgeDeploy!, name, `e2e-approvals-${++configs}`));
}

/** Starts the pipeline from Deck, opens its stage details, and waits for the approval pause. */
async function runToApproval(page: Page, name: string) {
  // Signing in lands here already: a second navigation would supersede Deck's own transition.
  if (!page.url().endsWith('/executions')) await page.goto(e2e.sandbox.urls.executions);
  await page.locator('.execution-group').filter({ hasText: name }).getByText('Start Manual Execution').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Run' }).click();
  await expect.poll(() => [...e2e.sandbox.gate.executions.values()].some((e) => e.name === name), { timeout: 10_000 }).toBe(true);
  const execution = [...e2e.sandbox.gate.executions.values()].find((e) => e.name === name)!;
  await page.goto(`${e2e.sandbox.urls.deck}/#/applications/${DEMO_APP}/executions/details/${execution.id}?stage=0&step=0`);
  const waiting = page.getByRole('group', { name: /waiting for approval/ });
  await waiting.waitFor({ timeout: 30_000 });
  return { execution, waiting };
}

async function signIn(page: Page, user: string, next = e2e.sandbox.urls.executions): Promise<void> {
  // Gate's /auth/user decides who Deck thinks is signed in; a fresh load of Deck asks again. Going
  // straight to `next` (no second navigation) keeps Deck's router from superseding its transition.
  await page.goto(signInUrl({ ...e2e.sandbox.urls, executions: next }, user));
  await page.waitForURL(/#\/applications\//, { timeout: 15_000 });
  expect(e2e.sandbox.gate.user).toBe(user);
}

test('the allowed user approves the pause in the execution details; the canary goes on to SUCCEEDED with the approver named', async () => {
  const name = 'Approve from Deck';
  addPipeline(name);
  const w = await e2e.page();
  await withScreenshot(w, 'approvals-approve', async (page) => {
    await signIn(page, SANDBOX_USERS.allowed);
    const { execution, waiting } = await runToApproval(page, name);
    await waiting.getByRole('button', { name: 'Approve' }).click();
    const confirm = waiting.getByRole('alertdialog', { name: 'Confirm: approve' });
    await confirm.getByRole('button', { name: 'Yes, approve' }).click();
    await expect.poll(() => execution.status, { timeout: 30_000 }).toBe('SUCCEEDED');
    // Kept after the run: who approved, from the bridge's audit.
    const approvals = page.getByRole('region', { name: 'Approvals' });
    await expect.poll(() => approvals.getByText(new RegExp(`approved by ${SANDBOX_USERS.allowed} at`)).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('Status: SUCCEEDED').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await screenshot(page, 'approvals-approved');
  });
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);

test('another user sees why they may not act; the allowed user rolls the run back and the stage ends as CD-as-a-Service reports', async () => {
  const name = 'Roll back from Deck';
  addPipeline(name);
  const w = await e2e.page();
  await withScreenshot(w, 'approvals-refused-rollback', async (page) => {
    await signIn(page, SANDBOX_USERS.denied);
    const { execution, waiting } = await runToApproval(page, name);
    const why = waiting.getByRole('note');
    await expect.poll(() => why.innerText(), { timeout: 15_000 }).toMatch(/do not have permission to approve or roll back in this application/);
    expect(await waiting.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await screenshot(page, 'approvals-not-permitted');

    await signIn(page, SANDBOX_USERS.allowed, `${e2e.sandbox.urls.deck}/#/applications/${DEMO_APP}/executions/details/${execution.id}?stage=0&step=0`);
    const again = page.getByRole('group', { name: /waiting for approval/ });
    await again.getByRole('button', { name: 'Roll back' }).click({ timeout: 30_000 });
    await again.getByRole('alertdialog', { name: 'Confirm: roll back' }).getByRole('button', { name: 'Yes, roll back' }).click();
    // CDaaS reports the rolled-back pipeline REJECTED; Orca's terminalStatuses end the stage TERMINAL.
    await expect.poll(() => execution.status, { timeout: 30_000 }).toBe('TERMINAL');
    await expect.poll(() => page.getByText('Rejected', { exact: true }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const attempts = page.getByRole('table', { name: 'Approval attempts' });
    await expect.poll(() => attempts.innerText(), { timeout: 15_000 }).toMatch(new RegExp(`${SANDBOX_USERS.allowed}[\\s\\S]*Roll back[\\s\\S]*Rolled back`));
    await screenshot(page, 'approvals-rolled-back');
  });
  expect(w.problems).toEqual([]);
}, E2E_TEST_TIMEOUT_MS);
