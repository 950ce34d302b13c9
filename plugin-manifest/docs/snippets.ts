/**
 * The configuration snippets of the admin guide, built from package.json and the contracts so they
 * never disagree with the code. The same strings are written to docs/examples/ and checked by
 * `check-config` in the tests.
 */
import { stringify } from 'yaml';

import { READ_PROXY_ID } from '@cdaas/contract/read';
import { DEFAULT_BRIDGE_URL, defaultReadUrl } from '../core/bridgeDefaults';
import { type PluginInfo, rawManifestUrl, repositoryId } from '../core/pluginInfo';

export interface Snippets {
  spinnakerLocal: string;
  gateLocal: string;
  settingsLocal: string;
  orcaAllowedRequests: string;
  orcaClusterLocal: string;
  spinnakerService: string;
  halyard: string;
}

const yaml = (value: unknown) => stringify(value, { lineWidth: 0 });

export function repositoryConfig(info: PluginInfo) {
  return { spinnaker: { extensibility: { repositories: { [repositoryId(info)]: { url: rawManifestUrl(info, 'plugins.json') } } } } };
}

export function gateConfig(info: PluginInfo) {
  return {
    spinnaker: {
      extensibility: {
        'deck-proxy': { enabled: true, plugins: { [info.id]: { enabled: true, version: info.version } } },
      },
    },
    // No `methods:`: Gate accepts it but never checks it; the read listener refuses all but GET and its two approval POSTs itself.
    proxies: [{ id: READ_PROXY_ID, uri: defaultReadUrl() }],
  };
}

export function settingsLocal(): string {
  return `// The bridge's deploy listener, as Orca reaches it. Deck writes it into every CD-as-a-Service stage.
window.spinnakerSettings.cdaas = {
  bridgeUrl: '${DEFAULT_BRIDGE_URL}',
};
`;
}

export function orcaAllowedRequests() {
  return { webhook: { allowedRequestsEnabled: true, allowedRequests: [{ httpMethods: ['POST', 'GET'], urlPrefix: `${new URL(DEFAULT_BRIDGE_URL).origin}/` }] } };
}

export function orcaClusterLocal() {
  return { 'user-configured-url-restrictions': { excludedDomains: ['spinnaker', 'localdomain', 'internal'] } };
}

/** Keeps `version: "0.1.0"` quoted: unquoted, YAML reads 1.10 as the number 1.1. */
function quoteVersions(text: string): string {
  return text.replace(/^(\s*version: )([^"\n]+)$/gm, '$1"$2"');
}

export function snippets(info: PluginInfo): Snippets {
  const spinnakerLocal = yaml(repositoryConfig(info));
  const gateLocal = quoteVersions(yaml(gateConfig(info)));
  const service = quoteVersions(
    yaml({
      apiVersion: 'spinnaker.io/v1alpha2',
      kind: 'SpinnakerService',
      metadata: { name: 'spinnaker' },
      spec: {
        spinnakerConfig: {
          profiles: {
            spinnaker: repositoryConfig(info),
            gate: gateConfig(info),
            deck: { 'settings-local.js': settingsLocal() },
          },
        },
      },
    }),
  );
  const halyard = `hal plugins repository add ${repositoryId(info)} \\
  --url=${rawManifestUrl(info, 'plugins.json')}
# Gate: ~/.hal/default/profiles/gate-local.yml holds the gate-local.yml above
# Deck: ~/.hal/default/profiles/settings-local.js holds the settings-local.js above
# Orca: ~/.hal/default/profiles/orca-local.yml, only if you need one of the Orca settings below
hal deploy apply
`;
  return {
    spinnakerLocal,
    gateLocal,
    settingsLocal: settingsLocal(),
    orcaAllowedRequests: yaml(orcaAllowedRequests()),
    orcaClusterLocal: yaml(orcaClusterLocal()),
    spinnakerService: service,
    halyard,
  };
}

/** docs/examples/<file>: ready-to-copy files, the same text as the guide shows. */
export function exampleFiles(info: PluginInfo): Record<string, string> {
  const s = snippets(info);
  return {
    'spinnaker-local.yml': s.spinnakerLocal,
    'gate-local.yml': s.gateLocal,
    'settings-local.js': s.settingsLocal,
    'orca-local.allowed-requests.yml': s.orcaAllowedRequests,
    'orca-local.cluster-local.yml': s.orcaClusterLocal,
    'spinnakerservice.yml': s.spinnakerService,
  };
}
