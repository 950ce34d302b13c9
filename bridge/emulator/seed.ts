/**
 * Default data of the emulator: the sandbox client and the seeded clusters.
 */
import type { EmulatorClient, EmulatorOptions, SeedAgent, SeedService } from './types.js';

/**
 * The throwaway credential of the default emulator client. It authenticates against the emulator
 * only, so it is printed by the CLI and written into the sandbox on purpose.
 */
export const SANDBOX_CLIENT: Required<EmulatorClient> = {
  clientId: 'cdaas-emulator-sandbox',
  clientSecret: 'emulator-only-secret-not-a-real-credential',
  orgId: '7b3b6a6e-0d1c-4b8e-9a53-3f2f6c1e0a01',
  envId: 'c1d9e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  name: 'Spinnaker (emulator sandbox)',
  scopes: ['api:deployment:full', 'read:infrastructure:data'],
};

/** What a client gets when its `scopes` are not given: deploying, and reading the agents' cache. */
export const DEFAULT_SCOPES = ['api:deployment:full', 'read:infrastructure:data'];

export const SANDBOX_ORG_NAME = 'Emulator Org';

const day = (daysAgo: number, hour = 9) => {
  const d = new Date(Date.UTC(2026, 10, 1, hour, 0, 0));
  d.setUTCDate(d.getUTCDate() - daysAgo);
  return d.toISOString();
};

