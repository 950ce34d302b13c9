/**
 * Steps the Deploy stage's end-to-end tests share: adding the stage in the open pipeline editor
 * and targeting the sandbox's `staging` agent (listed from the emulator through the bridge and
 * Gate's cdaas proxy). Apart from browser.ts, which the bench imports outside vitest.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

import { pickStageType } from './browser';

export async function addDeployStageOnStaging(page: Page, namespace = 'potato-facts'): Promise<void> {
  await page.getByRole('button', { name: /add stage/i }).click();
  await pickStageType(page, 'CD-as-a-Service Deploy');
  const account = page.getByLabel(/^account/i);
  await expect.poll(async () => (await account.locator('option').allTextContents()).join(','), { timeout: 15_000 }).toContain('staging');
  await account.selectOption('staging');
  await page.getByLabel(/^namespace/i).fill(namespace);
}
