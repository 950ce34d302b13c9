import { SETTINGS } from '@spinnaker/core';

import type { CdaasDeckSettings } from '../src/settings';

/** Runs `body` with Deck's `cdaas` settings replaced, restoring them after (they are a global). */
export async function withCdaasSettings(cdaas: CdaasDeckSettings, body: () => Promise<void>): Promise<void> {
  const settings = SETTINGS as unknown as { cdaas?: CdaasDeckSettings };
  const before = settings.cdaas;
  settings.cdaas = cdaas;
  try {
    await body();
  } finally {
    settings.cdaas = before;
  }
}