/** The demo app's Services: active and preview for blue/green, and one more the manifests do not define. */
export const POTATO_FACTS_SERVICES: SeedService[] = [
  { namespace: 'potato-facts', name: 'potato-facts', selector: { app: 'potato-facts' }, ports: [{ name: 'http', port: 80, targetPort: 8000, protocol: 'TCP' }] },
  { namespace: 'potato-facts', name: 'potato-facts-preview', selector: { app: 'potato-facts' }, ports: [{ name: 'http', port: 80, targetPort: 8000, protocol: 'TCP' }] },
  { namespace: 'potato-facts', name: 'potato-facts-metrics', selector: { app: 'potato-facts' }, ports: [{ name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' }] },
];

/**
 * Clusters of different Kubernetes versions, one below 1.16 (CDaaS supports 1.16 or later, so a
 * deployment there gets a warning) without cluster-role support, one whose cache answers 500, a
 * canary in prod-us-east that keeps moving, and one seeded disconnected agent.
 */
export const DEFAULT_AGENTS: SeedAgent[] = [
  {
    agentIdentifier: 'prod-us-east',
    kubernetesVersion: '1.29.4',
    agentVersion: '1.0.83',
    namespaces: [
      { name: 'default' },
      { name: 'kube-system' },
      { name: 'payments' },
      { name: 'checkout' },
      { name: 'monitoring' },
    ],
    deployments: [
      { namespace: 'payments', name: 'payments-api', replicas: 6, images: ['registry.example.com/payments/api:2.14.1'], revision: 14, createdAtIso8601: day(90) },
      { namespace: 'payments', name: 'payments-worker', replicas: 3, images: ['registry.example.com/payments/worker:2.14.1', 'registry.example.com/sidecars/otel-agent:0.98.0'], revision: 9, createdAtIso8601: day(90) },
      { namespace: 'checkout', name: 'checkout-web', replicas: 4, readyReplicas: 3, images: ['registry.example.com/checkout/web:5.2.0'], revision: 31, createdAtIso8601: day(200) },
      {
        namespace: 'checkout',
        name: 'checkout-api',
        replicas: 4,
        images: ['registry.example.com/checkout/api:3.8.0'],
        revision: 12,
        createdAtIso8601: day(150),
        labels: { 'app.kubernetes.io/part-of': 'checkout', 'app.kubernetes.io/version': '3.8.0' },
        canary: { images: ['registry.example.com/checkout/api:3.9.0'], weights: [25, 50, 75], stepMs: 10_000 },
      },
      { namespace: 'monitoring', name: 'prometheus-operator', replicas: 1, images: ['quay.io/prometheus-operator/prometheus-operator:v0.73.2'], revision: 2, createdAtIso8601: day(300) },
      { namespace: 'kube-system', name: 'coredns', replicas: 2, images: ['registry.k8s.io/coredns/coredns:v1.11.1'], revision: 1, createdAtIso8601: day(400) },
    ],
    services: [
      { namespace: 'payments', name: 'payments-api' },
      { namespace: 'checkout', name: 'checkout-web', type: 'LoadBalancer', ports: [{ name: 'https', port: 443, targetPort: 8443, protocol: 'TCP', nodePort: 31443 }] },
      { namespace: 'checkout', name: 'checkout-api', selector: { app: 'checkout-api' } },
      { namespace: 'checkout', name: 'checkout-api-preview', selector: { app: 'checkout-api' } },
      { namespace: 'kube-system', name: 'kube-dns', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }] },
    ],
  },
  {
    agentIdentifier: 'staging',
    kubernetesVersion: '1.27.3',
    agentVersion: '1.0.83',
    namespaces: [{ name: 'default' }, { name: 'kube-system' }, { name: 'payments' }, { name: 'checkout' }, { name: 'potato-facts' }],
    deployments: [
      { namespace: 'payments', name: 'payments-api', replicas: 2, images: ['registry.example.com/payments/api:2.15.0-rc.1'], revision: 22, createdAtIso8601: day(60) },
      { namespace: 'checkout', name: 'checkout-web', replicas: 1, images: ['registry.example.com/checkout/web:5.3.0-rc.2'], revision: 40, createdAtIso8601: day(120) },
      { namespace: 'default', name: 'nginx', replicas: 1, images: ['nginx:1.25.4'], revision: 3, createdAtIso8601: day(30) },
    ],
    // The demo's namespace (the sandbox's pipelines deploy potato-facts here): a blue/green pair
    // for its pods, and one Service no manifest defines, so the picker has one "on the cluster" only.
    services: [
      ...POTATO_FACTS_SERVICES,
      { namespace: 'payments', name: 'payments-api', selector: { app: 'payments-api' } },
    ],
  },
  {
    agentIdentifier: 'legacy-onprem',
    kubernetesVersion: '1.15.12',
    agentVersion: '0.9.12',
    clusterRoleSupport: false,
    // An older agent: its cache has no Services (the path answers 404), the rest of it answers.
    servicesOffered: false,
    namespaces: [{ name: 'default' }, { name: 'kube-system' }, { name: 'billing' }],
    deployments: [
      { namespace: 'billing', name: 'billing-batch', replicas: 2, readyReplicas: 2, images: ['registry.example.com/billing/batch:1.8.7'], revision: 5, createdAtIso8601: day(700) },
      { namespace: 'billing', name: 'invoice-renderer', replicas: 1, readyReplicas: 0, images: ['registry.example.com/billing/invoice-renderer:0.4.2'], revision: 2, createdAtIso8601: day(500) },
    ],
  },
  {
    agentIdentifier: 'edge-eu-central',
    kubernetesVersion: '1.28.2',
    agentVersion: '1.0.83',
    cacheStatus: 500,
    namespaces: [{ name: 'default' }],
  },
  {
    agentIdentifier: 'dr-eu-west',
    kubernetesVersion: '1.28.9',
    agentVersion: '1.0.80',
    connected: false,
    namespaces: [{ name: 'default' }, { name: 'payments' }],
    deployments: [
      { namespace: 'payments', name: 'payments-api', replicas: 2, images: ['registry.example.com/payments/api:2.14.1'], revision: 12, createdAtIso8601: day(100) },
    ],
  },
];

/**
 * The scale seed, for the Deck table benchmark: 50 agents, each 4 namespaces of 10 Deployments
 * with 5 ReplicaSets (the current revision and four older ones): 10,000 replica sets in all.
 */
export function scaleAgents(agentCount = 50): SeedAgent[] {
  const namespaces = ['web', 'api', 'jobs', 'data'];
  return Array.from({ length: agentCount }, (_, a) => {
    const agentIdentifier = `scale-${String(a + 1).padStart(2, '0')}`;
    return {
      agentIdentifier,
      kubernetesVersion: a % 10 === 9 ? '1.15.12' : `1.${26 + (a % 4)}.${a % 7}`,
      agentVersion: '1.0.83',
      namespaces: namespaces.map((name) => ({ name, labels: { team: `team-${name}` } })),
      deployments: namespaces.flatMap((ns) =>
        Array.from({ length: 10 }, (_, i) => ({
          namespace: ns,
          name: `${ns}-service-${String(i + 1).padStart(2, '0')}`,
          replicas: 1 + ((a + i) % 6),
          images: [`registry.example.com/${ns}/service-${i + 1}:1.${a}.${i}`, ...(i % 3 === 0 ? ['registry.example.com/sidecars/otel-agent:0.98.0'] : [])],
          revision: 5 + (i % 4),
          history: 5,
          createdAtIso8601: day(30 + i + a),
        })),
      ),
    };
  });
}

/** The seed named by CDAAS_EMULATOR_SEED (`default` or `scale`), for the CLI and the sandbox. */
export function seedFromEnv(env: Record<string, string | undefined>): EmulatorOptions['seed'] {
  const raw = env.CDAAS_EMULATOR_SEED?.trim();
  if (!raw) return undefined;
  if (raw !== 'default' && raw !== 'scale') throw new Error(`CDAAS_EMULATOR_SEED: expected default or scale, got "${raw.slice(0, 40)}"`);
  return raw;
}
