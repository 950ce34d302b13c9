import { SETTINGS } from '@spinnaker/core';

import { DEFAULT_BRIDGE_URL } from './contract/deploy';

/** Deck settings this plugin reads (settings.js / settings-local.js: `window.spinnakerSettings.cdaas`). */
export interface CdaasDeckSettings {
  /** The bridge's deploy listener, as Orca reaches it. Saved into each stage's webhook URLs. */
  bridgeUrl?: string;
}

export function cdaasSettings(): CdaasDeckSettings {
  const raw = (SETTINGS as unknown as { cdaas?: CdaasDeckSettings }).cdaas;
  return raw ?? {};
}

export function bridgeUrl(): string {
  return cdaasSettings().bridgeUrl?.trim() || DEFAULT_BRIDGE_URL;
}
