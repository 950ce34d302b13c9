/**
 * The Kubernetes manifests stay consistent with the bridge: the ConfigMap's config loads, ports and
 * probe paths are the ones the bridge serves, and the properties the design relies on (two
 * replicas, ClientIP affinity, Orca-only deploy port, Gate-only read port, non-root) hold.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseAllDocuments } from 'yaml';

import { DEFAULT_BRIDGE_URL } from '@cdaas/contract/deploy';
import { loadPluginInfo, rawManifestUrl } from '@cdaas/plugin-manifest/pluginInfo';
import { loadConfig, orcaUrlRestrictionWarnings } from '../src/config/config';

type Doc = Record<string, any>;
const dir = 'bridge/deploy/k8s';
const load = (f: string): Doc[] => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Doc);

describe('bridge/deploy/k8s', () => {
  const [deployment] = load('deployment.yaml');
  const [service] = load('service.yaml');
  const policies = load('networkpolicy.yaml');
  const [configMap] = load('configmap.yaml');
  const container = deployment.spec.template.spec.containers[0];

  it('ships a config that loads, whose ports and public URL match the Service and Deck’s default', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'bridge-k8s-'));
    writeFileSync(join(tmp, 'config.yml'), configMap.data['config.yml']);
    const config = loadConfig({ CDAAS_CLIENT_ID: 'id', CDAAS_CLIENT_SECRET: 'x' }, join(tmp, 'config.yml'));
    expect([config.read.port, config.deploy.port]).toEqual([7001, 7002]);
    expect(config.deploy.publicBaseUrl).toBe(DEFAULT_BRIDGE_URL);
    expect(orcaUrlRestrictionWarnings(config.deploy.publicBaseUrl as string)).toEqual([]);
    expect(service.spec.ports.map((p: Doc) => [p.name, p.port])).toEqual([['read', 7001], ['deploy', 7002]]);
    expect(container.ports.map((p: Doc) => [p.name, p.containerPort])).toEqual([['read', 7001], ['deploy', 7002]]);
    // Preflight in the image verifies this plugin's published release: the one package.json defines.
    const info = loadPluginInfo();
    expect(config.preflight.pluginId).toBe(info.id);
    expect(config.preflight.pluginRepositoryUrl).toBe(rawManifestUrl(info, 'repositories.json'));
  });

  it('runs two non-root replicas with probes on /readyz and /healthz and the secret as a file', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.resources.limits.memory).toBeDefined();
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    const env = Object.fromEntries(container.env.map((e: Doc) => [e.name, e]));
    expect(env.CDAAS_CLIENT_SECRET).toBeUndefined();
    expect(env.CDAAS_CLIENT_SECRET_FILE.value).toBe('/var/run/secrets/cdaas/client-secret');
  });

  it('pins Orca’s retries to one replica with ClientIP session affinity', () => {
    expect(service.spec.sessionAffinity).toBe('ClientIP');
  });

  it('lets only Orca reach 7002 and only Gate reach 7001', () => {
    const byPort = new Map<number, Doc[]>();
    for (const p of policies) for (const rule of p.spec.ingress) for (const port of rule.ports ?? []) byPort.set(port.port, rule.from);
    expect(byPort.get(7002)).toEqual([{ podSelector: { matchLabels: { app: 'spin', cluster: 'spin-orca' } } }]);
    expect(byPort.get(7001)).toEqual([{ podSelector: { matchLabels: { app: 'spin', cluster: 'spin-gate' } } }]);
    expect(policies.find((p) => p.metadata.name === 'cdaas-bridge-default-deny')?.spec.ingress).toEqual([]);
  });
});
