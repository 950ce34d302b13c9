/**
 * The Kubernetes manifests stay consistent with the bridge: the ConfigMap's config loads, ports and
 * probe paths are the ones the bridge serves, and the properties the design relies on hold for
 * both ways to run it: `bridge/deploy/k8s` (any number of replicas sharing Redis, no session
 * affinity) and `bridge/deploy/k8s/single-replica` (exactly one replica, in-memory state,
 * recreated rather than rolled). Rendered here the way kustomize does for what these files use
 * (resources and JSON 6902 patches), and compared with `kubectl kustomize` where kubectl exists.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse, parseAllDocuments } from 'yaml';

import { DEFAULT_BRIDGE_URL } from '@cdaas/contract/deploy';
import { loadPluginInfo, rawManifestUrl } from '@cdaas/plugin-manifest/pluginInfo';
import { loadConfig, orcaUrlRestrictionWarnings } from '../src/config/config';

type Doc = Record<string, any>;
interface Patch { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown }

function applyPatch(doc: Doc, p: Patch): void {
  const parts = p.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop() as string;
  let cur: any = doc;
  for (const k of parts) {
    if (cur[k] === undefined) throw new Error(`patch path ${p.path}: ${k} missing`);
    cur = cur[k];
  }
  if (Array.isArray(cur)) {
    if (p.op === 'add') cur.splice(last === '-' ? cur.length : Number(last), 0, p.value);
    else if (p.op === 'replace') cur[Number(last)] = p.value;
    else cur.splice(Number(last), 1);
    return;
  }
  if (p.op === 'remove') {
    if (!(last in cur)) throw new Error(`patch path ${p.path}: nothing to remove`);
    delete cur[last];
  } else if (p.op === 'replace' && !(last in cur)) throw new Error(`patch path ${p.path}: nothing to replace`);
  else cur[last] = p.value;
}

/** What kustomize builds from `dir` (resources, namespace, JSON 6902 patches). */
function render(dir: string): Doc[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Doc;
  const docs: Doc[] = [];
  for (const r of k.resources as string[]) {
    const path = join(dir, r);
    if (existsSync(join(path, 'kustomization.yaml'))) docs.push(...render(path));
    // YAML 1.1, as Kubernetes reads manifests: `defaultMode: 0400` is octal there (256), decimal in 1.2.
    else docs.push(...parseAllDocuments(readFileSync(path, 'utf8'), { version: '1.1' }).map((d) => d.toJS() as Doc));
  }
  if (k.namespace) for (const d of docs) d.metadata.namespace = k.namespace;
  for (const p of (k.patches ?? []) as { target: { kind: string; name: string }; patch: string }[]) {
    const targets = docs.filter((d) => d.kind === p.target.kind && d.metadata.name === p.target.name);
    expect(targets, `${dir}: patch target ${p.target.kind}/${p.target.name}`).toHaveLength(1);
    for (const op of parse(p.patch) as Patch[]) applyPatch(targets[0], op);
  }
  return docs;
}

const variants = {
  'bridge/deploy/k8s': render('bridge/deploy/k8s'),
  'bridge/deploy/k8s/single-replica': render('bridge/deploy/k8s/single-replica'),
};
const one = (docs: Doc[], kind: string) => docs.filter((d) => d.kind === kind);

/** The bridge's config as the pod sees it: the ConfigMap's file, overlaid by the container's env. */
function podConfig(docs: Doc[]) {
  const [configMap] = one(docs, 'ConfigMap');
  const [deployment] = one(docs, 'Deployment');
  const tmp = mkdtempSync(join(tmpdir(), 'bridge-k8s-'));
  writeFileSync(join(tmp, 'config.yml'), configMap.data['config.yml']);
  const env: Record<string, string> = { CDAAS_CLIENT_ID: 'id', CDAAS_CLIENT_SECRET: 'x' };
  for (const e of deployment.spec.template.spec.containers[0].env as Doc[]) if (typeof e.value === 'string' && e.name !== 'CDAAS_CLIENT_SECRET_FILE' && e.name !== 'BRIDGE_CONFIG_FILE') env[e.name] = e.value;
  return loadConfig(env, join(tmp, 'config.yml'));
}

