import { SETTINGS } from '@spinnaker/core';

import { DEFAULT_BRIDGE_URL } from '@cdaas/contract/deploy';
import { checkOrcaUrl, ORCA_DEFAULT_RULES } from '@cdaas/contract/orcaUrlRules';

/** Deck settings this plugin reads (settings.js / settings-local.js: `window.spinnakerSettings.cdaas`). */
export interface CdaasDeckSettings {
  /** The bridge's deploy listener, as Orca reaches it. Saved into each stage's webhook URLs. */
  bridgeUrl?: string;
  /**
   * False where the Orca that runs the stages does not apply its default webhook URL rules (the
   * sandbox's runner): the forms then note a refused bridge URL in one line instead of warning.
   */
  orcaUrlRulesApply?: boolean;
}

export function cdaasSettings(): CdaasDeckSettings {
  const raw = (SETTINGS as unknown as { cdaas?: CdaasDeckSettings }).cdaas;
  return raw ?? {};
}

export function bridgeUrl(): string {
  return cdaasSettings().bridgeUrl?.trim() || DEFAULT_BRIDGE_URL;
}

/**
 * Why Orca would refuse (or never reach) this bridge URL with its default webhook URL restrictions,
 * so the stage form can tell the admin before a pipeline runs. Empty when nothing is known wrong.
 */
export function bridgeUrlProblems(url: string): string[] {
  const verdict = checkOrcaUrl(url, ORCA_DEFAULT_RULES);
  if (verdict.ok) return [];
  if (verdict.rule === 'url') {
    return [`Deck setting cdaas.bridgeUrl "${url}" is not an absolute URL (e.g. http://cdaas-bridge.spinnaker.svc:7002).`];
  }
  if (verdict.rule === 'scheme') return [`Deck setting cdaas.bridgeUrl "${url}" must use http or https.`];
  return [
    `Orca may refuse the bridge URL ${url} (Deck setting cdaas.bridgeUrl) when the stage runs: its host ${verdict.reason}, ` +
      `unless Orca's user-configured-url-restrictions allow it.`,
  ];
}
