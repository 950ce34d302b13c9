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

/** Domains Orca refuses in webhook URLs by default (`user-configured-url-restrictions.excludedDomains`). */
const ORCA_EXCLUDED_DOMAINS = ['spinnaker', 'local', 'localdomain', 'internal'];

/**
 * Why Orca would refuse (or never reach) this bridge URL with its default webhook URL restrictions,
 * so the stage form can tell the admin before a pipeline runs. Empty when nothing is known wrong.
 */
export function bridgeUrlProblems(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [`Deck setting cdaas.bridgeUrl "${url}" is not an absolute URL (e.g. http://cdaas-bridge.spinnaker.svc:7002).`];
  }
  if (!/^https?:$/.test(parsed.protocol)) {
    return [`Deck setting cdaas.bridgeUrl "${url}" must use http or https.`];
  }
  const host = parsed.hostname.toLowerCase();
  const why =
    host === 'localhost'
      ? 'is localhost'
      : /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[')
      ? 'is an IP address'
      : !host.includes('.')
      ? 'has no dot in its name'
      : ORCA_EXCLUDED_DOMAINS.find((d) => host.endsWith(`.${d}`))
      ? `ends with .${ORCA_EXCLUDED_DOMAINS.find((d) => host.endsWith(`.${d}`))}`
      : undefined;
  return why
    ? [
        `Orca refuses webhook URLs whose host ${why} unless its user-configured-url-restrictions allow it: ` +
          `the bridge URL ${url} (Deck setting cdaas.bridgeUrl) may be refused when the stage runs.`,
      ]
    : [];
}