describe.each(Object.entries(variants))('%s', (_dir, docs) => {
  const [deployment] = one(docs, 'Deployment');
  const [service] = one(docs, 'Service');
  const policies = one(docs, 'NetworkPolicy');
  const container = deployment.spec.template.spec.containers[0];

  it('ships a config that loads, whose ports and public URL match the Service and Deck’s default', () => {
    const config = podConfig(docs);
    expect([config.read.port, config.deploy.port]).toEqual([7001, 7002]);
    expect(config.deploy.publicBaseUrl).toBe(DEFAULT_BRIDGE_URL);
    expect(orcaUrlRestrictionWarnings(config.deploy.publicBaseUrl as string)).toEqual([]);
    expect(service.spec.ports.map((p: Doc) => [p.name, p.port])).toEqual([['read', 7001], ['deploy', 7002]]);
    expect(container.ports.map((p: Doc) => [p.name, p.containerPort])).toEqual([['read', 7001], ['deploy', 7002]]);
    // Preflight in the image verifies this plugin's published release: the one package.json defines.
    const info = loadPluginInfo();
    expect(config.preflight.pluginId).toBe(info.id);
    expect(config.preflight.pluginRepositoryUrl).toBe(rawManifestUrl(info, 'repositories.json'));
    expect(docs.every((d) => d.metadata.namespace === 'spinnaker')).toBe(true);
  });

  it('runs non-root with probes on /readyz and /healthz and the secret as a file', () => {
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.resources.limits.memory).toBeDefined();
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    const env = Object.fromEntries(container.env.map((e: Doc) => [e.name, e]));
    expect(env.CDAAS_CLIENT_SECRET).toBeUndefined();
    expect(env.CDAAS_CLIENT_SECRET_FILE.value).toBe('/var/run/secrets/cdaas/client-secret');
  });

  it('pairs the state store with the replica count: Redis for any number, memory for exactly one, never rolled', () => {
    const { state } = podConfig(docs);
    // Session affinity cannot keep Orca's retries on one replica (they come from any Orca pod).
    expect(service.spec.sessionAffinity ?? 'None').toBe('None');
    if (state.store === 'memory') {
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
      expect(one(docs, 'HorizontalPodAutoscaler')).toEqual([]);
    } else {
      expect(state.redis?.url).toMatch(/^rediss?:\/\//);
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    }
  });

  it('lets only Orca reach 7002 and only Gate reach 7001', () => {
    const byPort = new Map<number, Doc[]>();
    for (const p of policies) for (const rule of p.spec.ingress) for (const port of rule.ports ?? []) byPort.set(port.port, rule.from);
    expect(byPort.get(7002)).toEqual([{ podSelector: { matchLabels: { app: 'spin', cluster: 'spin-orca' } } }]);
    expect(byPort.get(7001)).toEqual([{ podSelector: { matchLabels: { app: 'spin', cluster: 'spin-gate' } } }]);
    expect(policies.find((p) => p.metadata.name === 'cdaas-bridge-default-deny')?.spec.ingress).toEqual([]);
  });
});

describe('the two ways to run the bridge', () => {
  it('are Redis with two replicas by default, and one replica in memory with the single-replica overlay', () => {
    const ha = variants['bridge/deploy/k8s'];
    const single = variants['bridge/deploy/k8s/single-replica'];
    expect([podConfig(ha).state.store, one(ha, 'Deployment')[0].spec.replicas]).toEqual(['redis', 2]);
    expect([podConfig(single).state.store, one(single, 'Deployment')[0].spec.replicas]).toEqual(['memory', 1]);
    // A single pod must not block node drains.
    expect(one(single, 'PodDisruptionBudget')[0].spec).toMatchObject({ maxUnavailable: 1 });
    expect(one(single, 'PodDisruptionBudget')[0].spec.minAvailable).toBeUndefined();
  });

  const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find(existsSync);
  it.runIf(kubectl)('render as `kubectl kustomize` renders them', () => {
    for (const [dir, docs] of Object.entries(variants)) {
      const out = execFileSync(kubectl as string, ['kustomize', dir], { encoding: 'utf8' });
      const theirs = parseAllDocuments(out, { version: '1.1' }).map((d) => d.toJS() as Doc);
      const key = (d: Doc) => `${d.kind}/${d.metadata.name}`;
      expect(new Map(theirs.map((d) => [key(d), d])), dir).toEqual(new Map(docs.map((d) => [key(d), d])));
    }
  });
});
